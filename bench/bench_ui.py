"""The UI at firm scale on the embedded store: start to Accueil, events list first paint, filter keystrokes,
peak RSS, each in a fresh process on a store seeded beforehand (as a user opening the app in the morning).

    .venv/bin/python bench/bench_ui.py [--events 100000] [--repeat 5] [--dir DIR]

The app is wired as `lsc-tui --data DIR` wires it (cli.main imported, build_context, the firm's three
providers configured) and driven by Pilot at 120×40. Printed beside, from the same run:
- the floor: a minimal Textual app (one Static) started the same way, in a fresh process, to its first frame;
- the naive baseline: every event loaded into a Textual DataTable (what the list cost before the Line API).
"Start" is from the first line of the script (imports included) to Accueil showing its counts. A keystroke is
what the filter's `Input.Changed` runs plus rendering every line of the screen, without Pilot's round trip
(printed apart). Wall and CPU are both printed: the machine is shared, CPU moves less with the load. Each
figure is the median of `--repeat` fresh processes, floor and app alternately (the start's, of `--starts` more
pairs too, the app stopped at Accueil); RSS is the process's own peak
(VmHWM). Children run with compiled bytecode, as an installed lsc-tui. Asserts nothing.
"""

from __future__ import annotations

import time

T_START = time.perf_counter()  # before any import of ours or of Textual: "start" counts the imports

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WORDS = ["Bail", "Mandat", "Convocation AG", "Mise en demeure", "Avenant", "Compromis", "Notification"]
TYPED = "mandat lot 12"
"""What the bench types into the events filter, one key at a time (first word narrows, then a second)."""
SECRETS = {
    "yousign": {"api_key": "bench", "base_url": "sandbox"},
    "esign": {"api_key": "bench", "base_url": "sandbox"},
    "ar24": {"token": "bench", "private_key": "bench", "base_url": "sandbox"},
}
"""A firm with its three providers configured: their clients are part of what a start may have to make."""


def rss_mb() -> float:
    """Peak RSS of this process, from /proc (VmHWM). Not getrusage's ru_maxrss: Linux carries the parent's
    peak over fork and exec into it, so a child started by a parent holding 80 MB reports at least 80 MB."""
    return int(Path("/proc/self/status").read_text().split("VmHWM:")[1].split()[0]) / 1024


# ---------------------------------------------------------------------------------------------- seeding


def grow(root: Path, n: int) -> int:
    """A demo agency with `n` more events copied from the demo's (new titles), in batches of 10,000."""
    from lsc_tui.config import secrets_for
    from lsc_tui.store import open_store
    from tests.fixtures import seeded_store

    store = seeded_store(root)
    secrets_for(root).write(SECRETS)
    base = store.select("events")
    done = 0
    while done < n:
        size = min(10_000, n - done)
        with store.transaction() as tx:
            for i in range(done, done + size):
                rec = {k: v for k, v in base[i % len(base)].items() if k not in ("id", "_rev")}
                rec["title"] = f"{WORDS[i % len(WORDS)]} — lot {i % 997} — n° {i}"
                tx.insert("events", rec)
        done += size
    store.close()
    return open_store(root).count("events")


# ---------------------------------------------------------------------------------- fresh-process modes


def note_frame(shows: Any) -> list[float]:
    """The time of the first frame Textual composes once `shows(screen)` is true: what the person sees, the
    same instant for the floor and the app (a Pilot loop notices it later, after whatever threads the app
    starts behind that frame)."""
    from textual.screen import Screen

    frames: list[float] = []
    refresh = Screen._compositor_refresh

    def noted(self: Screen[Any]) -> None:
        refresh(self)
        if not frames and shows(self):
            frames.append(time.perf_counter() - T_START)

    Screen._compositor_refresh = noted  # type: ignore[method-assign]
    return frames


def child_floor() -> dict[str, float]:
    """A minimal Textual app to its first frame: the cost of Python + Textual that no app can avoid."""
    import asyncio

    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("Accueil")

    frames = note_frame(lambda screen: True)

    async def main() -> dict[str, float]:
        async with Minimal().run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            return {
                "start": time.perf_counter() - T_START,
                "start_frame": frames[0],
                "start_cpu": time.process_time(),
                "rss_mb": rss_mb(),
            }

    return asyncio.run(main())


