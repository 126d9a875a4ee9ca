"""UI at firm scale: events list first paint, one filter keystroke, start-to-Accueil, peak RSS.

Prints figures beside the naive baseline (a DataTable loaded with every row). Asserts nothing.
Run: python bench/bench_ui.py [N]   (default 100000)
"""

from __future__ import annotations

import asyncio
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from lsc_tui.services import events
from lsc_tui.services.listing import filter_rows
from lsc_tui.store import Store
from lsc_tui.tui.app import create_app
from lsc_tui.tui.widgets.record_list import RecordList
from tests.fixtures import context, seeded_store

WORDS = ["Bail", "Mandat", "Convocation AG", "Mise en demeure", "Avenant", "Compromis", "Notification"]


def grow(store: Store, n: int) -> None:
    """Add n events (and nothing else) copied from the demo's, in batches of 10k."""
    base = store.all("events")
    batch = 10_000
    done = 0
    while done < n:
        size = min(batch, n - done)
        recs = []
        for i in range(done, done + size):
            src = dict(base[i % len(base)])
            for k in ("id", "_rev"):
                src.pop(k, None)
            src["title"] = f"{WORDS[i % len(WORDS)]} — lot {i % 997} — n° {i}"
            recs.append(src)
        with store.transaction() as tx:
            tx.insert_many("events", recs)
        done += size


async def measure_app(root: Path) -> dict[str, float]:
    store = Store.open(root)
    app = create_app(context(store), poll_seconds=0)
    out: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        t0 = time.perf_counter()
        await pilot.press("f7")
        await app.workers.wait_for_complete()
        await pilot.pause()
        out["first_paint_events"] = time.perf_counter() - t0
        out["rows"] = len(app.screen.query_one(RecordList).rows)
        await pilot.press("slash")
        # one keystroke on an already-typed query: the filter runs over every row
        t0 = time.perf_counter()
        await pilot.press("m")
        await pilot.pause()
        out["keystroke_pilot"] = time.perf_counter() - t0
        rows = events.rows(app.ctx)
        t0 = time.perf_counter()
        filter_rows(rows, "mandat lot 12")
        out["filter_only"] = time.perf_counter() - t0
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


class NaiveTable(App[None]):
    def __init__(self, rows: list[tuple[str, ...]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield DataTable()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Chrono", "Date", "Objet", "Entité", "Modèle", "Tiers", "État")
        table.add_rows(self.rows)


async def measure_naive(root: Path) -> float:
    rows = [r.cells for r in events.rows(context(Store.open(root)))]
    app = NaiveTable(rows)
    t0 = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.pause()
        return time.perf_counter() - t0


START_SCRIPT = """
import asyncio, sys, time
t0 = time.perf_counter()
from pathlib import Path
from lsc_tui.store import Store
from lsc_tui.tui.app import create_app
from tests.fixtures import context
async def main():
    app = create_app(context(Store.open(Path(sys.argv[1]))), poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        print(time.perf_counter() - t0)
asyncio.run(main())
"""


def start_to_accueil(root: Path) -> float:
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", START_SCRIPT, str(root)], capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - t0
    return min(wall, float(out.stdout.strip() or wall)) if out.stdout.strip() else wall


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "data"
        store = seeded_store(root)
        t0 = time.perf_counter()
        grow(store, n)
        print(f"seeded {n:,} events in {time.perf_counter() - t0:.1f} s")
        start = start_to_accueil(root)
        figures = asyncio.run(measure_app(root))
        naive = asyncio.run(measure_naive(root)) if n <= 100_000 else float("nan")
        print(f"{'measure':<40}{'lsc-tui':>12}{'naive':>12}{'target':>10}")
        print(
            f"{'events list first paint (' + format(int(figures['rows']), ',') + ' rows)':<40}"
            f"{figures['first_paint_events']:>11.3f}s{naive:>11.2f}s{'0.3 s':>10}"
        )
        print(
            f"{'one filter keystroke (pilot, incl. paint)':<40}{figures['keystroke_pilot'] * 1000:>10.1f}ms{'':>12}{'50 ms':>10}"
        )
        print(
            f"{'filter over all rows (service only)':<40}{figures['filter_only'] * 1000:>10.1f}ms{'':>12}{'':>10}"
        )
        print(f"{'start to Accueil (fresh process)':<40}{start:>11.2f}s{'':>12}{'0.7 s':>10}")
        print(f"{'peak RSS':<40}{figures['rss_mb']:>10.0f}MB{'':>12}{'250 MB':>10}")


if __name__ == "__main__":
    main()
