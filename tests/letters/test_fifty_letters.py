"""The issue's test plan at its own size (L3–L8): 50 convocation events built through the store's repositories,
then only keys — F7, filter, tick all, `a` `r`; the plan shows the 5 errors; three emails typed in the parties'
forms, two private owners switched to paper; ctrl+r → 0 error; ctrl+s → 50 letters in `to_valid`; F9 → all 50
ticked; a pyotp code, Enter → 50 validated, each exactly once at the sandbox — in both validation modes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import Input, Static

from lsc_tui.domain.consents import ValidationMode
from lsc_tui.domain.models import Address, Event, EventParty, Party, PartyKind
from lsc_tui.domain.roles import Role
from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.services.context import AppContext
from lsc_tui.store import RecordStore
from lsc_tui.tui.app import create_app
from lsc_tui.tui.screens.batch_progress import BatchProgressScreen
from lsc_tui.tui.screens.events import EventsScreen
from lsc_tui.tui.screens.letter_sending import LetterSendingScreen
from lsc_tui.tui.screens.otp_validation import OtpScreen
from lsc_tui.tui.screens.party_form import PartyFormScreen
from lsc_tui.tui.widgets.record_list import RecordList
from tests.conftest import ServedSandbox, serve_sandbox
from tests.letters.letters_kit import accounts_for, code, letters_ctx, mails
from tests.tui.helpers import screen_text, settle

COUNT = 50
NO_EMAIL = (7, 23, 41)  # companies whose email is missing: typed in their form
PRIVATE = (12, 36)  # private owners without LRE consent: switched to paper


@pytest.fixture
def sandbox(store: RecordStore) -> Iterator[ServedSandbox]:
    accounts = accounts_for(store)
    claire, julien = accounts["ar24"][
        "users"
    ]  # he has authorised his account and pays with the buildings' SEPA
    julien.update(access_granted=True, payment_methods=claire["payment_methods"])
    yield from serve_sandbox(accounts)


def owner(n: int) -> Party:
    address = Address(f"{n} allée des Vignes", "", "69005", "Lyon")
    if n in PRIVATE:
        return Party(last_name=f"Propriétaire{n:02d}", first_name="Camille", civility="Mme", address=address,
                     email=f"camille.{n}@exemple.fr")  # fmt: skip
    email = "" if n in NO_EMAIL else f"syndic{n}@copro.example"
    return Party(last_name=f"Lot{n:02d}", kind=PartyKind.COMPANY, company_name=f"SCI Lot {n:02d}", email=email,
                 address=address)  # fmt: skip


def convocation_events(ctx: AppContext) -> list[str]:
    """50 owners of one building and one convocation each, written as the lead's repositories write them."""
    template = next(t for t in ctx.repos.templates.all() if "onvocation" in t.name)
    entity = next(e for e in ctx.repos.entities.all() if e.name == "Le Clos des Vignes")
    with ctx.write() as w:
        owners = w.parties.insert_many([owner(n) for n in range(COUNT)])
        events = w.events.insert_many(
            [
                Event(entity_id=entity.id, template_id=template.id, title=f"Convocation AG 2027 — lot {n}",
                      created_at=ctx.now_iso(), parties=(EventParty(p.id, Role.EVENT_PARTY),), lot=str(n),
                      entity_name=entity.name, template_name=template.name, party_names=(p.short_name,))
                for n, p in enumerate(owners)
            ]
        )  # fmt: skip
    return [e.id for e in events]


def info(app: object) -> str:
    return str(app.screen.query_one("#sending-info", Static).content)  # type: ignore[attr-defined]


@pytest.mark.parametrize("mode", list(ValidationMode))
async def test_fifty_letters_fixed_prepared_and_validated_in_f9(
    store: RecordStore, sandbox: ServedSandbox, mode: ValidationMode
) -> None:
    ctx = letters_ctx(store, sandbox, mode, login="julien")  # julien: no seeded letter waits for him
    events = convocation_events(ctx)
    app = create_app(ctx, poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, EventsScreen)
        await pilot.press("slash", *"ag 2027", "enter")
        await settle(pilot)
        assert len(app.screen.query_one(RecordList).rows) == COUNT
        await pilot.press("ctrl+a", "a", "r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LetterSendingScreen)
        assert f"{COUNT} lettre(s)" in info(app) and "5 erreur(s)" in info(app), info(app)
        recap = screen.query_one("#recap-list", RecordList)

        for n, left in zip(NO_EMAIL, (4, 3, 2), strict=True):  # Enter → the form → the email → back
            recap.focus()
            recap.cursor = next(i for i, r in enumerate(recap.rows) if r.cells[0] == f"SCI Lot {n:02d}")
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, PartyFormScreen)
            app.screen.query_one("#email", Input).value = f"syndic{n}@copro.example"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is screen and f"{left} erreur(s)" in info(app), info(app)

        for n in PRIVATE:  # `p` on the private owner: paper
            recap.focus()
            recap.cursor = next(
                i for i, r in enumerate(recap.rows) if f"Propriétaire{n:02d}".upper() in r.cells[0]
            )
            await pilot.press("p")
            await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "0 erreur(s)" in info(app) and "2 LR papier" in info(app), info(app)

        await pilot.press("ctrl+s")
        await settle(pilot)
        progress = app.screen
        assert isinstance(progress, BatchProgressScreen)
        assert progress.report is not None and progress.report.succeeded == COUNT, progress.report.failed
        await pilot.press("enter")
        await settle(pilot)
        prepared = ctx.repos.letters.for_events(events)
        assert len(prepared) == COUNT and {x.status for x in prepared} == {LetterStatus.TO_VALID}

        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, OtpScreen)
        assert f"{COUNT} cochée(s) sur {COUNT}" in screen_text(app)
        await pilot.press(*code(sandbox, 1), "enter")
        await settle(pilot)
        progress = app.screen
        assert isinstance(progress, BatchProgressScreen)
        assert progress.report is not None and progress.report.succeeded == COUNT, progress.report.failed
    sent = [m for m in mails(sandbox) if m["ref_dossier"] in {x.reference for x in prepared}]
    assert len(sent) == COUNT and {m["status"] for m in sent} == {"waiting"}
    assert len([m for m in sent if m["is_paper"]]) == len(PRIVATE)
    assert {x.status for x in ctx.repos.letters.for_events(events)} == {LetterStatus.WAITING}
