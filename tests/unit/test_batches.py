"""A batch's one-line summary reads as correct French whatever the noun the service passes (lettre, fiche,
élément), with no adjective to agree: « Réussi : 26 sur 26 lettres »."""

from __future__ import annotations

import pytest

from lsc_tui.services.batches import BatchReport, ItemResult


def report(ok: int, failed: int = 0, total: int | None = None) -> BatchReport:
    results = [ItemResult(str(n), f"n° {n}", True) for n in range(ok)]
    results += [ItemResult(f"e{n}", f"e{n}", False, "refusé") for n in range(failed)]
    return BatchReport(results, ok + failed if total is None else total)


@pytest.mark.parametrize(
    ("noun", "plural"), [("lettre", "lettres"), ("fiche", "fiches"), ("élément", "éléments")]
)
def test_every_noun_reads_the_same_way(noun: str, plural: str) -> None:
    assert report(26).summary(noun) == f"Réussi : 26 sur 26 {plural}"
    assert report(1).summary(noun) == f"Réussi : 1 sur 1 {noun}"
    assert report(0, 1).summary(noun) == f"Réussi : 0 sur 1 {noun} ; en erreur : 1"
    assert report(4, 1).summary(noun) == f"Réussi : 4 sur 5 {plural} ; en erreur : 1"
    assert report(1, 0, total=3).summary(noun) == (
        f"Réussi : 1 sur 3 {plural} ; reste à traiter : 2 (arrêt demandé : relancez pour finir)"
    )


def test_the_default_noun_is_element() -> None:
    assert report(2).summary() == "Réussi : 2 sur 2 éléments"
