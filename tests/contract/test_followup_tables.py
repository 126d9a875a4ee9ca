"""The follow-up tables (issue #11: the send report's messages, documents filed on a party) and the audit
read by many records, on both backends: the same answers from the embedded store and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lsc_tui.services.context import AppContext
from lsc_tui.services.demo import seed
from lsc_tui.store import ANY_REV, open_store
from lsc_tui.store.repositories.deliveries import Delivery
from lsc_tui.store.repositories.party_documents import PartyDocument
from tests.fixtures import FIXED_NOW, context


@pytest.fixture(params=["embedded", "postgres"])
def agency(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[AppContext]:
    where = str(tmp_path / "data") if request.param == "embedded" else request.getfixturevalue("pg_url")
    store = open_store(where, create=True)
    seed(store, FIXED_NOW)
    yield context(store, data_dir=tmp_path)
    store.close()


def message(request_id: str, n: int, **fields: object) -> Delivery:
    values: dict[str, object] = {"request_id": request_id, "provider": "yousign", "kind": "invitation",
                                 "recipient": f"Signataire {n}", "email": f"s{n}@exemple.fr",
                                 "requested_at": f"2026-11-2{n}T10:00:00+01:00", "requested_by": "claire"}  # fmt: skip
    values.update(fields)
    return Delivery(**values)  # type: ignore[arg-type]


def test_messages_documents_and_audit_by_records(agency: AppContext) -> None:
    ctx = agency
    [first, second] = [r.id for r in ctx.repos.signatures.all()[:2]]
    with ctx.write() as w:
        rows = w.deliveries.insert_many(
            [message(first, 2), message(first, 1, kind="reminder", outcome="sent", confirmed=True),
             message(second, 3, outcome="failed")]
        )  # fmt: skip
        w.deliveries.change(rows[0].id, {"outcome": "unknown", "confirmed": True}, expect_rev=ANY_REV)
        party = w.parties.all()[0]
        w.party_documents.insert(PartyDocument(party.id, "proof", "Dossier de preuve — x", "parties/x.zip",
                                               "ab" * 32, 10, "2026-11-23T10:00:00+01:00", "claire", first))  # fmt: skip
        ctx.audit(w, "signature.relancer", w.signatures, first, "1 signataire(s)")
        ctx.audit(w, "signature.annuler", w.signatures, second, "other")

    mine = ctx.repos.deliveries.for_request(first)
    assert [(d.kind, d.outcome, d.confirmed) for d in mine] == [
        ("reminder", "sent", True),
        ("invitation", "unknown", True),
    ]
    both = ctx.repos.deliveries.for_requests([first, second])
    assert [len(both[first]), len(both[second])] == [2, 1]
    assert ctx.repos.deliveries.counts_by_outcome() == {"sent": 1, "unknown": 1, "failed": 1}
    assert len(ctx.repos.deliveries.listing({"outcome": "failed"})) == 1
    [document] = ctx.repos.party_documents.for_party(party.id, 10)
    assert (document.request_id, document.size) == (first, 10)
    found = ctx.repos.audit.for_records([first, second])
    assert "signature.relancer" in [e.action for e in found[first]]
    assert [e.action for e in found[second]][-1] == "signature.annuler"
