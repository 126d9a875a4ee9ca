"""The TUI starts with the cyclic GC's threshold raised (a tenth of the start's CPU) and puts the default back
once Accueil shows its counts."""

from __future__ import annotations

import gc

from lsc_tui.cli.main import STARTING_GC, make_tui
from lsc_tui.store import RecordStore as Store
from lsc_tui.tui.app import DEFAULT_GC
from tests.fixtures import context
from tests.tui.helpers import settle


async def test_gc_threshold_is_put_back_once_accueil_shows(store: Store) -> None:
    before = gc.get_threshold()
    try:
        app = make_tui(context(store), poll_seconds=0)
        assert gc.get_threshold() == STARTING_GC
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert gc.get_threshold() == DEFAULT_GC
    finally:
        gc.set_threshold(*before)
