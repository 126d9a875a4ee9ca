"""After validation (L7): AR, refusal and negligence at the sandbox (its virtual clock pushed 15 days), a
refresh that brings their dates home, a proof downloaded beside the store, AR24's webhook applied once, the
search by dates, the print batch of paper letters, and « MAJ accord de consentement LRE »."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from pypdf import PdfReader

from lsc_tui.domain.letters import LetterKind
from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.providers.webhooks import parse_ar24_webhook
from lsc_tui.services import (
    consents,
    letter_plan,
    letter_preparing,
    letter_printing,
    letter_tracking,
    letter_validation,
    letters_demo,
)
from lsc_tui.services.batches import Collector
from lsc_tui.services.context import AppContext
from lsc_tui.store import RecordStore
from tests.conftest import ServedSandbox
from tests.integration.ar24_kit import control
from tests.letters.letters_kit import code, convocations, letters_ctx, served


async def validated(ctx: AppContext, sandbox: ServedSandbox) -> list[str]:
    """The seed's 12 letters validated in F9's service; their ids."""
    await letters_demo.upload_seeded(ctx)
    ids = [x.id for x in letter_validation.pending(ctx)]
    report = await letter_validation.validate(ctx, ids, code(sandbox), Collector())
    assert report.all_ok
    return ids


async def test_ar_refusal_negligence_arrive_with_their_dates_and_a_proof_downloads(
    store: RecordStore, sandbox: ServedSandbox
) -> None:
    ctx = letters_ctx(store, sandbox)
    ids = await validated(ctx, sandbox)
    letters = ctx.repos.letters.get_many(ids)
    remote = {lid: letters[lid].remote_id for lid in ids}
    for lid in ids:
        await control(sandbox, f"mail/{remote[lid]}/send")
    await control(sandbox, f"mail/{remote[ids[0]]}/accept")
    await control(sandbox, f"mail/{remote[ids[1]]}/refuse")
    for lid in ids[3:]:
        await control(sandbox, f"mail/{remote[lid]}/accept")
    await control(sandbox, "clock", {"advance_days": 15})  # ids[2] was never answered: negligence

    report = await letter_tracking.refresh(ctx)
    assert report.asked == 12 and report.changed == 12
    after = ctx.repos.letters.get_many(ids)
    assert after[ids[0]].status is LetterStatus.AR and after[ids[0]].ar_date
    assert after[ids[1]].status is LetterStatus.REFUSED and after[ids[1]].refused_date
    assert after[ids[2]].status is LetterStatus.NEGLIGENCE and after[ids[2]].negligence_date
    assert after[ids[2]].negligence_date > after[ids[2]].sending_date
    assert "ar" in after[ids[0]].proofs and "ng" in after[ids[2]].proofs
    assert (await letter_tracking.refresh(ctx)).changed == 0  # the same news twice changes nothing

    proof = await letter_tracking.download_proof(ctx, ids[0])
    assert proof.is_file() and proof.read_bytes().startswith(b"%PDF")
    assert len(PdfReader(proof).pages) >= 1

    days = sorted(date.fromisoformat(x.deposit_date[:10]) for x in after.values())  # the sandbox's clock
    first, last = days[0], days[-1]
    assert set(ids) <= set(letter_tracking.search(ctx, first, last).keys())
    assert len(letter_tracking.search(ctx, first, last, login="julien")) == 0
    earlier = letter_tracking.search(ctx, first - timedelta(days=60), first - timedelta(days=1))
    assert not set(ids) & set(earlier.keys())


async def test_an_ar24_webhook_is_applied_once(store: RecordStore, sandbox: ServedSandbox) -> None:
    ctx = letters_ctx(store, sandbox)
    ids = await validated(ctx, sandbox)
    letter = ctx.repos.letters.require(ids[0])
    body = f"id_mail={letter.remote_id}&new_state=AR&view_date=2026-11-25+09%3A12%3A44".encode()
    event = parse_ar24_webhook(body)
    assert letter_tracking.apply_event(ctx, event) is True  # waiting → (sent) → AR
    assert letter_tracking.apply_event(ctx, event) is False  # AR24 retries: nothing more
    after = ctx.repos.letters.require(ids[0])
    assert after.status is LetterStatus.AR and after.ar_date.startswith("2026-11-25T09:12:44")
    unknown = parse_ar24_webhook(b"id_mail=999999&new_state=AR")
    assert letter_tracking.apply_event(ctx, unknown) is False


async def test_paper_without_the_extension_is_printed_at_the_firm(store: RecordStore, tmp_path: Path) -> None:
    for sandbox in served(store, paper=False):
        ctx = letters_ctx(store, sandbox)
        events = convocations(ctx)[:3]
        options = letter_plan.SendOptions(LetterKind.PAPER, color=True, duplex=True)
        report = await letter_preparing.prepare(ctx, events, options, Collector())
        assert report.all_ok and report.total == 3
        assert {x.status for x in ctx.repos.letters.for_events(events)} == {LetterStatus.TO_PRINT}
        batch = letter_printing.print_batch(ctx)
        assert len(batch.letter_ids) == 3
        pages = PdfReader(batch.path).pages
        assert len(pages) == 6  # a cover sheet, then the one-page letter, for each
        cover = pages[0].extract_text()
        assert "RECOMMANDÉ AVEC AVIS DE RÉCEPTION" in cover and "COULEUR" in cover and "recto-verso" in cover
        assert letter_printing.mark_printed(ctx, list(batch.letter_ids)) == 3
        assert {x.status for x in ctx.repos.letters.for_events(events)} == {LetterStatus.PRINTED}
        assert sandbox.ctx.calls["POST /ar24/api/mail"] == 0


async def test_consent_import_ticks_unticks_and_lists(store: RecordStore, sandbox: ServedSandbox) -> None:
    ctx = letters_ctx(store, sandbox)
    result = await consents.import_from_ar24(ctx)
    changed = {c.name: c.what for c in result.changes}
    assert len(changed) == 3, changed  # two accepted at AR24 only, one refused there
    assert sum("accord reçu" in w for w in changed.values()) == 2
    assert sum("refus reçu" in w for w in changed.values()) == 1
    again = await consents.import_from_ar24(ctx)
    assert again.changes == ()
    party = next(p for p in ctx.repos.parties.all() if p.email == "thi.nguyen@exemple.fr")
    assert party.lre_consent and party.lre_consent_source == "AR24"
    history = ctx.repos.consents.for_party(party.id)
    assert history[0].accepted and history[0].source == "AR24"
    # by hand, with its date and source; the register keeps both entries
    consents.set_consent(replace(ctx), [party.id], False)
    assert [c.accepted for c in ctx.repos.consents.for_party(party.id)][:2] in ([False, True], [True, False])
    assert not ctx.repos.parties.require(party.id).lre_consent
