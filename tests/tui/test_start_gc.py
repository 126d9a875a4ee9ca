"""The TUI starts with the cyclic GC's threshold raised (a tenth of the start's CPU) and the GIL's switch
interval lowered (the counts' store read waited on the layout), puts the defaults back once Accueil shows its
counts, and reads Accueil's summary once."""

from __future__ import annotations

import gc
import sys

import pytest

from lsc_tui.cli.start import STARTING_GC, STARTING_SWITCH
from lsc_tui.cli.tui_app import make_tui
from lsc_tui.services import home
from lsc_tui.store import RecordStore as Store
from lsc_tui.tui.app import DEFAULT_GC, DEFAULT_SWITCH
from tests.fixtures import context
from tests.tui.helpers import settle


async def test_start_settings_are_put_back_once_accueil_shows(store: Store) -> None:
    before, switch = gc.get_threshold(), sys.getswitchinterval()
    try:
        app = make_tui(context(store), poll_seconds=0)
        assert gc.get_threshold() == STARTING_GC
        assert sys.getswitchinterval() == pytest.approx(STARTING_SWITCH)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert gc.get_threshold() == DEFAULT_GC
            assert sys.getswitchinterval() == pytest.approx(DEFAULT_SWITCH)
    finally:
        gc.set_threshold(*before)
        sys.setswitchinterval(switch)


async def test_a_screen_reads_the_store_once_when_shown(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual resumes a mode's screen twice on its first visit: the second resume must not read again."""
    from lsc_tui.tui.screens.events import EventsScreen

    calls: list[str] = []
    summary, reload = home.summary, EventsScreen.reload
    monkeypatch.setattr(home, "summary", lambda ctx: calls.append("accueil") or summary(ctx))
    monkeypatch.setattr(EventsScreen, "reload", lambda self: calls.append("f7") or reload(self))
    app = make_tui(context(store), poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert calls == ["accueil"]
        await pilot.press("f7")  # first visit of the mode
        await settle(pilot)
        assert calls == ["accueil", "f7"]
        await pilot.press("f2", "f7")  # each shown again: read again, once each
        await settle(pilot)
        assert calls == ["accueil", "f7", "accueil", "f7"]


async def test_accueil_first_frame_has_the_counts_read_by_the_start(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The start reads the counts beside the store's opening; if the store cannot say then, Accueil asks again
    through its worker (which would report why) and still shows them."""
    from lsc_tui.store.errors import StoreError
    from lsc_tui.tui.widgets.record_list import RecordList

    app = make_tui(context(store), poll_seconds=0)
    async with app.run_test(size=(120, 40)):  # no pause, no worker awaited: the first frame
        assert app.screen.query_one("#counts", RecordList).count > 0

    summary, failed = home.summary, []

    def once_unreadable(ctx: object) -> object:
        if not failed:
            failed.append(1)
            raise StoreError("illisible")
        return summary(ctx)  # type: ignore[arg-type]

    monkeypatch.setattr(home, "summary", once_unreadable)
    app = make_tui(context(store), poll_seconds=0)
    assert app.take_first_summary() is None and failed == [1]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#counts", RecordList).count > 0
