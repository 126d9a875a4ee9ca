"""A party's history (O2) on the seeded agency: every signature file they sign and every letter sent to
them, newest first, and nobody else's."""

from __future__ import annotations

from pathlib import Path

import pytest

from lsc_tui.domain.errors import ExplainedError
from lsc_tui.domain.models import Party, SignatureRequest
from lsc_tui.services import history
from lsc_tui.store import RecordStore as Store
from lsc_tui.store.repositories import Repos
from tests.fixtures import context, seeded_store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return seeded_store(tmp_path / "data")


def party(store: Store, last_name: str, first_name: str) -> Party:
    return next(
        p for p in Repos(store).parties.all() if (p.last_name, p.first_name) == (last_name, first_name)
    )


def test_signatures_and_letters_of_one_party_newest_first(store: Store) -> None:
    renaud = party(store, "Renaud", "Adèle")
    found = history.of_party(context(store), renaud.id)
    assert found.party.id == renaud.id and not found.truncated
    assert [(e.kind, e.status, e.detail) for e in found.entries] == [
        ("letter", "Envoyée", "LR papier"),
        ("signature", "2 — Signé", "Propriétaire"),
    ]
    assert found.entries[0].date > found.entries[1].date
    letter = store.get("letters", found.entries[0].id)
    assert letter["party_id"] == renaud.id
    signature = store.get("signature_requests", found.entries[1].id)
    assert renaud.id in [s["party_id"] for s in signature["signers"]]


def test_every_file_found_and_only_the_partys(store: Store) -> None:
    """Against a plain scan of every record: the search index finds them all and keeps no stranger."""
    ctx = context(store)
    everyone = Repos(store)
    for p in everyone.parties.all():
        expected = {s.id for s in everyone.signatures.all() if p.id in {x.party_id for x in s.signers}}
        expected |= {x.id for x in everyone.letters.all() if x.party_id == p.id}
        assert {e.id for e in history.of_party(ctx, p.id).entries} == expected, p.display_name


def test_a_signer_added_by_hand_under_another_name_is_still_found(store: Store) -> None:
    """The party id decides, not the name typed on the request (S3 lets staff edit a signer's name)."""
    ctx = context(store)
    lonely = next(p for p in Repos(store).parties.all() if not history.of_party(ctx, p.id).entries)
    source = Repos(store).signatures.all()[0]
    signer = source.signers[0].evolve(party_id=lonely.id, last_name="Autre-Nom", first_name="X")
    with ctx.write() as w:
        made = w.signatures.insert(
            SignatureRequest.from_record(source.to_record() | {"id": "", "signers": [signer.to_record()]})
        )
    entries = history.of_party(ctx, lonely.id).entries
    assert [(e.kind, e.id, e.detail) for e in entries] == [("signature", made.id, signer.role.label)]


def test_an_unknown_party_is_said_gone(store: Store) -> None:
    with pytest.raises(ExplainedError) as caught:
        history.of_party(context(store), "0001-999999")
    assert "n'existe plus" in caught.value.message
