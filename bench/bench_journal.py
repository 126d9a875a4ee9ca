"""Journal (X6) at 1,000,000 audit lines on PostgreSQL: what each filter costs a user opening the screen.

    .venv/bin/python bench/bench_journal.py [--n 1000000] [--url URL]

Without --url (or LSC_TUI_TEST_PG) it starts a cluster of its own from Debian's package in a temp dir and
removes it at the end. Lines are spread over two years, 25 users, 12 actions and 50,000 records, loaded with
COPY, then every figure goes through the service the screen calls (`journal.rows`, `choices`, `export_csv`):
"paint" is the line count plus the first 40 lines (what the screen shows), on a listing not read before (the
store keeps a listing while its table does not change: a second visit costs nothing).
Prints only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from lsc_tui.services import journal  # noqa: E402
from lsc_tui.services.demo import seed  # noqa: E402
from lsc_tui.store import open_store  # noqa: E402
from tests.fixtures import FIXED_NOW, context  # noqa: E402
from tests.postgres_server import bench_database  # noqa: E402

USERS = ["claire", "julien", *(f"user{i:02d}" for i in range(23))]
ACTIONS = [
    "tiers.modifier",
    "tiers.consentement",
    "modele.modifier",
    "evenement.chrono",
    "signature.envoyer",
    "signature.relancer",
    "signature.annuler",
    "signature.recuperer",
    "lettre.envoyer",
    "lettre.valider",
    "lettre.statut",
    "entite.variables_courrier",
]
TABLES = ["parties", "templates", "events", "signature_requests", "letters", "entities"]


def lines(n: int, size: int) -> Iterator[list[dict[str, Any]]]:
    rng = random.Random(6)
    start = FIXED_NOW - dt.timedelta(days=730)
    step = 730 * 86400 / n
    for first in range(0, n, size):
        batch = []
        for i in range(first, min(n, first + size)):
            at = start + dt.timedelta(seconds=i * step)
            table = TABLES[rng.randrange(len(TABLES))]
            batch.append(
                {
                    "id": f"A{i:07d}",
                    "_rev": 1,
                    "at": at.isoformat(timespec="seconds"),
                    "user": USERS[rng.randrange(len(USERS))],
                    "action": ACTIONS[rng.randrange(len(ACTIONS))],
                    "table": table,
                    "record_id": f"R{rng.randrange(50_000):05d}",
                    "detail": rng.choice(
                        ["mobile", "email, address", "accord", "retrait", "2026-000123", ""]
                    ),
                }
            )
        yield batch


def timed(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    spent, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        spent.append((time.perf_counter() - t0) * 1000)
    return statistics.median(spent), result


def paint(ctx: Any, flt: journal.JournalFilter) -> Callable[[], int]:
    def run() -> int:
        view = journal.rows(ctx, flt)
        n = len(view)
        _ = view[0:40]
        return n

    return run


def measure(url: str, n: int) -> None:
    store = open_store(url, create=True)
    if store.count("audit") < n:
        seed(store, FIXED_NOW)
        t0 = time.perf_counter()
        done = 0
        for batch in lines(n, 20_000):
            done += store.import_records("audit", batch)  # type: ignore[attr-defined]
            print(f"\r  loading… {done:,}/{n:,} ({time.perf_counter() - t0:.0f} s)", end="", flush=True)
        store.vacuum("audit")  # type: ignore[attr-defined]
        print(f"\r  {n:,} audit lines loaded in {time.perf_counter() - t0:.1f} s (COPY), VACUUM ANALYZE done")
    ctx = context(store)
    today = FIXED_NOW.date()
    record = "R01234"
    cases = [
        ("no filter", journal.JournalFilter()),
        ("one user", journal.JournalFilter(user="julien")),
        ("one action", journal.JournalFilter(action="lettre.valider")),
        ("one record", journal.JournalFilter(record_id=record)),
        ("last 7 days", journal.JournalFilter(since=today - dt.timedelta(days=6), until=today)),
        (
            "one month a year ago",
            journal.JournalFilter(since=dt.date(2025, 11, 1), until=dt.date(2025, 11, 30)),
        ),
        ("since a date (to today)", journal.JournalFilter(since=today - dt.timedelta(days=90))),
        ("up to a date (from the first line)", journal.JournalFilter(until=dt.date(2025, 1, 31))),
        (
            "user + action + 3 months",
            journal.JournalFilter(
                user="claire", action="tiers.modifier", since=today - dt.timedelta(days=90)
            ),
        ),
        ("words « julien chrono »", journal.JournalFilter(text="julien chrono")),
    ]
    print(f"{'open the journal with…':<40} {'lines':>9} {'paint ms':>9}")
    for label, flt in cases:
        ms, count = timed(paint(ctx, flt), repeat=1)
        print(f"{label:<40} {count:>9,} {ms:>9.1f}")
    ms, found = timed(lambda: journal.choices(ctx), repeat=1)
    print(f"{'filter lists (users, actions)':<40} {len(found.actions):>9} {ms:>9.1f}")
    view = journal.rows(ctx, journal.JournalFilter())
    _ = view[0:40]
    ms, _ = timed(lambda: view[400:440], repeat=1)
    print(f"{'scroll: 10 pages down':<40} {'':>9} {ms:>9.1f}")
    ms, _ = timed(lambda: view[len(view) - 40 : len(view)], repeat=1)
    print(f"{'scroll: End (oldest lines)':<40} {'':>9} {ms:>9.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        for label, flt in (
            ("export one user's 90 days", cases[8][1]),
            ("export one user, whole log", cases[1][1]),
        ):
            t0 = time.perf_counter()
            done = journal.export_csv(ctx, flt, str(Path(tmp) / "j.csv"), overwrite=True)
            ms = (time.perf_counter() - t0) * 1000
            print(f"{label:<40} {done.rows:>9,} {ms:>9.1f}")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--url", default=os.environ.get("LSC_TUI_TEST_PG"))
    args = parser.parse_args()
    with bench_database(
        args.url, f"lsc_journal_{args.n}", durable=False, settings={"shared_buffers": "256MB"}
    ) as db:
        print(f"PostgreSQL store, journal of {args.n:,} lines")
        measure(db, args.n)


if __name__ == "__main__":
    main()
