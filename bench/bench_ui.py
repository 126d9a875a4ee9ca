"""UI at firm scale: start-to-Accueil, events list first paint, filter keystrokes, peak RSS.

Everything is measured in a fresh process on a store seeded beforehand (as a user opening the app), and
printed beside the naive baseline: a DataTable loaded with every row. Asserts nothing.
Run: python bench/bench_ui.py [N]   (default 100000 extra events)
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from lsc_tui.services import events
from lsc_tui.store import Store
from tests.fixtures import context, seeded_store

WORDS = ["Bail", "Mandat", "Convocation AG", "Mise en demeure", "Avenant", "Compromis", "Notification"]


def grow(store: Store, n: int) -> None:
    """Add n events copied from the demo's, in batches of 10k."""
    base = store.all("events")
    done = 0
    while done < n:
        size = min(10_000, n - done)
        recs = []
        for i in range(done, done + size):
            src = {k: v for k, v in base[i % len(base)].items() if k not in ("id", "_rev")}
            src["title"] = f"{WORDS[i % len(WORDS)]} — lot {i % 997} — n° {i}"
            recs.append(src)
        with store.transaction() as tx:
            tx.insert_many("events", recs)
        done += size


# Runs in a fresh process: the figures a user would feel.
APP_SCRIPT = """
import asyncio, json, resource, sys, time
t_start = time.perf_counter()
from pathlib import Path
from lsc_tui.services.listing import filter_rows
from lsc_tui.store import Store
from lsc_tui.tui.app import create_app
from lsc_tui.tui.widgets.record_list import RecordList
from tests.fixtures import context

async def rows_shown(pilot, selector=RecordList):
    while not len(pilot.app.screen.query_one(selector).rows):
        await pilot.pause(0.002)

async def main():
    out = {}
    app = create_app(context(Store.open(Path(sys.argv[1]))), poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await rows_shown(pilot)
        out["start_to_accueil"] = time.perf_counter() - t_start
        await app.workers.wait_for_complete()
        out["warm_up"] = time.perf_counter() - t_start
        t0 = time.perf_counter()
        await pilot.press("f7")
        await rows_shown(pilot)
        out["first_paint"] = time.perf_counter() - t0
        await app.workers.wait_for_complete()
        out["rows"] = len(app.screen.query_one(RecordList).rows)
        await pilot.press("f2")
        t0 = time.perf_counter()
        await pilot.press("f7")
        await rows_shown(pilot)
        out["second_visit"] = time.perf_counter() - t0
        screen = app.screen
        box = screen.query_one("#filter")
        box.display = True
        # the app's own work for a keystroke (filter + set rows + status), without Pilot's round trip
        for key, query in (("key1", "m"), ("key2", "ma"), ("key3", "man")):
            t0 = time.perf_counter()
            box.value = query
            screen._apply_filter()
            out[key] = time.perf_counter() - t0
        t0 = time.perf_counter()
        await pilot.press("d")
        out["key_pilot"] = time.perf_counter() - t0
        out["shown_after"] = len(screen.query_one(RecordList).rows)
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))

asyncio.run(main())
"""


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


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "data"
        grow(seeded_store(root), n)
        done = subprocess.run(
            [sys.executable, "-c", APP_SCRIPT, str(root)], capture_output=True, text=True, check=True
        )
        f = json.loads(done.stdout.strip().splitlines()[-1])
        naive = asyncio.run(measure_naive(root))
    ms = 1000
    table = [
        ("start to Accueil (fresh process)", f"{f['start_to_accueil']:.2f} s", "", "0.7 s"),
        ("big lists warmed up in the background", f"{f['warm_up']:.2f} s", "", ""),
        ("events list first paint (F7 → rows)", f"{f['first_paint']:.3f} s", f"{naive:.2f} s", "0.3 s"),
        ("events list, next visit (F2, F7)", f"{f['second_visit']:.3f} s", "", ""),
        ("keystroke 1 'm' (app work)", f"{f['key1'] * ms:.1f} ms", "", "50 ms"),
        ("keystroke 2 'ma' (narrowing)", f"{f['key2'] * ms:.1f} ms", "", "50 ms"),
        ("keystroke 3 'man'", f"{f['key3'] * ms:.1f} ms", "", "50 ms"),
        ("keystroke through Pilot (+ its round trip)", f"{f['key_pilot'] * ms:.1f} ms", "", ""),
        ("peak RSS of the app process", f"{f['rss_mb']:.0f} MB", "", "250 MB"),
    ]
    print(f"{int(f['rows']):,} events in the list")
    print(f"{'measure':<46}{'lsc-tui':>11}{'naive':>10}{'target':>9}")
    for name, ours, base, target in table:
        print(f"{name:<46}{ours:>11}{base:>10}{target:>9}")


if __name__ == "__main__":
    main()
