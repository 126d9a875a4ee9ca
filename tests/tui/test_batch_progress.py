"""The batch progress screen: one line per item as it ends, from a thread or an async worker; Escape stops
after the items in flight and says what was left; Enter closes with the report."""

from __future__ import annotations

import asyncio
import threading

from textual.widgets import ProgressBar, Static

from lsc_tui.services.batches import BatchReport, ItemResult, Progress, Tracker
from lsc_tui.store import RecordStore as Store
from lsc_tui.tui.app import create_app
from lsc_tui.tui.screens.batch_progress import BatchProgressScreen
from lsc_tui.tui.widgets.record_list import RecordList
from tests.fixtures import context
from tests.tui.helpers import settle


def five_items(progress: Progress) -> BatchReport:
    """A thread-worker batch: item 3 fails."""
    tracker = Tracker(progress, 5)
    for i in range(1, 6):
        tracker.add(ItemResult(f"k{i}", f"Lettre {i}", i != 3, "" if i != 3 else "Adresse email manquante."))
    return tracker.close()


async def until_stopped(released: threading.Event, progress: Progress) -> BatchReport:
    """An async batch that does one item, then waits to be stopped before the second."""
    tracker = Tracker(progress, 3)
    tracker.add(ItemResult("a", "Fiche A", True))
    while not tracker.cancelled:
        await asyncio.sleep(0.01)
    released.set()
    return tracker.close()


async def test_results_arrive_one_line_per_item_and_enter_closes_with_the_report(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    closed: list[BatchReport | None] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(BatchProgressScreen("Envoi de 5 lettres", five_items, noun="lettre"), closed.append)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BatchProgressScreen)
        rows = screen.query_one(RecordList).rows
        assert [r.cells[0] for r in rows] == ["ok", "ok", "ERREUR", "ok", "ok"]
        assert rows[2].cells[2] == "Adresse email manquante."
        assert screen.query_one(ProgressBar).progress == 5
        assert "Réussi : 4 sur 5 lettres ; en erreur : 1" in str(
            screen.query_one("#batch-status", Static).content
        )
        await pilot.press("enter")
        await settle(pilot)
    assert closed and closed[0] is not None and closed[0].succeeded == 4 and not closed[0].all_ok


async def test_escape_stops_an_async_batch_after_the_items_in_flight(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    released = threading.Event()
    closed: list[BatchReport | None] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(BatchProgressScreen("Envoi", until_stopped, released), closed.append)
        await pilot.pause()
        await pilot.press("escape")  # running: asks to stop
        await settle(pilot)
        assert released.is_set()
        status = str(app.screen.query_one("#batch-status", Static).content)
        assert "reste à traiter : 2 (arrêt demandé : relancez pour finir)" in status
        await pilot.press("escape")  # ended: closes
        await settle(pilot)
    assert closed[0] is not None and closed[0].cancelled and closed[0].succeeded == 1
