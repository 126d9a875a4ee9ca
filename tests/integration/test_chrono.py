"""Chrono numbers (E3): unique and increasing per year across processes, kept on a re-run."""

from __future__ import annotations

import multiprocessing as mp
import re
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest

from lsc_tui.services import audit
from lsc_tui.services.chrono import assign_chrono
from lsc_tui.store import RecordStore as Store
from lsc_tui.store import open_store
from tests.fixtures import context, seeded_store

CTX = mp.get_context("spawn")
JOIN_TIMEOUT_S = 60


def _unnumbered(store: Store) -> list[str]:
    return [e["id"] for e in store.select("events") if not e.get("chrono")]


def test_chrono_is_given_once_in_order_with_date_and_audit(tmp_path: Path) -> None:
    store = seeded_store(tmp_path / "data")
    ctx = context(store)
    ids = _unnumbered(store)[:3]
    last = max(int(e["chrono"][5:]) for e in store.select("events") if e.get("chrono"))
    first = assign_chrono(ctx, ids)
    assert [first[i] for i in ids] == [f"2026-{n:06d}" for n in range(last + 1, last + 4)]
    fourth = _unnumbered(store)[0]
    assert assign_chrono(ctx, [*ids, fourth]) == {**first, fourth: f"2026-{last + 4:06d}"}
    rec = store.get("events", ids[0])
    assert rec["chrono"] == first[ids[0]] and rec["chrono_date"].startswith("2026-11-23")
    assert [e.action for e in audit.entries_for(ctx, ids[0])] == ["evenement.chrono"]


def _assign_one_by_one(root: str, ids: list[str], start: Barrier, out: Connection) -> None:
    ctx = context(open_store(Path(root)))
    start.wait()
    out.send([assign_chrono(ctx, [event_id])[event_id] for event_id in ids])
    out.close()


def test_two_processes_assigning_at_once_never_share_a_number(tmp_path: Path) -> None:
    root = tmp_path / "data"
    store = seeded_store(root)
    ids = _unnumbered(store)
    assert len(ids) >= 20
    halves = [ids[0:10], ids[10:20]]
    start = CTX.Barrier(2)
    pipes = [CTX.Pipe(duplex=False) for _ in halves]
    workers = [
        CTX.Process(target=_assign_one_by_one, args=(str(root), half, start, send))
        for half, (_recv, send) in zip(halves, pipes, strict=True)
    ]
    for w in workers:
        w.start()
    results = [recv.recv() for recv, _send in pipes]
    for w in workers:
        w.join(JOIN_TIMEOUT_S)
        if w.is_alive():
            w.kill()
            pytest.fail("a worker process did not finish")
        assert w.exitcode == 0
    every = [c for r in results for c in r]
    assert len(set(every)) == 20
    assert all(re.fullmatch(r"2026-\d{6}", c) for c in every)
    for r in results:
        assert r == sorted(r)  # increasing within each process
    pass
    stored = {e["id"]: e["chrono"] for e in store.select("events")}
    assert all(
        stored[i] == c for half, r in zip(halves, results, strict=True) for i, c in zip(half, r, strict=True)
    )
    assert len(set(stored.values()) - {""}) == sum(1 for v in stored.values() if v)
