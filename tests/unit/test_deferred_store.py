"""The store a PostgreSQL start opens once Accueil is painted (store/deferred.py), over a real embedded store."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from lsc_tui.store import RecordStore, StoreError, open_store
from lsc_tui.store.deferred import DeferredStore


def test_the_first_uses_from_many_threads_open_one_store(tmp_path: Path) -> None:
    open_store(tmp_path / "data", create=True).close()
    opened: list[RecordStore] = []
    gate = threading.Barrier(8)

    def opener() -> RecordStore:
        store = open_store(tmp_path / "data")
        opened.append(store)
        return store

    deferred = DeferredStore(opener, location="ici", readonly=False)
    assert deferred.location == "ici" and not deferred.readonly and not deferred.opened and not opened

    def write(n: int) -> None:
        gate.wait()
        with deferred.transaction() as tx:
            tx.insert("notes", {"n": n}, id=f"n{n}")

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(opened) == 1 and deferred.opened
    assert sorted(r["n"] for r in deferred.select("notes")) == list(range(8))
    assert deferred.count("notes") == 8 and deferred.get("notes", "n3")["n"] == 3  # type: ignore[index]
    assert deferred.changed_tables()  # the backend's first call: every table
    deferred.close()
    assert not deferred.opened


def test_an_opening_that_fails_says_why_and_the_next_use_tries_again(tmp_path: Path) -> None:
    tries: list[int] = []

    def opener() -> RecordStore:
        tries.append(1)
        if len(tries) == 1:
            raise StoreError("La base PostgreSQL est injoignable.")
        return open_store(tmp_path / "data", create=True)

    deferred = DeferredStore(opener, location="ici", readonly=False)
    with pytest.raises(StoreError, match="injoignable"):
        deferred.count("notes")
    assert not deferred.opened
    assert deferred.count("notes") == 0 and len(tries) == 2
    deferred.close()
