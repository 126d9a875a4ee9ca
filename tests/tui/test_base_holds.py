"""The base holds inside the TUI (issue #7): a record this version cannot read is one row that says so, not a
dead list; F9 shows only the user's own letters."""

from __future__ import annotations

from lsc_tui.store import RecordStore as Store
from lsc_tui.tui.app import create_app
from lsc_tui.tui.screens.otp_validation import OtpScreen
from lsc_tui.tui.widgets.record_list import RecordList
from tests.fixtures import context
from tests.tui.helpers import running, settle

SIZE = (120, 40)


async def test_an_unreadable_letter_is_one_row_saying_so_and_the_list_works(store: Store) -> None:
    with store.transaction() as tx:  # written by a newer version, say: a status this one does not know
        tx.insert("letters", {**store.select("letters")[0], "id": None, "status": "archived_v9"})
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        rows = app.screen.query_one(RecordList).rows
        unreadable = [r for r in rows if r.cells[0] == "⚠ illisible"]
        assert (len(unreadable) == 1 and "statut" in unreadable[0].cells[1]) or "archived_v9" in unreadable[
            0
        ].cells[1]
        assert len(rows) == 22
        await pilot.press("slash", *"refus")
        await settle(pilot)
        assert 1 <= len(app.screen.query_one(RecordList).rows) < 22
        assert running(app)


async def test_f9_shows_only_my_letters(store: Store) -> None:
    for login, expected in (("claire", 12), ("julien", 0)):
        app = create_app(context(store, login), poll_seconds=0)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("f9")
            await settle(pilot)
            assert isinstance(app.screen, OtpScreen)
            assert sum(len(g.letters) for g in app.screen.groups) == expected, login
