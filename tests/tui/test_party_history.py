"""« Suivi des signatures et lettres » of a party (O2), reached by keys from the parties list and from the
party's form, each record opening its detail."""

from __future__ import annotations

from textual.widgets import Input

from lsc_tui.store import RecordStore as Store
from lsc_tui.tui.app import create_app
from lsc_tui.tui.screens.letter_detail import LetterDetailScreen
from lsc_tui.tui.screens.parties import PartiesScreen
from lsc_tui.tui.screens.party_form import PartyFormScreen
from lsc_tui.tui.screens.party_history import PartyHistoryScreen
from lsc_tui.tui.screens.signature_detail import SignatureDetailScreen
from lsc_tui.tui.widgets.record_list import RecordList
from tests.fixtures import context
from tests.tui.helpers import screen_text, settle

SMALL = (80, 24)


async def test_from_the_list_h_shows_both_kinds_and_enter_opens_each(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("f3", "slash", *"renaud", "enter")
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, PartyHistoryScreen)
        text = screen_text(app)
        assert "Signatures et lettres de Mme RENAUD Adèle" in text
        assert "1 fiche signature · 1 lettre" in text
        rows = app.screen.query_one(RecordList).rows
        assert [(r.cells[1], r.cells[2]) for r in rows] == [("Lettre", "Envoyée"), ("Signature", "2 — Signé")]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LetterDetailScreen) and "Notification de décision" in screen_text(app)
        await pilot.press("escape", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SignatureDetailScreen) and "Mandat de gestion" in screen_text(app)
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, PartiesScreen)


async def test_from_the_form_ctrl_o_and_back_keeps_what_was_typed(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("f3", "slash", *"leroy clemence", "enter", "enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PartyFormScreen)
        form.query_one("#city", Input).value = "Villeurbanne"
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, PartyHistoryScreen)
        rows = app.screen.query_one(RecordList).rows
        assert [r.cells[2] for r in rows] == ["0 — À envoyer", "Refusé"] and rows[1].style == "warning"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is form and form.query_one("#city", Input).value == "Villeurbanne"


async def test_the_actions_menu_offers_it_too(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("f3", "slash", *"schmitt", "enter", "a")
        await settle(pilot)
        assert "Suivi des signatures et lettres" in screen_text(app)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, PartyHistoryScreen)
        assert len(app.screen.query_one(RecordList).rows) == 2
