"""Several real processes on one store (fork; each child opens its own store): nothing lost, nothing doubled.

Each child reports through a pipe and exits with os._exit (what multiprocessing does), so it never touches
the parent's open store or connections.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from typing import Any

from lsc_tui.store import ANY_REV, Conflict
from lsc_tui.store.protocol import RecordStore
from tests.contract.conftest import Backend

WRITERS = 4
JOIN_TIMEOUT_S = 240


def run_children(backend: Backend, work: Callable[[RecordStore, int], Any]) -> list[Any]:
    """Start WRITERS forked children together; each opens its own store, runs `work`, sends back its result."""
    ctx = multiprocessing.get_context("fork")
    start = ctx.Event()
    pipes = [ctx.Pipe(duplex=False) for _ in range(WRITERS)]

    def child(n: int) -> None:
        store = backend.open(create=False)
        start.wait(60)
        pipes[n][1].send(work(store, n))
        store.close()

    procs = [ctx.Process(target=child, args=(n,)) for n in range(WRITERS)]
    for p in procs:
        p.start()
    start.set()
    deadline = time.monotonic() + JOIN_TIMEOUT_S
    results = [
        pipes[n][0].recv() if pipes[n][0].poll(max(0.0, deadline - time.monotonic())) else None
        for n in range(WRITERS)
    ]
    for p in procs:
        p.join(max(0.0, deadline - time.monotonic()))
        if p.is_alive():
            p.kill()
            p.join()
    assert [p.exitcode for p in procs] == [0] * WRITERS
    return results


def test_sequences_stay_unique_and_increasing_under_four_processes(backend: Backend) -> None:
    backend.open()

    def draw(store: RecordStore, _n: int) -> list[int]:
        got = []
        for _ in range(50):
            with store.transaction() as tx:
                got.append(tx.next_sequence("chrono"))
        return got

    results = run_children(backend, draw)
    every = [v for got in results for v in got]
    assert sorted(every) == list(range(1, WRITERS * 50 + 1))  # unique, no gap
    assert all(got == sorted(got) for got in results)  # increasing as each process sees them


def test_four_processes_writing_at_once_lose_nothing(backend: Backend) -> None:
    store = backend.open()
    with store.transaction() as tx:
        counter = tx.insert("counters", {"value": 0}, id="shared")

    def write(child: RecordStore, n: int) -> int:
        for i in range(250):
            with child.transaction() as tx:
                status = ("active", "archived")[i % 2]
                tx.insert("parties", {"name": f"w{n}-{i:03d}", "status": status, "writer": n})
                if i % 10 == 0:
                    tx.update("counters", "shared", {"last": n}, expect_rev=ANY_REV)
        conflicts = 0
        for _ in range(10):  # read, add one, save with the revision read; on a conflict reload and retry
            while True:
                current = child.get("counters", "shared")
                assert current is not None
                try:
                    with child.transaction() as tx:
                        tx.update(
                            "counters", "shared", {"value": current["value"] + 1}, expect_rev=current["_rev"]
                        )
                    break
                except Conflict:
                    conflicts += 1
        return conflicts

    run_children(backend, write)
    rows = store.select("parties")
    names = [r["name"] for r in rows]
    assert len(rows) == WRITERS * 250
    assert len(set(names)) == len(names) and len({r["id"] for r in rows}) == len(rows)
    assert names.count("w3-249") == 1
    assert store.count_by("parties", "writer") == dict.fromkeys(range(WRITERS), 250)
    assert store.count_by("parties", "status") == {"active": WRITERS * 125, "archived": WRITERS * 125}
    final = store.get("counters", "shared")
    assert final is not None and final["value"] == WRITERS * 10  # no lost update
    assert final["_rev"] == counter["_rev"] + WRITERS * 25 + WRITERS * 10


def test_guard_serialises_a_check_then_write_across_processes(backend: Backend) -> None:
    backend.open()
    names = [f"Tiers {i:02d}" for i in range(30)]

    def claim(store: RecordStore, n: int) -> int:
        created = 0
        for name in names[n % 2 :] + names:  # everyone tries every name, in different orders
            with store.transaction() as tx:
                tx.guard("parties")
                if tx.count("parties", {"name": name}) == 0:
                    tx.insert("parties", {"name": name, "status": "active", "by": n})
                    created += 1
        return created

    created = run_children(backend, claim)
    store = backend.open()
    rows = store.select("parties")
    assert sorted(r["name"] for r in rows) == names  # each name exactly once
    assert sum(created) == len(names)
