"""Several real OS processes on one data directory, as on the firm's server: no lost write, no torn file.

Workers are started with the 'spawn' method (a fresh interpreter, like a second SSH session) and synchronised with
barriers, events and pipes rather than sleeps.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Barrier, Event
from pathlib import Path

import orjson
import pytest

from lsc_tui.store import EmbeddedStore, open_store


def _open(root: Path, **kwargs: object) -> EmbeddedStore:
    return EmbeddedStore.open(root, create=True, **kwargs)  # type: ignore[arg-type]


CTX = mp.get_context("spawn")
JOIN_TIMEOUT_S = 60


def _insert_one_per_transaction(root: str, worker: int, count: int, start: Barrier) -> None:
    store = _open(Path(root))
    start.wait()
    for i in range(count):
        with store.transaction() as tx:
            tx.insert("letters", {"worker": worker, "i": i, "status": "draft"})


def _take_numbers(root: str, count: int, start: Barrier, out: Connection) -> None:
    store = _open(Path(root))
    start.wait()
    numbers = []
    for _ in range(count):
        with store.transaction() as tx:
            numbers.append(tx.next_sequence("chrono-2026"))
    out.send(numbers)
    out.close()


def _write_until_killed(root: str, batch: int, out: Connection) -> None:
    """Multi-shard transactions (small shards) in a loop; reports each committed batch's ids."""
    store = _open(Path(root), shard_size=50)
    n = 0
    while True:
        with store.transaction() as tx:
            ids = [tx.insert("letters", {"batch": n, "i": i})["id"] for i in range(batch)]
            tx.insert("audit", {"action": "lot", "batch": n})
        out.send(ids)
        n += 1


def _write_one(root: str, ready: Event, go: Event, out: Connection) -> None:
    store = _open(Path(root))
    ready.set()
    go.wait(JOIN_TIMEOUT_S)
    with store.transaction() as tx:
        out.send(tx.insert("parties", {"name": "written by B"})["id"])
    out.close()


def _join_all(processes: list[mp.process.BaseProcess]) -> None:
    for p in processes:
        p.join(JOIN_TIMEOUT_S)
    for p in processes:
        if p.is_alive():
            p.kill()
            pytest.fail("a worker process did not finish")
        assert p.exitcode == 0, f"worker exited with {p.exitcode}"


def test_two_processes_inserting_one_record_per_transaction_lose_nothing(tmp_path: Path) -> None:
    root = tmp_path / "data"
    _open(root)
    start = CTX.Barrier(2)
    workers = [
        CTX.Process(target=_insert_one_per_transaction, args=(str(root), w, 1000, start)) for w in (1, 2)
    ]
    for p in workers:
        p.start()
    _join_all(workers)

    rows = _open(root).select("letters")
    assert len(rows) == 2000
    assert len({r["id"] for r in rows}) == 2000
    for w in (1, 2):
        assert sorted(r["i"] for r in rows if r["worker"] == w) == list(range(1000))


def test_sequence_numbers_are_unique_across_processes(tmp_path: Path) -> None:
    root = tmp_path / "data"
    _open(root)
    start = CTX.Barrier(2)
    pipes = [CTX.Pipe(duplex=False) for _ in range(2)]
    workers = [CTX.Process(target=_take_numbers, args=(str(root), 200, start, w)) for _, w in pipes]
    for p in workers:
        p.start()
    results = [r.recv() for r, _ in pipes]
    _join_all(workers)

    for numbers in results:
        assert numbers == sorted(numbers) and len(set(numbers)) == 200  # strictly increasing in each process
    assert sorted(results[0] + results[1]) == list(range(1, 401))