def child_floor_db(url: str) -> dict[str, float]:
    """The floor of an app on PostgreSQL: the minimal Textual app, plus the driver imported and one connection
    asked one question before its first frame (bench_ui_postgres.py prints it beside the plain floor)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT 1").fetchone()
        return child_floor()


def child_app(plan_json: str) -> dict[str, Any]:
    """lsc-tui wired as `lsc-tui --data DIR [--store URL]` wires it: Accueil, then the plan's list (F7 at 100k
    events, F8 at 1M letters on PostgreSQL), a second visit, keystrokes. `plan` is JSON: where, files, key,
    screen ("module:Class"), typed."""
    plan = json.loads(plan_json)
    from lsc_tui.cli.start import fork_at_entry  # what `lsc-tui --data DIR [--store URL]` runs first

    store = ["--store", plan["where"]] if plan["where"] != plan["files"] else []
    fork_at_entry(["--data", plan["files"], *store], login="claire")
    import asyncio
    import importlib

    from lsc_tui.cli.tui_app import open_tui  # what `lsc-tui` runs for a plain start, without click

    module, name = plan["screen"].split(":")
    painted: list[float] = []

    async def rows_shown(pilot: Any, mode_screen: type | None = None) -> None:
        while True:
            screen = pilot.app.screen
            if mode_screen is None or isinstance(screen, mode_screen):
                found = screen.query("RecordList")
                if found and len(found.first().rows):
                    return
            await pilot.pause(0.001)

    async def main() -> dict[str, Any]:
        out: dict[str, Any] = {}
        app = open_tui(plan["where"], Path(plan["files"]), login="claire", poll_seconds=0)
        from lsc_tui.tui.screens.accueil import AccueilScreen
        from lsc_tui.tui.widgets.record_list import RecordList

        render_line = RecordList.render_line

        def noted(self: RecordList, y: int) -> Any:
            """When the list first draws a data row: the frame the user sees, without Pilot's own waiting."""
            if y > 0 and self.count and not painted and type(self.screen).__name__ == name:
                painted.append(time.perf_counter())
            return render_line(self, y)

        RecordList.render_line = noted  # type: ignore[method-assign]
        frames = note_frame(lambda s: isinstance(s, AccueilScreen) and bool(s.query_one(RecordList).rows))
        async with app.run_test(size=(120, 40)) as pilot:
            await rows_shown(pilot, AccueilScreen)
            out["start"] = time.perf_counter() - T_START
            out["start_frame"] = frames[0]
            helper = (
                os.times()
            )  # on PostgreSQL the start's helper process (cli/first_reads.py), reaped by now
            out["start_cpu"] = time.process_time() + helper.children_user + helper.children_system
            if plan.get("start_only"):
                return out
            await app.workers.wait_for_complete()
            out["warm_up"] = time.perf_counter() - T_START
            out["rss_after_start"] = rss_mb()
            shown = getattr(importlib.import_module(module), name)
            painted.clear()
            t0, c0 = time.perf_counter(), time.process_time()
            await pilot.press(plan["key"])
            await rows_shown(pilot, shown)
            out["first_paint"] = time.perf_counter() - t0
            out["first_paint_cpu"] = time.process_time() - c0
            out["first_paint_app"] = painted[0] - t0 if painted else out["first_paint"]
            await app.workers.wait_for_complete()
            screen = app.screen
            records = screen.query_one(RecordList)
            out["rows"] = len(records.rows)
            await pilot.press("f2")
            await app.workers.wait_for_complete()
            painted.clear()
            t0 = time.perf_counter()
            await pilot.press(plan["key"])
            await rows_shown(pilot, shown)
            out["second_visit"] = time.perf_counter() - t0
            out["second_visit_app"] = painted[0] - t0 if painted else out["second_visit"]
            await app.workers.wait_for_complete()
            await pilot.press("slash")
            box = screen.query_one("#filter")
            # The app's own work per keystroke: what `Input.Changed` runs (filter, set rows, status line),
            # then the frame the user sees (every line of the screen rendered), without Pilot's round trip.
            keys, keys_cpu = [], []
            typed = plan["typed"]
            for k in range(1, len(typed) + 1):
                t0, c0 = time.perf_counter(), time.process_time()
                box.value = typed[:k]
                screen._apply_filter()
                screen._compositor.render_update(full=True)
                keys.append(time.perf_counter() - t0)
                keys_cpu.append(time.process_time() - c0)
            out["keys"], out["keys_cpu"] = keys, keys_cpu
            out["shown_after"] = len(records.rows)
            box.value = ""
            await pilot.pause()
            await app.workers.wait_for_complete()
            t0 = time.perf_counter()
            await pilot.press(typed[0])
            await pilot.pause()
            out["key_pilot"] = time.perf_counter() - t0
        out["rss_mb"] = rss_mb()
        return out

    return asyncio.run(main())


