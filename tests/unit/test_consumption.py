"""Consommation (O4) on the seeded agency: 4 files signed — 16/11, 13/11 and 05/11/2026, and 16/10/2026 —
by claire, through YouSign, each with two signers (the party and the manager): 4 documents, 8 signatures."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from lsc_tui.domain.models import SignatureRequest
from lsc_tui.services import consumption
from lsc_tui.services.errors import ValidationFailed
from lsc_tui.store import RecordStore as Store
from lsc_tui.tui.widgets.bars import bar, sparkline
from tests.fixtures import FIXED_NOW, context, seeded_store

YEAR = consumption.default_period(FIXED_NOW.date())


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return seeded_store(tmp_path / "data")


def test_by_month_and_by_user(store: Store) -> None:
    assert (dt.date(2025, 12, 1), dt.date(2026, 11, 23)) == YEAR
    found = consumption.report(context(store), *YEAR)
    assert len(found.months) == 12 and found.months[-2:] == ("2026-10", "2026-11")
    assert found.month_labels()[-1] == "nov. 2026"
    assert found.total.series("documents", found.months)[-2:] == [1, 3]
    assert found.total.series("signatures", found.months)[-2:] == [2, 6]
    assert [(g.label, g.total_documents, g.total_signatures) for g in found.by["user"]] == [
        ("Claire Martin", 4, 8)
    ]


def test_by_entity_signer_and_provider(store: Store) -> None:
    ctx = context(store)
    found = consumption.report(ctx, *YEAR)
    assert [(g.label, g.total_documents) for g in found.by["entity"]] == [
        ("Mandat de gestion — M. et Mme Garnier", 2),
        ("Résidence Les Tilleuls", 2),
    ]
    assert [(g.label, g.total_documents, g.total_signatures) for g in found.by["signer"]][:3] == [
        ("Claire MARTIN", 2, 2),
        ("Julien ROCHE", 2, 2),
        ("Adèle RENAUD", 1, 1),
    ]
    assert sum(g.total_signatures for g in found.by["signer"]) == found.total.total_signatures == 8
    assert [(g.label, g.total_documents) for g in found.by["provider"]] == [("YouSign", 4)]


def test_the_period_is_cut_at_the_day(store: Store) -> None:
    ctx = context(store)
    november = consumption.report(ctx, dt.date(2026, 11, 6), dt.date(2026, 11, 30))
    assert november.months == ("2026-11",) and november.total.total_documents == 2  # 13/11 and 16/11
    with pytest.raises(ValidationFailed) as caught:
        consumption.report(ctx, dt.date(2026, 11, 30), dt.date(2026, 11, 1))
    assert "précède" in caught.value.errors["period"]
    with pytest.raises(ValidationFailed):
        consumption.report(ctx, dt.date(2020, 1, 1), dt.date(2026, 1, 1))


def test_a_file_signed_by_julien_through_esign_is_his(store: Store) -> None:
    ctx = context(store)
    source = next(s for s in ctx.repos.signatures.all() if s.status.value == "signed")
    record = source.to_record() | {"id": "", "created_by": "julien", "provider": "esign"}
    record["signed_at"] = "2026-09-02T10:00:00+02:00"
    with ctx.write() as w:
        w.signatures.insert(SignatureRequest.from_record(record))
    found = consumption.report(ctx, *YEAR)
    assert [(g.label, g.series("documents", found.months)[-3:]) for g in found.by["user"]] == [
        ("Claire Martin", [0, 1, 3]),
        ("Julien Roche", [1, 0, 0]),
    ]
    assert [g.label for g in found.by["provider"]] == ["YouSign", "ESign"]


def test_export_one_line_per_month_and_group(store: Store, tmp_path: Path) -> None:
    ctx = context(store)
    found = consumption.report(ctx, dt.date(2026, 10, 1), dt.date(2026, 11, 23))
    done = consumption.export_csv(ctx, found, "user", str(tmp_path / "conso.csv"))
    lines = list(csv.reader(done.path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert lines == [
        list(consumption.HEADER),
        ["2026-10", "", "Total", "1", "2"],
        ["2026-11", "", "Total", "3", "6"],
        ["2026-10", "Utilisateur", "Claire Martin", "1", "2"],
        ["2026-11", "Utilisateur", "Claire Martin", "3", "6"],
    ]
    assert done.rows == 4


def test_text_bars() -> None:
    assert bar(3, 3, 10) == "█" * 10
    assert bar(1, 3, 10) == "███▍"
    assert bar(1, 1000, 10) == "▏"  # above zero always shows
    assert bar(0, 3, 10) == ""
    assert sparkline([0, 1, 3, 6]) == " ▂▄█"
    assert sparkline([0, 0]) == "  "
