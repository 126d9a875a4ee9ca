"""Every letters screen at 80×24 (issue #10, point 6 of its follow-up): the footer fits without scrolling and
every key it shows acts — Validation des envois, F9, F8 and a letter's detail, the search by dates, Compte
AR24. The keys used less often are in F1 and the palette, named on the screen beside what they change."""

from __future__ import annotations

from lsc_tui.store import RecordStore
from lsc_tui.tui.app import LscApp, create_app
from lsc_tui.tui.screens.ar24_settings import Ar24SettingsScreen
from lsc_tui.tui.screens.letter_detail import LetterDetailScreen
from lsc_tui.tui.screens.letter_search import LetterSearchScreen
from lsc_tui.tui.screens.letter_sending import LetterSendingScreen
from lsc_tui.tui.screens.otp_validation import OtpScreen
from lsc_tui.tui.screens.status_lists import LettersScreen
from lsc_tui.tui.widgets.key_footer import KeyFooter
from tests.conftest import ServedSandbox
from tests.letters.letters_kit import letters_ctx
from tests.tui.helpers import settle
from tests.tui.test_first_use import footer_keys_all_act


def fits(app: LscApp, kind: type) -> None:
    assert isinstance(app.screen, kind), type(app.screen).__name__
    if kind is not LetterSearchScreen:  # a dialog: its keys are written in it
        footer = app.screen.query_one(KeyFooter)
        assert not footer.overflows, (kind.__name__, footer.line().plain)
    assert footer_keys_all_act(app) == [], kind.__name__


async def test_every_letters_screen_fits_80_by_24(store: RecordStore, sandbox: ServedSandbox) -> None:
    app = create_app(letters_ctx(store, sandbox), poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        await pilot.press("slash", *"convocation vignes", "enter")
        await settle(pilot)
        await pilot.press("ctrl+a", "a", "r")
        await settle(pilot)
        fits(app, LetterSendingScreen)
        await pilot.press("escape", "f9")
        await settle(pilot)
        fits(app, OtpScreen)
        await pilot.press("f8")
        await settle(pilot)
        fits(app, LettersScreen)
        await pilot.press("enter")
        await settle(pilot)
        fits(app, LetterDetailScreen)
        await pilot.press("escape", "a", "d")
        await settle(pilot)
        fits(app, LetterSearchScreen)
        await pilot.press("escape")
        await settle(pilot)
        app.action_ar24_account()
        await settle(pilot)
        fits(app, Ar24SettingsScreen)
