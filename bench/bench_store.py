"""Figures for the store at firm scale, beside a naive single-file TinyDB (ARCHITECTURE.md, "The store at firm scale").

    .venv/bin/python bench/bench_store.py [--dir DIR] [--big 100000]

Prints only. Cold opens run in a fresh interpreter (the OS page cache stays warm, as on a server in use); the time
is measured inside it, after imports, and the import time is shown apart.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lsc_tui.store import ANY_REV, EmbeddedStore  # noqa: E402
from lsc_tui.store.opening import table_specs  # noqa: E402


def open_store(root: Path) -> EmbeddedStore:
    return EmbeddedStore.open(root, create=True, specs=table_specs())


STATUSES = ["draft", "ready", "sent", "delivered", "refused", "expired", "negligence"]
TARGETS = {"batch": 1000.0, "update": 20.0, "cold": 200.0}


def letter(i: int, rng: random.Random) -> dict[str, Any]:
    """A registered letter as the services store it: ~15 small fields."""
    return {
        "event_id": f"{rng.randrange(1, 500):04d}-{rng.randrange(1, 999):06d}",
        "party_id": f"{rng.randrange(1, 50):04d}-{rng.randrange(1, 999):06d}",
        "entity_id": f"ENT-{rng.randrange(1, 80)}",
        "status": rng.choice(STATUSES),
        "chrono": f"2026-{i:06d}",
        "recipient_name": f"Mme Dupont-{i}",
        "recipient_email": f"destinataire{i}@example.fr",
        "address": {"line1": f"{i % 200} rue de la République", "zipcode": "69002", "city": "Lyon"},
        "subject": "Convocation à l'assemblée générale ordinaire",
        "provider": "ar24",
        "provider_ref": f"AR-{rng.randrange(10**8):08d}",
        "idempotency_key": f"k-{i}-{rng.randrange(10**6)}",
        "created_at": "2026-03-12T10:11:12+01:00",
        "sent_at": "2026-03-12T10:15:00+01:00",
        "pages": rng.randrange(1, 12),
    }


def letters(n: int, seed: int = 1) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [letter(i, rng) for i in range(n)]


def ms(seconds: float) -> float:
    return seconds * 1000.0


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = fn()
    return ms(time.perf_counter() - t0), result


def run_self(*args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True).stdout
    return {k: float(v) for k, v in (line.split("=") for line in out.split() if "=" in line)}


# ----------------------------------------------------------------------------- child modes (fresh processes)


def child_cold(root: str) -> None:
    """Each figure in its own fresh Store (no shared cache); the process is fresh for the first one."""
    t0 = time.perf_counter()
    store = open_store(Path(root))
    t_open = time.perf_counter()
    by_status = store.count_by("letters", "status")
    total = store.count("letters")
    t_home = time.perf_counter()
    assert by_status["sent"] > 0 and total > 0
    print(f"open={ms(t_open - t0)} home={ms(t_home - t0)}")
    for name, fn in [
        ("count_pred", lambda s: s.count("letters", {"status": "sent"})),
        ("open_all", lambda s: s.select("letters")),
    ]:
        t0 = time.perf_counter()
        fn(open_store(Path(root)))
        print(f"{name}={ms(time.perf_counter() - t0)}")


def child_first_update(root: str, record_id: str) -> None:
    store = open_store(Path(root))
    elapsed, _ = timed(lambda: _update(store, record_id, "first"))
    print(f"first_update={elapsed}")


def child_write_one(root: str, record_id: str) -> None:
    _update(open_store(Path(root)), record_id, "from another process")


def child_naive_cold(path: str) -> None:
    from tinydb import TinyDB

    elapsed, _rows = timed(lambda: TinyDB(path).all())
    print(f"naive_cold={elapsed}")


def _update(store: EmbeddedStore, record_id: str, subject: str) -> None:
    with store.transaction() as tx:
        tx.update("letters", record_id, {"subject": subject, "status": "sent"}, expect_rev=ANY_REV)


# ------------------------------------------------------------------------------------------------ benches


def bench_store(base: Path, big: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    small_root = base / "store10k"
    store = open_store(small_root)
    data = letters(10_000)
    figures["batch10k"], _ = timed(lambda: _insert(store, data))

    root = base / "store_big"
    store = open_store(root)
    for start in range(0, big, 10_000):
        _insert(store, letters(min(10_000, big - start), seed=start))
    ids = [r["id"] for r in store.select("letters")]
    rng = random.Random(7)

    updates = []
    for _ in range(30):
        record_id = rng.choice(ids)
        elapsed, _ = timed(lambda rid=record_id: _update(store, rid, "updated"))
        updates.append(elapsed)
    figures["update_median"] = statistics.median(updates)
    figures["update_max"] = max(updates)
    figures["first_update_fresh_process"] = run_self("--child-first-update", str(root), rng.choice(ids))[
        "first_update"
    ]

    appends = []
    for i in range(30):
        elapsed, _ = timed(lambda i=i: _append_audit(store, i))
        appends.append(elapsed)
    figures["audit_append_median"] = statistics.median(appends)

    cold = run_self("--child-cold", str(root))
    figures["open_only"] = cold["open"]
    figures["open_home"] = cold["home"]
    figures["open_count_pred"] = cold["count_pred"]
    figures["open_all"] = cold["open_all"]

    store.select("letters")
    store.changed_tables()
    target = rng.choice(ids)
    subprocess.run([sys.executable, __file__, "--child-write-one", str(root), target], check=True)
    figures["refresh_after_other_write"], changed = timed(store.changed_tables)
    assert changed == {"letters"}
    figures["all_after_refresh"], _ = timed(lambda: store.select("letters"))
    figures["token_poll_us"] = 1000 * statistics.median(timed(store.changed_tables)[0] for _ in range(200))
    return figures


def _insert(store: EmbeddedStore, rows: list[dict[str, Any]]) -> None:
    with store.transaction() as tx:
        for row in rows:
            tx.insert("letters", row)


def _append_audit(store: EmbeddedStore, i: int) -> None:
    with store.transaction() as tx:
        tx.insert(
            "audit", {"at": "2026-03-12T10:11:12+01:00", "user": "cm", "action": "lettre.envoyer", "n": i}
        )


def bench_naive(base: Path, n: int) -> dict[str, float]:
    from tinydb import TinyDB

    path = base / f"naive{n}.json"
    db = TinyDB(path)
    batch, _ = timed(lambda: db.insert_multiple(letters(n)))
    doc_id = n // 2
    update, _ = timed(lambda: db.update({"subject": "updated", "status": "sent"}, doc_ids=[doc_id]))
    db.close()
    cold = run_self("--child-naive-cold", str(path))["naive_cold"]
    return {"batch": batch, "update": update, "cold": cold}


def import_time() -> float:
    code = (
        "import time; t=time.perf_counter(); import lsc_tui.store; print(f'x={(time.perf_counter()-t)*1000}')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    return float(out.split("=")[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--child-cold")
    parser.add_argument("--child-first-update", nargs=2)
    parser.add_argument("--child-write-one", nargs=2)
    parser.add_argument("--child-naive-cold")
    args = parser.parse_args()
    if args.child_cold:
        return child_cold(args.child_cold)
    if args.child_first_update:
        return child_first_update(*args.child_first_update)
    if args.child_write_one:
        return child_write_one(*args.child_write_one)
    if args.child_naive_cold:
        return child_naive_cold(args.child_naive_cold)

    base = Path(tempfile.mkdtemp(prefix="bench_store_", dir=args.dir))
    try:
        big = args.big
        print(
            f"lsc-tui store bench: {big:,} letters of ~15 fields, shard size {EmbeddedStore.SHARD_SIZE}, dir {base}\n"
        )
        ours = bench_store(base, big)
        naive_small = bench_naive(base, 10_000)
        naive_big = bench_naive(base, big)

        k = f"{big // 1000}k"
        rows = [
            ("batch insert 10k (one transaction)", ours["batch10k"], naive_small["batch"], TARGETS["batch"]),
            (
                f"one update at {k} (median of 30)",
                ours["update_median"],
                naive_big["update"],
                TARGETS["update"],
            ),
            (f"one update at {k} (worst of 30)", ours["update_max"], naive_big["update"], TARGETS["update"]),
            (
                f"one update at {k}, fresh process",
                ours["first_update_fresh_process"],
                naive_big["update"],
                TARGETS["update"],
            ),
            ("audit append (median of 30)", ours["audit_append_median"], None, TARGETS["update"]),
            (f"cold: open (catalog + one stat per shard) at {k}", ours["open_only"], None, TARGETS["cold"]),
            (
                f"cold: open + count_by(status) + count at {k}",
                ours["open_home"],
                naive_big["cold"],
                TARGETS["cold"],
            ),
            (
                f"cold: open + count(pred) (parses all) at {k}",
                ours["open_count_pred"],
                naive_big["cold"],
                TARGETS["cold"],
            ),
            (f"cold: open + select('letters') at {k}", ours["open_all"], naive_big["cold"], TARGETS["cold"]),
            (
                f"changed_tables after another process's write at {k}",
                ours["refresh_after_other_write"],
                naive_big["cold"],
                None,
            ),
            (f"select('letters') after that write at {k}", ours["all_after_refresh"], None, None),
        ]
        print(f"{'operation':<48} {'store ms':>10} {'naive ms':>10} {'ratio':>8} {'target':>8}")
        print("-" * 88)
        for name, mine, naive, target in rows:
            naive_s = f"{naive:10.1f}" if naive is not None else f"{'':>10}"
            ratio = f"{naive / mine:7.0f}x" if naive is not None and mine > 0 else f"{'':>8}"
            target_s = f"≤{target:>6.0f}" if target is not None else ""
            flag = "" if target is None else (" ok" if mine <= target else " OVER")
            print(f"{name:<48} {mine:10.1f} {naive_s} {ratio} {target_s:>8}{flag}")
        print()
        print(
            f"naive TinyDB at 10k: one update {naive_small['update']:.1f} ms, cold open + all {naive_small['cold']:.1f} ms"
        )
        print(f"naive TinyDB batch insert of {k}: {naive_big['batch']:.1f} ms")
        print(
            f"changed_tables() poll: {ours['token_poll_us']:.1f} µs; import lsc_tui.store: {import_time():.1f} ms"
        )
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