@pytest.mark.parametrize("batches_before_kill", [1, 4, 9])
def test_a_writer_killed_mid_loop_leaves_a_readable_store(tmp_path: Path, batches_before_kill: int) -> None:
    root = tmp_path / "data"
    _open(root, shard_size=50)
    batch = 120  # spans 3-4 shards of 50: every commit is a multi-file one
    reader, writer = CTX.Pipe(duplex=False)
    p = CTX.Process(target=_write_until_killed, args=(str(root), batch, writer))
    p.start()
    committed: list[str] = []
    for _ in range(batches_before_kill):
        committed += reader.recv()
    os.kill(p.pid, signal.SIGKILL)  # while it is busy with the next batch
    p.join(JOIN_TIMEOUT_S)
    while reader.poll():  # batches that committed between our last read and the kill
        try:
            committed += reader.recv()
        except EOFError:
            break

    store = _open(root)  # another session, after the crash: sees whole commits only
    catalog = orjson.loads((root / "catalog.json").read_bytes())
    for table, entry in catalog["tables"].items():  # every file the catalog names parses (an orphan the
        for shard in entry["shards"].values():  # dead writer was writing may be cut: nobody reads it)
            orjson.loads((root / "tables" / table / shard["file"]).read_bytes())
    ids = {r["id"] for r in store.select("letters")}
    assert set(committed) <= ids
    assert len(ids) % batch == 0  # a batch is all or nothing, even across shard files
    assert store.count("audit") == len(ids) // batch  # never a batch without its audit line
    with store.transaction() as tx:  # the next writer collects what the dead one left
        tx.insert("audit", {"action": "after"})
    assert not list(root.rglob("*.tmp"))
    named = {
        s["file"]
        for t in orjson.loads((root / "catalog.json").read_bytes())["tables"].values()
        for s in t["shards"].values()
    }
    previous = {
        s["file"]
        for t in orjson.loads((root / "catalog.json.bak").read_bytes())["tables"].values()
        for s in t["shards"].values()
    }
    for folder in ("letters", "audit"):
        on_disk = set(os.listdir(root / "tables" / folder))
        assert on_disk <= named | previous, on_disk - named - previous  # no orphan of the dead writer left


def test_a_write_by_another_process_is_seen_through_changed_tables_and_token(tmp_path: Path) -> None:
    root = tmp_path / "data"
    store = _open(root)
    with store.transaction() as tx:
        tx.insert("parties", {"name": "written by A"})
    assert len(store.select("parties")) == 1
    token = store.table_token("parties")
    store.changed_tables()

    ready, go = CTX.Event(), CTX.Event()
    reader, writer = CTX.Pipe(duplex=False)
    p = CTX.Process(target=_write_one, args=(str(root), ready, go, writer))
    p.start()
    assert ready.wait(JOIN_TIMEOUT_S)
    assert store.table_token("parties") == token and store.changed_tables() == set()
    go.set()
    new_id = reader.recv()
    _join_all([p])

    assert store.table_token("parties") != token
    assert store.changed_tables() == {"parties"}
    assert store.get("parties", new_id) == {"id": new_id, "name": "written by B", "_rev": 1}
    assert len(store.select("parties")) == 2


def _save_template(root: str, name: str, start: Barrier, out: Connection) -> None:
    from lsc_tui.domain.models import Template
    from lsc_tui.services import templates
    from lsc_tui.services.errors import ValidationFailed
    from tests.fixtures import context

    ctx = context(open_store(Path(root)))
    start.wait()
    saved = 0
    for i in range(25):
        try:
            templates.save(ctx, Template(name=f"{name} {i}"))
            saved += 1
        except ValidationFailed:
            pass
    out.send(saved)
    out.close()


def test_template_names_stay_unique_under_four_concurrent_writers(tmp_path: Path) -> None:
    """The defect: 18 duplicates in 1,200 concurrent saves (the check ran before the lock)."""
    from tests.fixtures import seeded_store

    root = tmp_path / "data"
    seeded_store(root)
    start = CTX.Barrier(4)
    pipes = [CTX.Pipe(duplex=False) for _ in range(4)]
    workers = [
        CTX.Process(target=_save_template, args=(str(root), "Modèle concurrent", start, w)) for _, w in pipes
    ]
    for p in workers:
        p.start()
    saved = [r.recv() for r, _ in pipes]
    _join_all(workers)
    names = [
        t["name"] for t in open_store(root).select("templates") if t["name"].startswith("Modèle concurrent ")
    ]
    assert len(names) == len(set(names)) == 25 == sum(saved)
