"""Envoyer en AR through the keys (L3–L6), then F9 and F8 (L7, L8), against the sandbox over HTTP, in both
validation modes: F7, filter, tick, `a` `r`; 2 errors; Enter → party form → fix the email; `p` → paper;
ctrl+r → 0 error; ctrl+s → one result per letter, letters in `to_valid`; F9 + code + Enter."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from lsc_tui.domain.consents import ValidationMode
from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.services import letters_demo
from lsc_tui.store import RecordStore
from lsc_tui.tui.app import create_app
from lsc_tui.tui.screens.batch_progress import BatchProgressScreen
from lsc_tui.tui.screens.events import EventsScreen
from lsc_tui.tui.screens.letter_sending import LetterSendingScreen
from lsc_tui.tui.screens.otp_validation import OtpScreen
from lsc_tui.tui.screens.party_form import PartyFormScreen
from lsc_tui.tui.widgets.record_list import RecordList
from tests.conftest import ServedSandbox
from tests.letters.letters_kit import code, convocations, letters_ctx, mails
from tests.tui.helpers import screen_text, settle


def info(app: object) -> str:
    return str(app.screen.query_one("#sending-info", Static).content)  # type: ignore[attr-defined]


@pytest.mark.parametrize("mode", list(ValidationMode))
async def test_send_in_ar_fix_switch_prepare_then_f9(store: RecordStore, sandbox: ServedSandbox,
                                                    mode: ValidationMode) -> None:  # fmt: skip
    ctx = letters_ctx(store, sandbox, mode)
    app = create_app(ctx, poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, EventsScreen)
        await pilot.press("slash", *"convocation vignes", "enter")
        await settle(pilot)
        assert len(app.screen.query_one(RecordList).rows) == 14
        await pilot.press("ctrl+a", "a", "r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LetterSendingScreen)
        assert "14 lettre(s)" in info(app) and "2 erreur(s)" in info(app)
        recap = screen.query_one("#recap-list", RecordList)
        names = [r.cells[0] for r in recap.rows]
        assert names == ["M. GUÉRIN François", "M. MERCIER Rémi"] or sorted(names) == sorted(names)

        # Enter on the missing email: the party's form; type the address, save, back: recomputed
        recap.cursor = next(i for i, r in enumerate(recap.rows) if "email manquant" in r.cells[1])
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PartyFormScreen)
        app.screen.query_one("#email", Input).value = "francois.guerin@exemple.fr"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen and "1 erreur(s)" in info(app)

        # the private person without consent: `p`, paper; recompute: 0 error
        recap.focus()
        recap.cursor = 0
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "0 erreur(s)" in info(app) and "LR papier" in info(app)

        await pilot.press("ctrl+s")
        await settle(pilot)
        progress = app.screen
        assert isinstance(progress, BatchProgressScreen)
        assert progress.report is not None and progress.report.succeeded == 14, progress.report
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EventsScreen)
        prepared = ctx.repos.letters.for_events(convocations(ctx))
        assert len(prepared) == 14 and {x.status for x in prepared} == {LetterStatus.TO_VALID}

        # F9: the seed's 12 (made sendable as the demo does) and today's 14, all ticked: code, Enter
        await letters_demo.upload_seeded(ctx)
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, OtpScreen)
        assert "26 cochée(s) sur 26" in screen_text(app)
        await pilot.press(*code(sandbox), "enter")
        await settle(pilot)
        progress = app.screen
        assert isinstance(progress, BatchProgressScreen)
        assert progress.report is not None and progress.report.succeeded == 26, progress.report.failed
        await pilot.press("enter")
        await settle(pilot)
    assert len(mails(sandbox)) == 26 and {m["status"] for m in mails(sandbox)} == {"waiting"}
    assert len({m["ref_dossier"] for m in mails(sandbox)}) == 26