def child_naive(root: str) -> dict[str, float]:
    """Every event in a DataTable, to its first frame with the rows on screen."""
    import asyncio

    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    from lsc_tui.services import events
    from lsc_tui.store import open_store
    from tests.fixtures import context

    cells = [r.cells for r in events.rows(context(open_store(Path(root))))]

    class NaiveTable(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns(*events.COLUMNS)
            table.add_rows(cells)

    async def main() -> dict[str, float]:
        t0 = time.perf_counter()
        async with NaiveTable().run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.pause()
            return {"first_paint": time.perf_counter() - t0, "rss_mb": rss_mb()}

    return asyncio.run(main())


def child_cold_read(root: str) -> dict[str, float]:
    """Open the store and read every event in a fresh process: as F7 reads them (list rows: parse, keep the
    listed fields, fold the search text, sort), then whole (`select`: parse only)."""
    from lsc_tui.store import open_store

    t0 = time.perf_counter()
    store = open_store(Path(root))
    t_open = time.perf_counter()
    n = len(store.listing("events"))
    t_list = time.perf_counter()
    rss_list = rss_mb()
    whole = open_store(Path(root))
    t1 = time.perf_counter()
    assert len(whole.select("events")) == n
    return {
        "open": t_open - t0,
        "listing": t_list - t0,
        "select_all": time.perf_counter() - t1,
        "rss_listing_mb": rss_list,
    }


CHILDREN = {
    "floor": child_floor,
    "floor_db": child_floor_db,
    "app": child_app,
    "naive": child_naive,
    "cold": child_cold_read,
}


def installed_env() -> dict[str, str]:
    """Children run as an installed lsc-tui does: with compiled bytecode (a wheel install compiles it; this
    machine sets PYTHONDONTWRITEBYTECODE, which would make every start compile our 20,000 lines again)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "lsc_tui", "tests"], cwd=ROOT, env=env, check=True
    )
    return env


def run_child(mode: str, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", mode, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    if done.returncode:
        raise RuntimeError(f"{mode} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def start_pairs(plan: dict[str, Any], repeat: int, env: dict[str, str]) -> tuple[list[dict], list[dict]]:
    """The floor and the app started alternately, `repeat` times each (the load moves: each pair sees the same)."""
    floor, app = [], []
    for _ in range(repeat):
        floor.append(run_child("floor", env=env))
        app.append(run_child("app", json.dumps(plan), env=env))
    return floor, app


def more_starts(plan: dict[str, Any], starts: int, env: dict[str, str]) -> tuple[list[dict], list[dict]]:
    """`starts` more pairs, the app stopped at Accueil's first frame (0.5 s a pair instead of 5): the host runs
    each process at one of two speeds, and a median of 7–9 pairs moved by ±0.25× from one run to the next."""
    return start_pairs({**plan, "start_only": True}, starts, env)


# ------------------------------------------------------------------------------------------------ report

MS = 1000.0


def med(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def key_figures(app: list[dict[str, Any]], typed: str) -> tuple[list[float], list[float]]:
    """Median over runs of each keystroke's wall and CPU time (spaces left out: they filter nothing new)."""
    wall = [statistics.median(r["keys"][k] for r in app) for k in range(len(typed))]
    cpu = [statistics.median(r["keys_cpu"][k] for r in app) for k in range(len(typed))]
    keep = [k for k, ch in enumerate(typed) if ch != " "]
    return [wall[k] for k in keep], [cpu[k] for k in keep]


def start_rows(floor: list[dict[str, Any]], app: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    f_start, a_start = med(floor, "start"), med(app, "start")
    f_frame, a_frame = med(floor, "start_frame"), med(app, "start_frame")
    f_cpu, a_cpu = med(floor, "start_cpu"), med(app, "start_cpu")
    return [
        ("start to Accueil's first frame (fresh process)", f"{a_frame:.2f} s", f"{f_frame:.2f} s floor",
         f"{a_frame / f_frame:.2f}× floor", "≤ 1.5× floor"),
        ("  same, noticed by a Pilot loop", f"{a_start:.2f} s", f"{f_start:.2f} s floor",
         f"{a_start / f_start:.2f}× floor", ""),
        ("start to Accueil, CPU (+ its helper)", f"{a_cpu:.2f} s", f"{f_cpu:.2f} s floor", f"{a_cpu / f_cpu:.2f}× floor", ""),
    ]  # fmt: skip


def list_rows(app: list[dict[str, Any]], typed: str, what: str, naive_paint: str) -> list[tuple[str, ...]]:
    wall, cpu = key_figures(app, typed)
    return [
        (f"{what} first paint (to the frame)", f"{med(app, 'first_paint_app'):.3f} s", naive_paint, "", "≤ 0.3 s"),
        ("  same, through Pilot (+ its round trip)", f"{med(app, 'first_paint'):.3f} s", "", "", ""),
        ("  same, CPU of the process", f"{med(app, 'first_paint_cpu'):.3f} s", "", "", ""),
        (f"{what}, next visit (to the frame)", f"{med(app, 'second_visit_app'):.3f} s", "", "", ""),
        (f"filter keystroke, median of {len(wall)}", f"{statistics.median(wall) * MS:.1f} ms", "", "",
         "≤ 50 ms"),
        ("filter keystroke, worst", f"{max(wall) * MS:.1f} ms", "", "", "≤ 50 ms"),
        ("filter keystroke CPU, median / worst", f"{statistics.median(cpu) * MS:.0f} / {max(cpu) * MS:.0f} ms",
         "", "", ""),
        ("keystroke through Pilot (+ its round trip)", f"{med(app, 'key_pilot') * MS:.1f} ms", "", "", ""),
    ]  # fmt: skip


def print_table(rows: list[tuple[str, ...]]) -> None:
    print(f"{'measure':<44}{'lsc-tui':>12}{'baseline / floor':>26}{'ratio':>13}{'target':>14}")
    for name, ours, base, ratio, target in rows:
        print(f"{name:<44}{ours:>12}{base:>26}{ratio:>13}{target:>14}")


def print_pairs(floor: list[dict[str, Any]], app: list[dict[str, Any]]) -> None:
    """Each pair's ratio (the app's start over the floor's just before it): the host runs a process at one of two
    speeds, and a median of 7 lands on either side of a target; the quartiles say how far."""
    ratios = [a["start_frame"] / f["start_frame"] for f, a in zip(floor, app, strict=True)]
    q1, q2, q3 = statistics.quantiles(ratios, n=4)
    print(f"start to the first frame, {len(ratios)} pairs: ratio of each pair min {min(ratios):.2f}, quartiles"
          f" {q1:.2f} / {q2:.2f} / {q3:.2f}, max {max(ratios):.2f}")  # fmt: skip


def print_keys(app: list[dict[str, Any]], typed: str) -> None:
    per = [statistics.median(r["keys"][k] for r in app) for k in range(len(typed))]
    print(
        "per keystroke, wall ms: "
        + " ".join(f"{ch!r}:{t * MS:.0f}" for ch, t in zip(typed, per, strict=True))
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--starts", type=int, default=24, help="more start pairs, stopped at Accueil")
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--child", choices=sorted(CHILDREN))
    parser.add_argument("arg", nargs="?")
    args = parser.parse_args()
    if args.child:
        fn = CHILDREN[args.child]
        result = fn(args.arg) if args.arg else fn()  # type: ignore[operator]
        print(json.dumps(result))
        return

    env = installed_env()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        root = Path(tmp) / "data"
        t0 = time.perf_counter()
        total = grow(root, args.events)
        print(f"embedded store: {total:,} events (demo + {args.events:,}), seeded in {time.perf_counter() - t0:.0f} s;"
              f" its three providers configured (sandbox URLs, never called)")  # fmt: skip
        print(f"{os.cpu_count()} CPUs, load average before the run {os.getloadavg()[0]:.2f}; "
              f"median of {args.repeat} fresh processes each, floor and app alternately"
              f" (start: {args.repeat + args.starts} pairs)")  # fmt: skip
        plan = {"where": str(root), "files": str(root), "key": "f7", "typed": TYPED,
                "screen": "lsc_tui.tui.screens.events:EventsScreen"}  # fmt: skip
        floor, app = start_pairs(plan, args.repeat, env)
        more_floor, more_app = more_starts(plan, args.starts, env)
        cold = [run_child("cold", str(root), env=env) for _ in range(args.repeat)]
        naive = run_child("naive", str(root), env=env)
        load = os.getloadavg()[0]

    rows = [
        *start_rows(floor + more_floor, app + more_app),
        ("big lists warmed up (background)", f"{med(app, 'warm_up'):.2f} s", "", "", ""),
        *list_rows(app, TYPED, "events list (F7 → rows)", f"{naive['first_paint']:.2f} s DataTable"),
        ("peak RSS of the app process", f"{med(app, 'rss_mb'):.0f} MB", f"{naive['rss_mb']:.0f} MB DataTable",
         f"{med(floor, 'rss_mb'):.0f} MB floor", "≤ 250 MB"),
        ("RSS once Accueil is warm", f"{med(app, 'rss_after_start'):.0f} MB", "", "", ""),
        ("cold: open store (fresh process)", f"{med(cold, 'open') * MS:.0f} ms", "", "", "≤ 200 ms"),
        ("cold: open + all events as list rows", f"{med(cold, 'listing') * MS:.0f} ms", "", "", ""),
        ("cold: all events whole (select)", f"{med(cold, 'select_all') * MS:.0f} ms", "", "", ""),
    ]  # fmt: skip
    print(
        f"{int(app[0]['rows']):,} events in the list; typed {TYPED!r} → {int(app[0]['shown_after']):,} rows"
    )
    print_table(rows)
    print_pairs(floor + more_floor, app + more_app)
    print_keys(app, TYPED)
    print(f"load average after the run {load:.2f}")


if __name__ == "__main__":
    main()
