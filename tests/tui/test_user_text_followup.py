"""User text stays data on the follow-up screens (issue #11 §4 §8): Accueil's block and its detail line, a
party's history, the journal's list and its user filter — names and reasons that look like markup."""

from __future__ import annotations

from textual.widgets import Select, Static

from lsc_tui.store import RecordStore as Store
from lsc_tui.tui.app import create_app
from lsc_tui.tui.screens.journal import JournalScreen
from lsc_tui.tui.screens.party_history import PartyHistoryScreen
from lsc_tui.tui.widgets.record_list import RecordList
from tests.fixtures import context
from tests.tui.helpers import running, screen_text, settle
from tests.tui.test_user_text import LETTER_SUBJECT, PARTY_SHOWN, REASON, SIGNATURE, SIZE, USER_NAME
from tests.tui.test_user_text import store as store  # the fixture: the demo plus markup-looking records


async def test_accueil_history_and_journal_show_user_text_as_typed(store: Store) -> None:
    app = create_app(context(store, "zorg"), poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        files = app.screen.query_one("#files", RecordList)
        index = next(i for i, r in enumerate(files.rows) if r.cells[1] == SIGNATURE)
        assert files.rows[index].cells[-1] == REASON
        for _ in range(index):
            await pilot.press("down")
        assert (
            str(app.screen.query_one("#file-detail", Static).content)
            == f"Refusé : « {SIGNATURE} » — {REASON}"
        )
        assert SIGNATURE in screen_text(app)
        await pilot.press("f3", "slash", *"zorglub jean", "enter", "h")
        await settle(pilot)
        assert isinstance(app.screen, PartyHistoryScreen)
        text = screen_text(app)
        assert f"Signatures et lettres de {PARTY_SHOWN}" in text and LETTER_SUBJECT in text
        await pilot.press("escape", "enter")  # the party's form, saved: a journal line
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("f2", "j")
        await settle(pilot)
        assert isinstance(app.screen, JournalScreen)
        assert [r.cells[1] for r in app.screen.query_one(RecordList).rows] == ["zorg"]
        await pilot.press("u", "enter")
        await settle(pilot)
        assert f"{USER_NAME} (zorg)" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen.query_one("#user", Select), Select)
        assert running(app)
