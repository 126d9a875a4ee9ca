"""Accueil's signature block, a party's history and consumption at firm scale (issue #11 §4 §6).

Seeds the demo agency, then copies its signature files until N exist (statuses and dates spread over two
years, one party signing in a file out of 500), and times, on a store opened afresh (cold: the embedded store
reads its files then) and again (warm): Accueil's `home.summary` and `home.files`, `history.of_party`,
`consumption.report` over 12 months. Prints only.
Run: .venv/bin/python bench/bench_tracking.py [N] [postgresql://…]   (default 100000, embedded store)
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from lsc_tui.services import consumption, history, home
from lsc_tui.services.demo import seed
from lsc_tui.store import open_store
from lsc_tui.store.repositories import Repos
from tests.fixtures import FIXED_NOW, context

SETTLED = ["signed"] * 8 + ["declined", "cancelled", "expired", "error"]


def grow(where: str, n: int) -> str:
    """Signature files copied from the demo's until `n` exist; returns the id of the party signing 1 in 500
    (never any other file)."""
    store = open_store(where, create=True)
    seed(store, FIXED_NOW)
    repos = Repos(store)
    base = [s.to_record() for s in repos.signatures.all()]
    parties = [p.id for p in repos.parties.all()]
    rare = parties[-1]
    rnd = random.Random(11)
    done = repos.signatures.count()
    while done < n:
        size = min(10_000, n - done)
        batch: list[dict[str, Any]] = []
        for i in range(size):
            rec = {k: v for k, v in base[(done + i) % len(base)].items() if k != "id"}
            # sent any day of two years; a file sent within its 15 days is still waiting, or signed already
            age = rnd.randrange(730)
            settled = SETTLED[rnd.randrange(len(SETTLED))]
            status = ("pending", "signed")[rnd.randrange(2)] if age < 15 else settled
            sent = FIXED_NOW - dt.timedelta(days=age, minutes=rnd.randrange(1440))
            signers = [dict(s) for s in rec["signers"]]
            signers[0]["party_id"] = (
                rare if (done + i) % 500 == 0 else parties[rnd.randrange(len(parties) - 1)]
            )
            rec.update(
                status=status,
                title=f"{rec['title']} — dossier {done + i}",
                signers=signers,
                sent_at=sent.isoformat(timespec="seconds"),
                signed_at=(sent + dt.timedelta(days=2)).isoformat(timespec="seconds")
                if status == "signed"
                else "",
                expires_at=(sent + dt.timedelta(days=15)).isoformat(timespec="seconds"),
                created_by=("claire", "julien")[rnd.randrange(2)],
            )
            batch.append(rec)
        with store.transaction() as tx:
            for rec in batch:
                tx.insert("signature_requests", rec)
        done += size
    vacuum = getattr(store, "vacuum", None)  # PostgreSQL: what autovacuum does on a live database
    if vacuum is not None:
        vacuum("signature_requests")
    store.close()
    return rare


def timed(label: str, fn: Any) -> Any:
    t0 = time.perf_counter()
    result = fn()
    print(f"{label:<46} {1000 * (time.perf_counter() - t0):8.1f} ms")
    return result


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    where = sys.argv[2] if len(sys.argv) > 2 else str(Path(tempfile.mkdtemp()) / "data")
    t0 = time.perf_counter()
    rare = grow(where, n)
    print(
        f"{n} signature files seeded in {time.perf_counter() - t0:.1f} s ({'PostgreSQL' if '://' in where else 'embedded'})"
    )
    ctx = context(open_store(where))
    for run in ("cold", "warm"):
        prefs = timed(f"Accueil counts, home.summary ({run})", lambda: home.summary(ctx)).preferences
        block = timed(f"Accueil files, home.files ({run})", lambda p=prefs: home.files(ctx, p))
        print(f"  {len(block.files)} files listed, {block.expiring} expiring")
        found = timed(f"Suivi du tiers, history.of_party ({run})", lambda: history.of_party(ctx, rare))
        print(f"  {len(found.entries)} records of the party")
        year = consumption.default_period(FIXED_NOW.date())
        report = timed(
            f"Consommation, 12 months, every grouping ({run})", lambda y=year: consumption.report(ctx, *y)
        )
        sizes = ", ".join(f"{len(groups)} {by}" for by, groups in report.by.items())
        print(f"  {report.total.total_documents} documents; groups: {sizes}")


if __name__ == "__main__":
    main()
