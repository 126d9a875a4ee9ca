"""Counts by summary field kept by triggers (store/postgres/counts.py): right under concurrent writers and
folds, and brought to a database made before them by its migration."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator

import psycopg
import pytest

from lsc_tui.store.postgres import PostgresStore, counts
from lsc_tui.store.protocol import ANY_REV
from tests.contract.conftest import SPECS

STATUSES = ("draft", "sent", "AR", "refused")


@pytest.fixture
def store(pg_url: str) -> Iterator[PostgresStore]:
    opened = PostgresStore.open(pg_url, create=True, specs=SPECS)
    yield opened
    opened.close()


def truth(url: str) -> dict[str, int]:
    """The counts as a GROUP BY over the table itself says them."""
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT data->>'status', count(*) FROM lsc_letters GROUP BY 1").fetchall()
    return {status: n for status, n in rows}


def delta_rows(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM lsc_counts WHERE tbl = 'letters'").fetchone()
    return int(row[0]) if row else 0


def test_counts_stay_right_while_writers_and_folds_run_at_once(store: PostgresStore, pg_url: str) -> None:
    with store.transaction() as tx:
        for i in range(40):
            tx.insert("letters", {"status": STATUSES[i % 4], "recipient_name": f"R{i}"})
    stop = threading.Event()

    def write(seed: int) -> None:
        rng = random.Random(seed)
        for i in range(60):
            with store.transaction() as tx:
                if i % 3 == 0:
                    tx.insert("letters", {"status": rng.choice(STATUSES), "recipient_name": f"W{seed}-{i}"})
                else:
                    pick = rng.choice(store.select("letters", limit=40))  # others change it meanwhile: merge
                    tx.update("letters", pick["id"], {"status": rng.choice(STATUSES)}, expect_rev=ANY_REV)

    def fold() -> None:
        while not stop.is_set():
            store._compact_counts("letters", "status")

    folding = threading.Thread(target=fold)
    folding.start()
    writers = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    try:
        for w in writers:
            w.start()
        for w in writers:
            w.join()
    finally:
        stop.set()
        folding.join()
    assert store.count_by("letters", "status") == truth(pg_url)
    assert sum(truth(pg_url).values()) == 40 + 4 * 20
    store._compact_counts("letters", "status")
    assert delta_rows(pg_url) == len(truth(pg_url))  # one row per status once folded
    assert store.count_by("letters", "status") == truth(pg_url)


def test_a_read_past_the_threshold_folds_the_deltas(
    store: PostgresStore, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(counts, "COMPACT_AT", 10)
    for i in range(30):
        with store.transaction() as tx:
            tx.insert("letters", {"status": STATUSES[i % 4]})
    assert delta_rows(pg_url) == 30
    assert store.count_by("letters", "status") == dict.fromkeys(STATUSES, 30 // 4) | {"draft": 8, "sent": 8}
    store.background.submit(lambda: None).result()  # the fold was queued before this no-op: it has run
    assert delta_rows(pg_url) == 4


def test_a_database_made_before_the_counts_gets_them_when_a_writer_opens_it(
    store: PostgresStore, pg_url: str
) -> None:
    with store.transaction() as tx:
        for i in range(25):
            tx.insert("letters", {"status": STATUSES[i % 4]})
    store.close()
    with psycopg.connect(pg_url, autocommit=True) as conn:  # back to schema 1: no counts table, no trigger
        conn.execute("DROP TABLE lsc_counts")
        for suffix in "iud":
            conn.execute(f"DROP FUNCTION lsc_n_letters_{suffix}() CASCADE")
        conn.execute("UPDATE lsc_meta SET value = '1'::jsonb WHERE key = 'schema'")
    reopened = PostgresStore.open(pg_url, specs=SPECS)
    try:
        assert reopened.count_by("letters", "status") == {"draft": 7, "sent": 6, "AR": 6, "refused": 6}
        with reopened.transaction() as tx:
            tx.insert("letters", {"status": "AR"})
        assert reopened.count_by("letters", "status")["AR"] == 7
    finally:
        reopened.close()
