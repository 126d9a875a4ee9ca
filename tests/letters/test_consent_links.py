"""Consent with AR24 (L2, DEMO steps 5–6): each letter carries its own recipient's consent link; a consent set
by hand here, which AR24's register lacks, is named before anything is sent (validation screen and F9) instead
of a refusal at AR24; the error recap offers the email AR24 knows a consent for, and `l` sends the link."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from textual.widgets import Static

from lsc_tui.documents.archive import read_file
from lsc_tui.domain.consents import ConsentSource
from lsc_tui.domain.letters import CONSENT_UNKNOWN_TO_AR24, LetterKind
from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.services import consents, letter_plan, letter_preparing, letter_validation, letters_demo, parties
from lsc_tui.services.batches import Collector
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import ServiceError
from lsc_tui.store import RecordStore
from lsc_tui.tui.app import create_app
from lsc_tui.tui.screens.batch_progress import BatchProgressScreen
from lsc_tui.tui.screens.letter_sending import LetterSendingScreen
from lsc_tui.tui.screens.otp_validation import OtpScreen
from lsc_tui.tui.widgets.record_list import RecordList
from tests.conftest import ServedSandbox
from tests.integration.ar24_kit import control, user_of
from tests.letters.letters_kit import code, convocations, letters_ctx, mails
from tests.tui.helpers import settle

ASKING = "Pour recevoir nos prochains courriers par voie électronique : {AR24_LienConsentement}"


def ready_plan(ctx: AppContext, events: list[str]) -> letter_plan.SendOptions:
    """DEMO step 6's two errors out of the way: François Guérin's email typed, the private owner on paper."""
    plan = letter_plan.build_plan(ctx, events)
    missing = next(x for x in plan.errors if "email manquant" in x.problems)
    party = ctx.repos.parties.require(missing.party_id)
    form = parties.ContactForm(
        email="francois.guerin@exemple.fr", mobile=party.mobile, address1=party.address.line1, address2="",
        zipcode=party.address.zipcode, city=party.address.city,
    )  # fmt: skip
    parties.save_contact(ctx, party.id, form, expect_rev=party.rev)
    other = next(x for x in plan.errors if x.party_id != missing.party_id)
    return plan.options.with_kind(other.event_id, other.party_id, LetterKind.PAPER)


async def test_each_letter_carries_its_own_recipients_consent_link(
    store: RecordStore, sandbox: ServedSandbox
) -> None:
    ctx = letters_ctx(store, sandbox)
    events = convocations(ctx)
    with ctx.write() as w:
        for event in w.events.get_many(events).values():
            w.events.change(event.id, {"body": ASKING}, expect_rev=event.rev)
    ar24 = ctx.providers.ar24
    assert ar24 is not None
    uid = str(user_of(sandbox)["id"])
    before = {c.email.lower() for c in await ar24.consents(uid)}
    options = ready_plan(ctx, events)

    report = await letter_preparing.prepare(ctx, events, options, Collector())
    assert report.all_ok and report.total == 14, report.failed
    register = {c.email.lower(): c.link for c in await ar24.consents(uid)}
    seen: dict[str, str] = {}
    for letter in ctx.repos.letters.for_events(events):
        pdf = read_file(ctx.data_dir, letter.pdf_path, sha256=letter.pdf_sha256)
        text = "".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
        tokens = re.findall(r"/consent/([0-9a-f]{16})", text)
        assert len(tokens) == 1, text
        assert register[letter.recipient_email.lower()].endswith(f"/consent/{tokens[0]}")
        seen[letter.recipient_email.lower()] = tokens[0]
    assert len(set(seen.values())) == 14  # one link per recipient, not the firm's single one
    asked = [m["to"].lower() for m in await control(sandbox, "outbox") if "Consentement" in m["subject"]]
    assert sorted(asked) == sorted(e for e in seen if e not in before)  # a request only where AR24 had none


async def test_a_consent_set_here_is_named_before_anything_is_sent(
    store: RecordStore, sandbox: ServedSandbox
) -> None:
    ctx = letters_ctx(store, sandbox)
    events = convocations(ctx)
    plan = letter_plan.build_plan(ctx, events)
    private = next(x for x in plan.errors if "particulier sans consentement LRE" in x.problems)
    consents.set_consent(ctx, [private.party_id], True)  # ticked by hand: AR24 has never heard of it
    plan = letter_plan.build_plan(ctx, events)
    assert [x.problems for x in plan.errors if x.party_id == private.party_id] == [(CONSENT_UNKNOWN_TO_AR24,)]

    # a letter already waiting for F9 whose consent a colleague re-typed by hand
    options = ready_plan(ctx, events)
    assert (await letter_preparing.prepare(ctx, events, options, Collector())).all_ok
    letters = ctx.repos.letters.for_events(events)
    known = next(x for x in letters if x.kind is LetterKind.EIDAS and not x.recipient_professional)
    consents.set_consent(ctx, [known.party_id], False)
    consents.set_consent(ctx, [known.party_id], True)
    groups = letter_validation.pending_groups(ctx)
    assert {k for g in groups for k in g.held_back} == {known.id}
    assert await letters_demo.upload_seeded(ctx) == 12  # the seed's 12 sendable too, as the demo makes them

    app = create_app(ctx, poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, OtpScreen)
        assert "25 cochée(s) sur 26" in str(app.screen.query_one("#otp-count", Static).content)
        message = str(app.screen.query_one("#otp-message", Static).content)
        assert "1 lettre(s) non cochée(s)" in message and "inconnu d'AR24" in message
        row = next(r for r in app.screen.query_one(RecordList).rows if r.key == known.id)
        assert row.cells[3] == CONSENT_UNKNOWN_TO_AR24
        await pilot.press(*code(sandbox), "enter")
        await settle(pilot)
        progress = app.screen
        assert isinstance(progress, BatchProgressScreen)
        assert progress.report is not None and progress.report.succeeded == 25, progress.report.failed
    assert ctx.repos.letters.require(known.id).status is LetterStatus.TO_VALID
    assert known.reference not in {m["ref_dossier"] for m in mails(sandbox)}
    # ticked anyway (headless): refused here with the sentence, nothing asked of AR24
    with pytest.raises(ServiceError, match="inconnu d'AR24 : envoyez-lui le lien ou passez en papier"):
        await letter_validation.validate(ctx, [known.id], code(sandbox), Collector())
    assert known.reference not in {m["ref_dossier"] for m in mails(sandbox)}
    # AR24 has that consent after all: « MAJ accord » makes it AR24's, and F9 lets the letter go
    await consents.import_from_ar24(ctx)
    assert ctx.repos.parties.require(known.party_id).lre_consent_source == ConsentSource.AR24.value
    assert not any(g.held_back for g in letter_validation.pending_groups(ctx))


def info(app: object) -> str:
    return str(app.screen.query_one("#sending-info", Static).content)  # type: ignore[attr-defined]


async def test_the_recap_offers_ar24s_email_and_sends_the_consent_link(
    store: RecordStore, sandbox: ServedSandbox
) -> None:
    ctx = letters_ctx(store, sandbox)
    app = create_app(ctx, poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        await pilot.press("slash", *"convocation vignes", "enter")
        await settle(pilot)
        await pilot.press("ctrl+a", "a", "r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LetterSendingScreen) and "2 erreur(s)" in info(app)
        recap = screen.query_one("#recap-list", RecordList)
        missing = next(i for i, r in enumerate(recap.rows) if "email manquant" in r.cells[1])
        assert "AR24 : francois.guerin@exemple.fr (e)" in recap.rows[missing].cells[1]
        no_consent = next(i for i, r in enumerate(recap.rows) if "sans consentement" in r.cells[1])
        assert "AR24 :" not in recap.rows[no_consent].cells[1]
        private_id = recap.rows[no_consent].key.split("|")[1]
        recap.cursor = missing  # the line under the list shows the reason whole (cut by the column at 80)
        await settle(pilot)
        why = str(screen.query_one("#recap-why", Static).content)
        assert why == "M. GUÉRIN François : email manquant ; AR24 : francois.guerin@exemple.fr (e)"

        recap.cursor = no_consent  # `l`: AR24 emails this owner the consent request
        await settle(pilot)
        assert str(screen.query_one("#recap-why", Static).content).endswith(
            "(l : lui envoyer le lien ; p : papier)"
        )
        await pilot.press("l")
        await settle(pilot)
        email = ctx.repos.parties.require(private_id).email
        outbox = await control(sandbox, "outbox")
        assert [m["to"] for m in outbox if "Consentement" in m["subject"]] == [email]

        recap.cursor = next(i for i, r in enumerate(recap.rows) if "email manquant" in r.cells[1])
        guerin_id = recap.rows[recap.cursor].key.split("|")[1]
        await pilot.press("e")
        await settle(pilot)
        assert app.screen is screen and "1 erreur(s)" in info(app), info(app)
    guerin = ctx.repos.parties.require(guerin_id)
    assert guerin.email == "francois.guerin@exemple.fr" and guerin.lre_consent
    assert guerin.lre_consent_source == ConsentSource.AR24.value
