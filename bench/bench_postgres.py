"""Figures for the PostgreSQL store at 1,000,000 letters, each beside a naive baseline and the floor.

    .venv/bin/python bench/bench_postgres.py [--n 1000000] [--url URL]

Without --url (or LSC_TUI_TEST_PG) it starts a cluster of its own from Debian's package in a temp dir, with
the durable defaults (fsync and synchronous_commit on) and shared_buffers=1GB, and removes it at the end.
Prints only. The floor is one `SELECT 1` round trip on the same connection pool, measured in the same run.
Naive baselines are what the same question costs without the store's columns and indexes: the jsonb
document alone, OFFSET paging, ILIKE over the document, a count by scanning it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from lsc_tui.domain.search import fold  # noqa: E402
from lsc_tui.store import ANY_REV  # noqa: E402
from lsc_tui.store.postgres import PostgresStore, queries  # noqa: E402
from lsc_tui.store.tables import TableSpec  # noqa: E402
from tests.postgres_server import bench_database  # noqa: E402

SPEC = TableSpec(
    "letters",
    indexed=("status", "created_by", "entity_id", "kind"),
    order=(("deposit_sort", True),),
    computed={"deposit_sort": lambda r: r.get("deposit_date") or "9999"},
    search=lambda r: " ".join(
        (r.get("recipient_name", ""), r.get("recipient_email", ""), r.get("subject", ""))
    ),
    summary=("status",),
)
SPECS = {"letters": SPEC}
STATUSES = [
    ("draft", 4),
    ("ready", 3),
    ("sent", 20),
    ("delivered", 55),
    ("refused", 8),
    ("expired", 6),
    ("negligence", 4),
]
FIRST_NAMES = "Élodie Zoé Chloé Émile Anaïs Noël François Jérôme Hélène Cécile Agnès Benoît Loïc Maëlle Gaëlle Aurélien Inès Léa Théo Lucas Hugo Manon Camille Sarah Julien Nicolas Thomas Pierre Marie Sophie Claire Isabelle Nathalie Sylvie Catherine Anne Laurent Philippe Michel Alain Patrick Christophe Stéphane Frédéric Olivier Éric Pascal Vincent Jacques Bernard"
LAST_NAMES = "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefebvre Mercier Dupont Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc Guérin Muller Henry Roussel Nicolas Perrin Morin Mathieu Clément Gauthier Dumont Lopez Fontaine Chevalier Robin Masson Sanchez Gérard Nguyen Boyer Denis Lemaire Duval Joly Gautier Roger Roche Roy Noël Meyer Lucas Meunier Jean Perez Marchand Dufour Blanchard Marie Barbier Brun Dumas Brunet Schmitt Leroux Colin Fernandez Pierre Renard Arnaud Rolland Caron Aubert Giraud Leclerc Vidal Bourgeois Renaud Lemoine Picard Gaillard Philippe Leclercq Lacroix Fabre Dupuis Olivier Rodriguez Da Silva Hubert Louis Charles Guillot Rivière Le Gall Guillaume Adam Rey Moulin Gonzalez Berger Lecomte Ménard Fleury Deschamps Carpentier Julien Bénard Paris Maillard Marechal Aubry Vasseur Le Roux Renault Jacquet Collet Prévost Poirier Charpentier Royer Huet Baron Dupuy Pons Paul Laine Carré Breton Rémy Schneider Pérez Langlois Cousin Germain Brunel Delmas Guyot Hamon Besson Lebrun Ollivier"
STREET_NAMES = "Tilleuls Acacias Platanes Marronniers Peupliers Érables Châtaigniers Cèdres Oliviers Lilas Glycines Mimosas"
FIRST, LAST, STREETS = FIRST_NAMES.split(), LAST_NAMES.split(), STREET_NAMES.split()
SUBJECTS = [
    "Convocation à l'assemblée générale ordinaire — Résidence Les {s}",
    "Mise en demeure pour charges impayées — Résidence Les {s}",
    "Appel de fonds travaux de ravalement — Les {s}",
    "Notification du procès-verbal d'assemblée — Les {s}",
    "Congé pour vente — Bail colocation {s}",
    "Révision annuelle du loyer — Les {s}",
    "Relance de régularisation des charges — Les {s}",
    "Convocation au conseil syndical — Les {s}",
]
USERS = [f"user{i:02d}" for i in range(25)]
KINDS = ["lre_qualifiee", "lre_simple", "ar24_courrier"]


def letter(i: int, rng: random.Random) -> dict[str, Any]:
    status = rng.choices([s for s, _w in STATUSES], [w for _s, w in STATUSES])[0]
    first, last = rng.choice(FIRST), rng.choice(LAST)
    day = f"20{rng.randrange(23, 27)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    rec = {
        "status": status,
        "created_by": rng.choice(USERS),
        "entity_id": f"ENT-{rng.randrange(1, 400):03d}",
        "kind": rng.choice(KINDS),
        "recipient_name": f"{rng.choice(['M.', 'Mme'])} {first} {last}",
        "recipient_email": f"{first.lower()}.{last.lower().replace(' ', '')}{rng.randrange(100)}@exemple.fr",
        "subject": rng.choice(SUBJECTS).format(s=rng.choice(STREETS)),
        "chrono": f"2026-{i:07d}",
        "address": {
            "line1": f"{rng.randrange(1, 200)} rue des {rng.choice(STREETS)}",
            "zipcode": "69002",
            "city": "Lyon",
        },
        "provider_ref": f"AR-{rng.randrange(10**9):09d}",
        "idempotency_key": f"k-{i}-{rng.randrange(10**6)}",
        "created_at": f"{day}T09:{rng.randrange(60):02d}:00+01:00",
        "pages": rng.randrange(1, 12),
    }
    if status not in ("draft", "ready"):
        rec["deposit_date"] = f"{day}T10:{rng.randrange(60):02d}:{rng.randrange(60):02d}+01:00"
    return rec


def ms(seconds: float) -> float:
    return seconds * 1000.0


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = fn()
    return ms(time.perf_counter() - t0), result


def median_of(fn: Callable[[], Any], n: int) -> tuple[float, float]:
    times = sorted(timed(fn)[0] for _ in range(n))
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


def row(name: str, ours: str, naive: str, target: str = "") -> None:
    print(f"  {name:<34} {ours:>22} {naive:>26}   {target}")


# ----------------------------------------------------------------------------------------------------- load


def batches(n: int, size: int) -> Iterator[list[dict[str, Any]]]:
    rng = random.Random(8)
    for start in range(0, n, size):
        yield [{"id": f"L{i:07d}", **letter(i, rng), "_rev": 1} for i in range(start, min(n, start + size))]


def load(store: PostgresStore, n: int) -> None:
    t0 = time.perf_counter()
    done = 0
    for batch in batches(n, 20_000):
        done += store.import_records("letters", batch)
        print(f"\r  loading… {done:,}/{n:,} ({time.perf_counter() - t0:.0f} s)", end="", flush=True)
    load_s = time.perf_counter() - t0
    vac_ms, _ = timed(lambda: store.vacuum("letters"))
    print(f"\r  bulk load: {n:,} letters in {load_s:.1f} s ({n / load_s:,.0f}/s, COPY + merge), VACUUM ANALYZE"
          f" {vac_ms / 1000:.1f} s")  # fmt: skip


# ------------------------------------------------------------------------------------------------- writers


def writer(url: str, n: int, tag: str, count: int) -> None:
    store = PostgresStore.open(url, specs=SPECS)
    rng = random.Random(hash(tag))
    for i in range(count):
        with store.transaction() as tx:
            if i % 2:
                tx.update(
                    "letters",
                    f"L{rng.randrange(n):07d}",
                    {"status": "delivered", "by": tag},
                    expect_rev=ANY_REV,
                )
            else:
                tx.insert("letters", {**letter(i, rng), "writer": tag, "seq": i})
    store.close()


def naive_writer(url: str, tag: int, count: int) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for i in range(count):
            conn.execute("INSERT INTO naive_writes (tag, i) VALUES (%s, %s)", (tag, i))


def in_processes(target: Callable[..., None], args: list[tuple[Any, ...]]) -> float:
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=target, args=a) for a in args]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    assert all(p.exitcode == 0 for p in procs), [p.exitcode for p in procs]
    return time.perf_counter() - t0


# ---------------------------------------------------------------------------------------------------- run


def measure(url: str, n: int) -> None:
    store = PostgresStore.open(url, create=True, specs=SPECS)
    with store.reading() as conn:
        conn.execute("DROP TABLE IF EXISTS naive_writes")
        conn.execute("CREATE TABLE naive_writes (tag int, i int)")
    if store.count("letters") != n:
        load(store, n)
    with store.reading() as conn:
        settings = dict(conn.execute("SELECT name, setting FROM pg_settings WHERE name IN"
                                     " ('fsync', 'synchronous_commit', 'shared_buffers', 'server_version')").fetchall())  # fmt: skip
        size = conn.execute("SELECT pg_size_pretty(pg_total_relation_size('lsc_letters'))").fetchone()[0]  # type: ignore[index]
        floor_med, floor_p95 = median_of(lambda: conn.execute("SELECT 1").fetchone(), 500)
    print(f"  server {settings.get('server_version')}, fsync={settings.get('fsync')},"
          f" synchronous_commit={settings.get('synchronous_commit')}, shared_buffers={int(settings.get('shared_buffers', 0)) * 8 // 1024} MB;"
          f" table + indexes {size}")  # fmt: skip
    print(f"  floor: SELECT 1 round trip median {floor_med:.3f} ms, p95 {floor_p95:.3f} ms\n")
    row("figure", "store", "naive baseline", "target")
    rng = random.Random(3)

    def update() -> None:
        rid = f"L{rng.randrange(n):07d}"
        rec = store.get("letters", rid)
        assert rec is not None
        t0 = time.perf_counter()
        with store.transaction() as tx:
            tx.update("letters", rid, {"status": rng.choice(["sent", "delivered"])}, expect_rev=rec["_rev"])
        times.append(ms(time.perf_counter() - t0))

    times: list[float] = []
    for _ in range(100):
        update()
    times.sort()
    with store.reading() as conn:
        naive_med, naive_p95 = median_of(
            lambda: conn.execute(
                'UPDATE lsc_letters SET data = data || \'{"status": "sent"}\' WHERE id = %s',
                (f"L{rng.randrange(n):07d}",),
            ),
            100,
        )
    row("one update (median / p95)", f"{statistics.median(times):.2f} / {times[94]:.2f} ms",
        f"{naive_med:.2f} / {naive_p95:.2f} ms bare UPDATE", "≤ 5 ms")  # fmt: skip

    def first_paint(where: dict[str, Any] | None) -> tuple[int, int]:
        fresh = PostgresStore.open(url, specs=SPECS)
        listing = fresh.listing("letters", where)
        result = (len(listing), len(listing.window(0, 50)))
        fresh.close()
        return result

    paint, _ = median_of(lambda: first_paint(None), 5)
    paint_f, _ = median_of(lambda: first_paint({"status": "sent"}), 5)
    with store.reading() as conn:
        naive_paint, _ = median_of(
            lambda: (
                conn.execute("SELECT count(*) FROM lsc_letters").fetchone(),
                conn.execute(
                    "SELECT data FROM lsc_letters ORDER BY data->>'deposit_date' DESC LIMIT 50"
                ).fetchall(),
            ),
            3,
        )
    row(
        "first paint: open+count+50 rows",
        f"{paint:.0f} ms",
        f"{naive_paint:.0f} ms sort on jsonb",
        "≤ 300 ms",
    )
    row("first paint, status = sent", f"{paint_f:.0f} ms", "", "≤ 300 ms")

    listing = store.listing("letters")
    len(listing)
    deep = int(n * 0.9)
    jump, _ = timed(lambda: listing.window(deep, deep + 50))
    step, _ = median_of(
        lambda: listing.window(deep + 200 * (len(listing.fetches)), deep + 200 * len(listing.fetches) + 50),
        10,
    )
    with store.reading() as conn:
        naive_step, _ = median_of(
            lambda: conn.execute(
                "SELECT id, rev, data FROM lsc_letters ORDER BY o_deposit_sort DESC, id DESC"
                " OFFSET %s LIMIT 200",
                (deep,),
            ).fetchall(),
            3,
        )
    row(
        f"scroll at row {deep:,}: next page",
        f"{step:.1f} ms (jump {jump:.0f})",
        f"{naive_step:.0f} ms OFFSET",
        "",
    )

    typed = "lefevre convocation"
    prefixes = [typed[:k] for k in range(1, len(typed) + 1) if not typed[:k].endswith(" ")][:20]
    root = store.listing("letters")

    def keystroke(text: str) -> None:
        """What a screen waits for: the first rows (its count follows once typing pauses, COUNT_AFTER_S)."""
        view = root.narrow(text)
        view.head(50)
        view.cancel()

    def count(text: str) -> None:
        with store.reading() as conn:
            queries.count(conn, store.layout("letters"), None, fold(text).split())

    key_times = sorted(timed(lambda t=p: keystroke(t))[0] for p in prefixes)
    count_times = sorted(timed(lambda t=p: count(t))[0] for p in prefixes)
    with store.reading() as conn:

        def naive_key(text: str) -> None:
            conds = " AND ".join(
                ["(data->>'recipient_name' || ' ' || (data->>'subject')) ILIKE %s"] * len(text.split())
            )
            params = [f"%{w}%" for w in text.split()]
            conn.execute(f"SELECT count(*) FROM lsc_letters WHERE {conds}", params).fetchone()
            conn.execute(
                f"SELECT data FROM lsc_letters WHERE {conds} ORDER BY data->>'deposit_date' DESC LIMIT 50",
                params,
            ).fetchall()

        naive_keys = sorted(timed(lambda t=p: naive_key(t))[0] for p in prefixes[::4])
    row(f"filter keystroke (median of {len(prefixes)})", f"{statistics.median(key_times):.0f} ms (max {key_times[-1]:.0f})",
        f"{statistics.median(naive_keys):.0f} ms ILIKE, no index", "≤ 50 ms")  # fmt: skip
    slow = [
        (p, round(t))
        for p, t in zip(prefixes, [timed(lambda t=p: keystroke(t))[0] for p in prefixes], strict=True)
        if t > 50
    ]
    if slow:
        print(f"    keystrokes over 50 ms: {slow}")
    row(f"count of the narrowed list, once typing pauses (median of {len(prefixes)})",
        f"{statistics.median(count_times):.0f} ms (max {count_times[-1]:.0f})", "", "")  # fmt: skip
    print(
        f"    counts: {[(p, round(t)) for p, t in zip(prefixes, [timed(lambda t=p: count(t))[0] for p in prefixes], strict=True)]}"
    )

    by, _ = median_of(lambda: store.count_by("letters", "status"), 5)
    with store.reading() as conn:
        naive_by, _ = median_of(
            lambda: conn.execute("SELECT data->>'status', count(*) FROM lsc_letters GROUP BY 1").fetchall(), 3
        )
    row("count_by status", f"{by:.0f} ms", f"{naive_by:.0f} ms GROUP BY on jsonb", "")

    before = store.count("letters")
    run = f"run{time.time_ns()}"
    wall = in_processes(writer, [(url, n, f"{run}-{tag}", 1000) for tag in range(4)])
    added = store.count("letters", {"kind": KINDS}) - before
    per_writer = {k: v for k, v in store.count_by("letters", "writer").items() if str(k).startswith(run)}
    lost = 2000 - added
    naive_wall = in_processes(naive_writer, [(url, tag, 1000) for tag in range(4)])
    row(
        "4 processes × 1,000 writes",
        f"{wall:.1f} s, {4000 / wall:,.0f}/s",
        f"{naive_wall:.1f} s bare INSERTs",
        "nothing lost",
    )
    print(f"    inserts seen {added} of 2000, lost {lost}; per writer {dict(sorted(per_writer.items()))}")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--url", default=os.environ.get("LSC_TUI_TEST_PG"))
    args = parser.parse_args()
    settings = {"shared_buffers": "1GB", "max_wal_size": "4GB"}
    with bench_database(args.url, f"lsc_bench_{args.n}", durable=True, settings=settings) as db:
        print(f"PostgreSQL store, {args.n:,} letters")
        measure(db, args.n)


if __name__ == "__main__":
    main()
