"""The UI on a PostgreSQL store of 1,000,000 letters: start to Accueil, F8 first paint, filter keystrokes through
the app (Pilot, fresh processes), beside the minimal-app floor (and that floor with
the driver imported and connected) and naive SQL measured in the same run.

    .venv/bin/python bench/bench_ui_postgres.py [--n 1000000] [--url URL] [--repeat 5]

Without --url (or LSC_TUI_TEST_PG) it starts a cluster of its own from Debian's package in a temp dir (fsync
on, shared_buffers=1GB) and removes it at the end. The database `lsc_ui_bench_<n>` holds the demo agency plus
`n` letters as the app stores them (bulk import, then VACUUM ANALYZE); it is kept on a server given by --url,
so a second run starts at once. The app runs as `lsc-tui --store URL --data DIR` (same children as
bench_ui.py: the floor, then the app, alternately). Prints only.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from bench_postgres import FIRST, LAST, STREETS, SUBJECTS  # noqa: E402
from bench_ui import (  # noqa: E402
    MS,
    SECRETS,
    installed_env,
    list_rows,
    med,
    more_starts,
    print_keys,
    print_pairs,
    print_table,
    run_child,
    start_rows,
)

from lsc_tui.config import secrets_for  # noqa: E402
from lsc_tui.store import open_store  # noqa: E402
from lsc_tui.store.postgres import PostgresStore  # noqa: E402
from tests.fixtures import FIXED_NOW  # noqa: E402
from tests.postgres_server import bench_database  # noqa: E402

TYPED = "lefevre convocation"
"""Typed one key at a time into the F8 filter: a surname, then a word of the subject."""
STATUSES = [("draft", 3), ("error", 1), ("to_valid", 2), ("waiting", 2), ("sent", 20), ("AR", 60),
            ("refused", 6), ("negligence", 5), ("bounced", 1)]  # fmt: skip
USERS = ["claire", "julien", *(f"user{i:02d}" for i in range(23))]


def letter(i: int, rng: random.Random) -> dict[str, Any]:
    """A registered letter as services/letters.py stores it (RegisteredLetter.to_record)."""
    status = rng.choices([s for s, _w in STATUSES], [w for _s, w in STATUSES])[0]
    first, last = rng.choice(FIRST), rng.choice(LAST)
    day = f"20{rng.randrange(23, 27)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    sent = status not in ("draft", "error", "to_valid")
    return {
        "id": f"L{i:07d}",
        "event_id": f"{rng.randrange(1, 500):04d}-{rng.randrange(1, 999):06d}",
        "entity_id": f"ENT-{rng.randrange(1, 400):03d}",
        "party_id": f"{rng.randrange(1, 50):04d}-{rng.randrange(1, 999):06d}",
        "kind": rng.choice(["eidas", "eidas", "simple", "paper"]),
        "created_at": f"{day}T09:{rng.randrange(60):02d}:00+01:00",
        "created_by": rng.choice(USERS),
        "status": status,
        "recipient_name": f"{rng.choice(['M.', 'Mme'])} {first} {last}",
        "recipient_email": f"{first.lower()}.{last.lower().replace(' ', '')}{rng.randrange(100)}@exemple.fr",
        "reference": f"LSC-{i:07d}",
        "remote_id": str(10_000_000 + i) if sent else "",
        "subject": rng.choice(SUBJECTS).format(s=rng.choice(STREETS)),
        "deposit_date": f"{day}T10:{rng.randrange(60):02d}:{rng.randrange(60):02d}+01:00" if sent else "",
        "ar_date": f"{day}T18:00:00+01:00" if status == "AR" else "",
        "_rev": 1,
    }


def batches(n: int, size: int) -> Iterator[list[dict[str, Any]]]:
    rng = random.Random(8)
    for start in range(0, n, size):
        yield [letter(i, rng) for i in range(start, min(n, start + size))]


def prepare(url: str, n: int) -> None:
    """The demo agency and `n` letters, unless the database already holds them."""
    from lsc_tui.services.demo import seed

    store = open_store(url, create=True)
    try:
        if store.count("users") == 0:
            seed(store, FIXED_NOW)
        if store.count("letters") >= n:
            return
        assert isinstance(store, PostgresStore)
        t0 = time.perf_counter()
        done = 0
        for batch in batches(n, 20_000):
            done += store.import_records("letters", batch)
            print(f"\r  loading… {done:,}/{n:,} ({time.perf_counter() - t0:.0f} s)", end="", flush=True)
        store.vacuum("letters")
        print(f"\r  loaded {n:,} letters in {time.perf_counter() - t0:.0f} s (COPY + merge, VACUUM ANALYZE)")
    finally:
        store.close()


def naive(url: str, typed: str) -> dict[str, float]:
    """The same questions without the store's columns and indexes: the jsonb document alone."""
    out: dict[str, float] = {}
    t0 = time.perf_counter()
    with psycopg.connect(url) as conn:
        conn.execute("SELECT count(*) FROM lsc_letters").fetchone()
        conn.execute("SELECT data FROM lsc_letters ORDER BY data->>'deposit_date' DESC LIMIT 50").fetchall()
        out["first_paint"] = time.perf_counter() - t0
        times = []
        for k in range(3, len(typed) + 1, 4):
            words = typed[:k].split()
            cond = " AND ".join(
                ["(data->>'recipient_name' || ' ' || (data->>'subject')) ILIKE %s"] * len(words)
            )
            params = [f"%{w}%" for w in words]
            t1 = time.perf_counter()
            conn.execute(f"SELECT count(*) FROM lsc_letters WHERE {cond}", params).fetchone()
            conn.execute(f"SELECT data FROM lsc_letters WHERE {cond} ORDER BY data->>'deposit_date' DESC"
                         " LIMIT 50", params).fetchall()  # fmt: skip
            times.append(time.perf_counter() - t1)
        out["key"] = statistics.median(times)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--url", default=os.environ.get("LSC_TUI_TEST_PG"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--starts", type=int, default=24, help="more start pairs, stopped at Accueil")
    args = parser.parse_args()
    env = installed_env()
    name = f"lsc_ui_bench_{args.n}"
    settings = {"shared_buffers": "1GB", "max_wal_size": "4GB"}
    with bench_database(args.url, name, durable=True, settings=settings) as db:
        print(f"PostgreSQL store, demo agency + {args.n:,} letters (database {name})")
        prepare(db, args.n)
        with tempfile.TemporaryDirectory() as files:
            secrets_for(Path(files)).write(SECRETS)
            print(f"{os.cpu_count()} CPUs, load average before the run {os.getloadavg()[0]:.2f}; "
                  f"median of {args.repeat} fresh processes each, floor and app alternately"
              f" (start: {args.repeat + args.starts} pairs)")  # fmt: skip
            plan = {"where": db, "files": files, "key": "f8", "typed": TYPED,
                    "screen": "lsc_tui.tui.screens.status_lists:LettersScreen"}  # fmt: skip
            floor, floor_db, app = [], [], []
            for _ in range(args.repeat):  # alternately: the load moves, each triple sees the same
                floor.append(run_child("floor", env=env))
                floor_db.append(run_child("floor_db", db, env=env))
                app.append(run_child("app", json.dumps(plan), env=env))
            more_floor, more_app = more_starts(plan, args.starts, env)
        base = naive(db, TYPED)
        load = os.getloadavg()[0]
    rows = [
        *start_rows(floor + more_floor, app + more_app),
        ("  floor + psycopg imported and connected", "", f"{med(floor_db, 'start_frame'):.2f} s",
         f"{med(app, 'start_frame') / med(floor_db, 'start_frame'):.2f}× that", ""),
        *list_rows(app, TYPED, "letters list (F8 → rows)", f"{base['first_paint'] * MS:.0f} ms jsonb sort"),
        ("naive keystroke: ILIKE on jsonb, no index", "", f"{base['key'] * MS:.0f} ms", "", ""),
        ("peak RSS of the app process", f"{med(app, 'rss_mb'):.0f} MB", f"{med(floor, 'rss_mb'):.0f} MB floor",
         "", "≤ 250 MB"),
    ]  # fmt: skip
    print(
        f"{int(app[0]['rows']):,} letters in the list; typed {TYPED!r} → {int(app[0]['shown_after']):,} rows"
    )
    print_table(rows)
    print_pairs(floor + more_floor, app + more_app)
    print_keys(app, TYPED)
    print(f"load average after the run {load:.2f}")
    print(json.dumps({"keys_cpu_ms": [round(t * MS, 1) for t in app[0]["keys_cpu"]]}))


if __name__ == "__main__":
    main()
