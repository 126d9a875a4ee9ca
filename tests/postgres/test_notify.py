"""Changes reach other sessions through LISTEN/NOTIFY: what a screen refreshes on, without polling tables."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import psycopg
import pytest

from lsc_tui.store import ANY_REV
from lsc_tui.store.postgres import PostgresStore
from tests.contract.conftest import SPECS


@pytest.fixture
def stores(pg_url: str) -> Iterator[tuple[PostgresStore, PostgresStore]]:
    writer = PostgresStore.open(pg_url, create=True, specs=SPECS)
    watcher = PostgresStore.open(pg_url, specs=SPECS)
    yield writer, watcher
    writer.close()
    watcher.close()


def test_changed_tables_is_what_arrives_on_the_channel(
    stores: tuple[PostgresStore, PostgresStore], pg_url: str
) -> None:
    _writer, watcher = stores
    assert watcher.changed_tables() == set()  # empty database, but listening from now on
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("NOTIFY lsc_changes, 'parties'")
        with conn.transaction():
            conn.execute("NOTIFY lsc_changes, 'letters'")
        try:
            with conn.transaction():
                conn.execute("NOTIFY lsc_changes, 'rolled_back'")
                raise RuntimeError
        except RuntimeError:
            pass
    assert watcher.changed_tables() == {"parties", "letters"}


def test_every_commit_is_seen_right_after_it_returns(stores: tuple[PostgresStore, PostgresStore]) -> None:
    """The commit is acknowledged to the writer before the question: the answer must hold it, every time."""
    writer, watcher = stores
    with writer.transaction() as tx:
        rec = tx.insert("notes", {"n": 0})
    watcher.changed_tables()
    for i in range(200):
        with writer.transaction() as tx:
            tx.update("notes", rec["id"], {"n": i}, expect_rev=ANY_REV)
        assert watcher.changed_tables() == {"notes"}, i


def test_wait_changes_wakes_up_when_another_session_commits(
    stores: tuple[PostgresStore, PostgresStore],
) -> None:
    writer, watcher = stores
    watcher.changed_tables()
    assert watcher.wait_changes(0) == set()
    ready = threading.Event()
    seen: list[set[str]] = []

    def wait() -> None:
        ready.set()
        seen.append(watcher.wait_changes(120))

    waiter = threading.Thread(target=wait)
    waiter.start()
    ready.wait(30)
    asker = threading.Thread(target=lambda: watcher.table_token("letters"))  # not blocked by the waiter
    asker.start()
    asker.join(30)
    assert not asker.is_alive() and waiter.is_alive()
    with writer.transaction() as tx:
        tx.insert("letters", {"status": "draft"})
    waiter.join(60)
    assert seen == [{"letters"}]


def test_a_lost_listening_connection_answers_every_table(
    stores: tuple[PostgresStore, PostgresStore], pg_url: str
) -> None:
    writer, watcher = stores
    with writer.transaction() as tx:
        tx.insert("notes", {"n": 1})
        tx.insert("parties", {"name": "Alice", "status": "active"})
    watcher.changed_tables()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE pid <> pg_backend_pid() AND query IN ('SELECT 1', 'LISTEN lsc_changes')"
        )
    assert watcher.changed_tables() == {"notes", "parties"}
    assert watcher.changed_tables() == set()
