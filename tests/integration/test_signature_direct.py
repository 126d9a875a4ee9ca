"""« Signer électroniquement » from a party (S11) against the sandbox over real HTTP: each missing piece named
(email, mobile, ID document, an expired one); the party's ID document saved from its form; a file without an
event sent at a distance, listed in the party's history and counted by the consumption once signed; in
person, YouSign emails nobody and the links come back to the screen only — never in the store nor the log."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from lsc_tui.domain.identity import IdDocument
from lsc_tui.domain.models import Address, Party, PartyKind
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.providers.base import Unsupported
from lsc_tui.services import consumption, history, parties, signature_direct, signature_sync
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import ValidationFailed
from tests.conftest import ServedSandbox
from tests.integration.followup_kit import remote, run, sign_all
from tests.integration.signature_flow_kit import wired
from tests.integration.signature_kit import make_pdf, outbox

PASSPORT = IdDocument("passeport", "12AB34567", "2031-05-14")


def a_party(ctx: AppContext, **fields: object) -> Party:
    values: dict[str, object] = {"last_name": "Moreau", "first_name": "Léa", "email": "lea.moreau@exemple.fr",
                                 "mobile": "+33612345678", "address": Address("2 rue B", "", "69003", "Lyon")}  # fmt: skip
    values.update(fields)
    with ctx.write() as w:
        return w.parties.insert(Party(**values))  # type: ignore[arg-type]


def pdfs(tmp_path: Path, count: int = 1) -> list[str]:
    out = []
    for n in range(count):
        path = tmp_path / f"avenant-{n + 1}.pdf"
        path.write_bytes(make_pdf(pages=1 + n))
        out.append(str(path))
    return out


def test_missing_pieces_are_named_and_the_form_keeps_the_id_document(
    tmp_path: Path, sandbox: ServedSandbox
) -> None:
    ctx = wired(tmp_path, sandbox)
    party = a_party(ctx, mobile="")
    today = ctx.now().date()
    [signer] = signature_direct.candidates(ctx, party.id)
    assert signer.missing(today) == ["mobile manquant", "pièce d'identité manquante"]
    with pytest.raises(ValidationFailed) as refused:
        signature_direct.create(ctx, party.id, pdfs(tmp_path), [signer], False, "yousign")
    assert "Léa MOREAU : mobile manquant, pièce d'identité manquante" in refused.value.errors["signers"]

    form = parties.ContactForm(
        "lea.moreau@exemple.fr", "06 12 34 56 78", "", "", "", "", "passeport", "12ab 34567", "31/12/2020"
    )
    with pytest.raises(ValidationFailed) as bad:  # a national mobile is offered its E.164 fix first
        parties.save_contact(ctx, party.id, form, expect_rev=party.rev)
    assert "mobile" in bad.value.errors
    form = parties.ContactForm(
        "lea.moreau@exemple.fr", "+33612345678", "", "", "", "", "passeport", "12ab 34567", "31/12/2020"
    )
    saved = parties.save_contact(ctx, party.id, form, expect_rev=party.rev)
    assert saved.id_document == IdDocument("passeport", "12AB 34567", "2020-12-31")
    [signer] = signature_direct.candidates(ctx, party.id)
    assert signer.missing(today) == ["pièce d'identité expirée le 31/12/2020"]

    company = a_party(
        ctx, kind=PartyKind.COMPANY, company_name="SCI Les Tilleuls", representative="Paul Girard"
    )
    [representative] = signature_direct.candidates(ctx, company.id)
    assert (representative.name, representative.party_id) == ("Paul GIRARD", company.id)
    assert representative.missing(today) == [
        "pièce d'identité manquante"
    ]  # the company's contact, their own ID
    ward = a_party(ctx, last_name="Roux", kind=PartyKind.PROTECTED, legal_representative="Anne Roux")
    [_ward, guardian] = signature_direct.candidates(ctx, ward.id)
    assert (guardian.name, guardian.source) == ("Anne ROUX", "représentant")
    assert guardian.missing(today) == ["email manquant", "mobile manquant", "pièce d'identité manquante"]


def test_at_a_distance_a_file_without_event_in_history_and_consumption(
    tmp_path: Path, sandbox: ServedSandbox
) -> None:
    ctx = wired(tmp_path, sandbox)
    party = a_party(ctx, id_document=PASSPORT)
    other = signature_direct.DirectSigner(
        "Girard", "Paul", "paul.girard@exemple.fr", "+33698765432", PASSPORT
    )
    [me] = signature_direct.candidates(ctx, party.id)

    sent = asyncio.run(
        run(ctx, signature_direct.create_and_send, party.id, pdfs(tmp_path, 2), [me, other], False)
    )

    assert sent.report.all_ok and sent.links == ()
    request = ctx.repos.signatures.require(sent.request_id)
    assert request.status is SignatureStatus.PENDING and not request.event_id and len(request.pages) == 3
    assert [s.id_document for s in request.signers] == [PASSPORT, PASSPORT]
    sr = remote(ctx, sandbox, sent.request_id)
    assert sr["delivery_mode"] == "email" and len(sr["signers"]) == 2
    assert any(m["to"] == "paul.girard@exemple.fr" for m in outbox(sandbox.base_url, "yousign"))
    assert [e.id for e in history.of_party(ctx, party.id).entries] == [sent.request_id]

    sign_all(sandbox, sr)
    asyncio.run(run(ctx, signature_sync.sync))
    assert ctx.repos.signatures.require(sent.request_id).status is SignatureStatus.SIGNED
    today = ctx.now().date()
    found = consumption.report(ctx, today - dt.timedelta(days=31), today)
    assert consumption.NO_ENTITY in [g.label for g in found.by["entity"]]


def test_in_person_links_shown_never_kept(tmp_path: Path, sandbox: ServedSandbox) -> None:
    ctx = wired(tmp_path, sandbox)
    party = a_party(ctx, id_document=PASSPORT)
    [me] = signature_direct.candidates(ctx, party.id)

    sent = asyncio.run(run(ctx, signature_direct.create_and_send, party.id, pdfs(tmp_path), [me], True))

    assert sent.report.all_ok
    [(name, link)] = sent.links
    assert name == "Léa MOREAU" and link.startswith("http") and link not in repr(sent)
    sr = remote(ctx, sandbox, sent.request_id)
    assert sr["delivery_mode"] == "none"
    assert not [m for m in outbox(sandbox.base_url, "yousign") if m["to"] == "lea.moreau@exemple.fr"]
    request = ctx.repos.signatures.require(sent.request_id)
    assert request.in_person and [d.outcome for d in ctx.repos.deliveries.for_request(request.id)] == ["none"]
    written = b"".join(p.read_bytes() for p in ctx.data_dir.rglob("*") if p.is_file())
    assert link.encode() not in written  # neither the store, the audit log nor any file beside it
    again = asyncio.run(run(ctx, signature_direct.signing_links, sent.request_id))  # the screen was closed
    assert again == sent.links


def test_esign_has_no_signing_in_person(tmp_path: Path, sandbox: ServedSandbox) -> None:
    ctx = wired(tmp_path, sandbox, provider="esign")
    party = a_party(ctx, id_document=PASSPORT)
    [me] = signature_direct.candidates(ctx, party.id)
    with pytest.raises(Unsupported, match="présentiel"):
        asyncio.run(run(ctx, signature_direct.create_and_send, party.id, pdfs(tmp_path), [me], True))
    assert not [r for r in ctx.repos.signatures.all() if not r.event_id]  # nothing made
