"""`copy_store`: an embedded store copied into PostgreSQL, ids, revisions and counters kept; twice is once."""

from __future__ import annotations

from pathlib import Path

import pytest

from lsc_tui.store import ANY_REV, EmbeddedStore
from lsc_tui.store.postgres import PostgresStore
from lsc_tui.store.transfer import copy_store, summary
from tests.contract.conftest import SPECS

TABLES = ["parties", "letters", "notes", "empty"]


@pytest.fixture
def source(tmp_path: Path) -> EmbeddedStore:
    store = EmbeddedStore.open(tmp_path / "data", create=True, shard_size=10, specs=SPECS)
    with store.transaction() as tx:
        for i in range(35):
            rec = tx.insert("parties", {"name": f"Tiers {i}", "status": "active" if i % 2 else "draft"})
            if i % 3 == 0:
                tx.update("parties", rec["id"], {"status": "archived"}, expect_rev=1)
        for i in range(12):
            tx.insert(
                "letters", {"status": "sent", "deposit_date": f"2026-03-{i + 1:02d}", "subject": f"n°{i}"}
            )
        tx.insert("notes", {"text": "réglages"}, id="settings")
        tx.insert("notes", {"text": "après"})
        for _ in range(41):
            tx.next_sequence("chrono-2026")
        tx.next_sequence("batch")
    with store.transaction() as tx:
        gone = tx.insert("letters", {"status": "draft"})
    with store.transaction() as tx:
        tx.delete("letters", gone["id"], expect_rev=1)
    return store


def test_copy_keeps_ids_revisions_order_and_counters(source: EmbeddedStore, pg_url: str) -> None:
    dst = PostgresStore.open(pg_url, create=True, specs=SPECS)
    try:
        counts = copy_store(source, dst, TABLES, batch=7)
        assert counts == {"parties": (35, 35), "letters": (12, 12), "notes": (2, 2), "empty": (0, 0)}
        assert summary(counts)[0] == "parties : 35 → 35"
        for table in TABLES:
            assert dst.select(table) == source.select(table)
            assert dst.listing(table).ids() == source.listing(table).ids()
        assert dst.sequences() == {"chrono-2026": 41, "batch": 1}
        with dst.transaction() as tx:
            assert tx.next_sequence("chrono-2026") == 42
            new = tx.insert("parties", {"name": "Nouveau", "status": "draft"})
            assert tx.update("parties", "0001-000001", {"name": "Renommé"}, expect_rev=ANY_REV)["_rev"] == 3
        assert new["id"] not in {r["id"] for r in source.select("parties")}
    finally:
        dst.close()


def test_copying_twice_changes_nothing(source: EmbeddedStore, pg_url: str) -> None:
    dst = PostgresStore.open(pg_url, create=True, specs=SPECS)
    try:
        first = copy_store(source, dst, TABLES)
        dst.changed_tables()
        tokens = {t: dst.table_token(t) for t in TABLES}
        rows = {t: dst.select(t) for t in TABLES}
        assert copy_store(source, dst, TABLES) == first
        assert {t: dst.table_token(t) for t in TABLES} == tokens
        assert {t: dst.select(t) for t in TABLES} == rows
        assert dst.changed_tables() == set()
        assert dst.sequences() == {"chrono-2026": 41, "batch": 1}
    finally:
        dst.close()


def test_an_interrupted_copy_is_finished_by_running_it_again(source: EmbeddedStore, pg_url: str) -> None:
    dst = PostgresStore.open(pg_url, create=True, specs=SPECS)
    try:
        dst.import_records("parties", source.select("parties")[:10])
        with dst.transaction() as tx:
            tx.next_sequence("chrono-2026")  # the destination already handed out a number: it is kept
        assert copy_store(source, dst, TABLES)["parties"] == (35, 35)
        assert dst.sequences()["chrono-2026"] == 41
    finally:
        dst.close()


def test_a_destination_that_cannot_keep_revisions_is_refused(source: EmbeddedStore, tmp_path: Path) -> None:
    other = EmbeddedStore.open(tmp_path / "other", create=True, specs=SPECS)
    with pytest.raises(TypeError, match="ids and revisions"):
        copy_store(source, other, TABLES)
    assert other.count("parties") == 0
