"""Change tracking on both backends: what another store object (another process) learns, and when."""

from __future__ import annotations

import pytest

from lsc_tui.store import ANY_REV
from tests.contract.conftest import Backend


def test_changed_tables_first_answers_every_table_then_only_what_changed(backend: Backend) -> None:
    writer = backend.open()
    with writer.transaction() as tx:
        note = tx.insert("notes", {"text": "a"})
        tx.insert("parties", {"name": "Alice", "status": "active"})
    watcher = backend.open()
    assert watcher.changed_tables() == {"notes", "parties"}
    assert watcher.changed_tables() == set()

    with writer.transaction() as tx:
        tx.update("notes", note["id"], {"text": "b"}, expect_rev=ANY_REV)
    assert watcher.changed_tables() == {"notes"}
    assert watcher.changed_tables() == set()

    with writer.transaction() as tx:
        tx.insert("letters", {"status": "draft"})
        tx.delete("notes", note["id"], expect_rev=ANY_REV)
    assert watcher.changed_tables() == {"letters", "notes"}


def test_reads_and_failed_transactions_change_nothing(backend: Backend) -> None:
    writer, watcher = backend.open(), backend.open()
    with writer.transaction() as tx:
        note = tx.insert("notes", {"text": "a"})
    watcher.changed_tables()
    token = watcher.table_token("notes")
    writer.select("notes")
    len(writer.listing("notes"))
    with pytest.raises(RuntimeError), writer.transaction() as tx:
        tx.update("notes", note["id"], {"text": "lost"}, expect_rev=1)
        raise RuntimeError("the person cancelled")
    with writer.transaction() as tx:
        tx.next_sequence("chrono")  # a counter is not a table
    assert watcher.changed_tables() == set()
    assert watcher.table_token("notes") == token


def test_table_token_changes_with_its_table_only(backend: Backend) -> None:
    writer, watcher = backend.open(), backend.open()
    before_any = watcher.table_token("notes")
    with writer.transaction() as tx:
        tx.insert("notes", {"text": "a"})
        tx.insert("parties", {"name": "Alice", "status": "active"})
    notes, parties = watcher.table_token("notes"), watcher.table_token("parties")
    assert notes != before_any
    with writer.transaction() as tx:
        tx.insert("parties", {"name": "Bob", "status": "draft"})
    assert watcher.table_token("notes") == notes
    assert watcher.table_token("parties") != parties
