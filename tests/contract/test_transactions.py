"""Transactions on both backends: all-or-nothing, nesting, read-your-writes, sequences, read-only stores."""

from __future__ import annotations

import threading

import pytest

from lsc_tui.store import ANY_REV, RecordStore, StoreError
from tests.contract.conftest import Backend


class Boom(Exception):
    pass


def test_a_failing_transaction_writes_nothing(any_store: RecordStore) -> None:
    with any_store.transaction() as tx:
        kept = tx.insert("notes", {"text": "kept"})
    with pytest.raises(Boom), any_store.transaction() as tx:
        tx.insert("notes", {"text": "lost"})
        tx.update("notes", kept["id"], {"text": "changed"}, expect_rev=1)
        tx.next_sequence("chrono")
        raise Boom
    assert any_store.select("notes") == [kept]
    with any_store.transaction() as tx:
        assert tx.next_sequence("chrono") == 1  # the rolled-back number is handed out again


def test_a_record_and_its_audit_line_are_written_together_or_not_at_all(any_store: RecordStore) -> None:
    def save(name: str, fail: bool) -> None:
        with any_store.transaction() as tx:
            party = tx.insert("parties", {"name": name, "status": "active"})
            tx.insert("audit", {"action": "party.create", "target": party["id"]})
            if fail:
                raise Boom

    save("Alice", fail=False)
    with pytest.raises(Boom):
        save("Bob", fail=True)
    parties = any_store.select("parties")
    audit = any_store.select("audit")
    assert [p["name"] for p in parties] == ["Alice"]
    assert [a["target"] for a in audit] == [parties[0]["id"]]


def test_a_nested_transaction_joins_the_outer_one_and_dooms_it_on_error(any_store: RecordStore) -> None:
    with pytest.raises(StoreError, match="rien n'a été enregistré"), any_store.transaction() as outer:
        outer.insert("notes", {"text": "outer"})
        with any_store.transaction() as inner:
            assert inner is outer
            inner.insert("notes", {"text": "inner ok"})
        try:
            with any_store.transaction() as inner:
                inner.insert("notes", {"text": "inner failing"})
                raise Boom
        except Boom:
            pass  # the caller swallows the error, yet the whole transaction is lost
    assert any_store.count("notes") == 0


def test_a_transaction_reads_its_own_writes_and_others_do_not(any_store: RecordStore) -> None:
    seen_outside: list[int] = []
    with any_store.transaction() as tx:
        rec = tx.insert("parties", {"name": "Alice", "status": "draft"})
        tx.update("parties", rec["id"], {"status": "active"}, expect_rev=1)
        assert tx.get("parties", rec["id"])["status"] == "active"  # type: ignore[index]
        assert tx.count("parties", {"status": "active"}) == 1
        assert [r["id"] for r in tx.select("parties", {"status": ("active",)})] == [rec["id"]]
        assert list(tx.get_many("parties", [rec["id"]])) == [rec["id"]]
        reader = threading.Thread(target=lambda: seen_outside.append(any_store.count("parties")))
        reader.start()
        reader.join(30)
    assert seen_outside == [0]
    assert any_store.count("parties") == 1


def test_sequences_are_increasing_per_name_and_committed_with_the_transaction(any_store: RecordStore) -> None:
    with any_store.transaction() as tx:
        assert [tx.next_sequence("chrono"), tx.next_sequence("chrono"), tx.next_sequence("other")] == [
            1,
            2,
            1,
        ]
        with pytest.raises(ValueError):
            tx.next_sequence("")
        with pytest.raises(ValueError):
            tx.next_sequence("x" * 65)
    with any_store.transaction() as tx:
        assert tx.next_sequence("chrono") == 3


def test_a_closed_transaction_refuses_to_be_used(any_store: RecordStore) -> None:
    with any_store.transaction() as tx:
        tx.insert("notes", {"text": "a"})
    with pytest.raises(RuntimeError, match="closed"):
        tx.insert("notes", {"text": "late"})
    assert any_store.count("notes") == 1


def test_a_readonly_store_reads_and_refuses_every_transaction(backend: Backend) -> None:
    writer = backend.open()
    with writer.transaction() as tx:
        rec = tx.insert("parties", {"name": "Alice", "status": "active"})
    reader = backend.open(readonly=True)
    assert reader.readonly
    assert reader.get("parties", rec["id"]) == rec
    assert len(reader.listing("parties")) == 1
    with pytest.raises(StoreError, match="lecture seule"), reader.transaction() as tx:
        tx.update("parties", rec["id"], {"name": "Mallory"}, expect_rev=ANY_REV)
    assert writer.get("parties", rec["id"]) == rec


def test_opening_nothing_without_create_is_refused_in_french(backend: Backend) -> None:
    with pytest.raises(StoreError, match="lsc-tui init"):
        backend.open(create=False)
    backend.open(create=True)
    assert backend.open(create=False).count("notes") == 0


def test_a_second_store_object_sees_committed_writes(backend: Backend) -> None:
    first, second = backend.open(), backend.open()
    with first.transaction() as tx:
        rec = tx.insert("notes", {"text": "a"})
    assert second.get("notes", rec["id"]) == rec
    with second.transaction() as tx:
        tx.update("notes", rec["id"], {"text": "b"}, expect_rev=1)
    assert first.get("notes", rec["id"])["text"] == "b"  # type: ignore[index]


def test_worker_threads_share_one_store(any_store: RecordStore) -> None:
    """The TUI writes from worker threads: each thread's transaction is its own, nothing is lost."""
    with any_store.transaction() as tx:
        tx.insert("counters", {"value": 0}, id="shared")
    failures: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(40):
                with any_store.transaction() as tx:
                    tx.insert("notes", {"thread": n, "i": i})
                    current = tx.get("counters", "shared")
                    assert current is not None
                    tx.update(
                        "counters", "shared", {"value": current["value"] + 1}, expect_rev=current["_rev"]
                    )
                any_store.listing("notes").window(0, 10)
        except BaseException as exc:  # reported to the test below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert failures == []
    assert any_store.count("notes") == 160
    assert any_store.get("counters", "shared")["value"] == 160  # type: ignore[index]
