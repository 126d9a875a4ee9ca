"""What only PostgreSQL has: its tables and indexes, schema numbers, addresses, refusals worded for people."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from lsc_tui.store import StoreError, open_store
from lsc_tui.store.postgres import PostgresStore, schema
from lsc_tui.store.postgres.connect import redact
from lsc_tui.store.postgres.layout import make_id
from lsc_tui.store.postgres.schema import SCHEMA_VERSION
from lsc_tui.store.tables import TableSpec
from tests.contract.conftest import SPECS


@pytest.fixture
def store(pg_url: str) -> Iterator[PostgresStore]:
    opened = PostgresStore.open(pg_url, create=True, specs=SPECS)
    yield opened
    opened.close()


def columns(url: str, table: str) -> dict[str, str]:
    with psycopg.connect(url) as conn:
        return dict(
            conn.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s",
                (table,),
            ).fetchall()
        )


def indexes(url: str, table: str) -> list[str]:
    with psycopg.connect(url) as conn:
        return [
            row[0] for row in conn.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", (table,))
        ]


def test_a_table_is_made_by_its_first_write_from_its_spec(store: PostgresStore, pg_url: str) -> None:
    assert columns(pg_url, "lsc_letters") == {}
    store.select("letters")
    assert columns(pg_url, "lsc_letters") == {}  # reads create nothing
    with store.transaction() as tx:
        tx.insert(
            "letters", {"status": "sent", "deposit_date": "2026-01-05", "recipient_name": "Zoé Lefèvre"}
        )
    assert columns(pg_url, "lsc_letters") == {
        "id": "text",
        "pos": "bigint",
        "rev": "integer",
        "data": "jsonb",
        "search": "text",
        "f_status": "text",
        "f_entity_id": "text",
        "f_deposit_sort": "text",
        "o_deposit_sort": "text",
    }
    defs = " | ".join(indexes(pg_url, "lsc_letters"))
    assert "USING gin (search gin_trgm_ops)" in defs
    assert "(o_deposit_sort DESC, id DESC)" in defs
    assert "(f_status, o_deposit_sort DESC, id DESC)" in defs
    with psycopg.connect(pg_url) as conn:
        row = conn.execute("SELECT search, o_deposit_sort, f_status FROM lsc_letters").fetchone()
    assert row == ("zoe lefevre ", "2026-01-05", '"sent"')  # value columns hold canonical JSON text


def test_the_schema_number_is_recorded_and_a_newer_one_refused(store: PostgresStore, pg_url: str) -> None:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        assert conn.execute("SELECT value FROM lsc_meta WHERE key = 'schema'").fetchone() == (SCHEMA_VERSION,)
        conn.execute("UPDATE lsc_meta SET value = %s::jsonb WHERE key = 'schema'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(StoreError, match="version plus récente"):
        PostgresStore.open(pg_url, specs=SPECS)


def test_an_older_schema_is_brought_up_to_date_by_a_writer_only(pg_url: str) -> None:
    PostgresStore.open(pg_url, create=True, specs=SPECS).close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("UPDATE lsc_meta SET value = '0'::jsonb WHERE key = 'schema'")
    with pytest.raises(StoreError, match="lecture seule"):
        PostgresStore.open(pg_url, readonly=True, specs=SPECS)
    PostgresStore.open(pg_url, specs=SPECS).close()
    PostgresStore.open(pg_url, readonly=True, specs=SPECS).close()


def test_a_spec_gaining_an_indexed_field_fills_its_column(pg_url: str) -> None:
    old = PostgresStore.open(pg_url, create=True, specs={"notes": TableSpec("notes")})
    with old.transaction() as tx:
        for i in range(5):
            tx.insert("notes", {"kind": "memo" if i % 2 else "call", "text": f"note {i}"})
    old.close()
    spec = TableSpec("notes", indexed=("kind",), order=(("text", True),), search=lambda r: r.get("text", ""))
    reader = PostgresStore.open(pg_url, readonly=True, specs={"notes": spec})
    with pytest.raises(StoreError, match="doit être mise à jour"):
        reader.count("notes", {"kind": "memo"})
    reader.close()
    new = PostgresStore.open(pg_url, specs={"notes": spec})
    assert new.count_by("notes", "kind") == {"memo": 2, "call": 3}
    assert [r["text"] for r in new.listing("notes").window(0, 5)] == [f"note {i}" for i in range(4, -1, -1)]
    assert len(new.listing("notes").narrow("NOTE 3")) == 1
    assert "f_kind" in columns(pg_url, "lsc_notes")
    new.close()


def test_the_address_shown_never_holds_the_password() -> None:
    assert redact("postgresql://claire:s3cret@db.cabinet.local:5432/lsc") == (
        "postgresql://claire@db.cabinet.local:5432/lsc"
    )
    assert redact("postgresql://db/lsc?user=claire&password=s3cret&sslmode=require") == (
        "postgresql://db/lsc?user=claire&sslmode=require"
    )
    assert "s3cret" not in redact("host=db dbname=lsc password=s3cret")


def test_an_unreachable_server_is_one_french_sentence_without_the_password(tmp_path: object) -> None:
    url = f"postgresql://claire:s3cret@/lsc?host={tmp_path}&connect_timeout=2"
    with pytest.raises(StoreError) as caught:
        open_store(url)
    message = str(caught.value)
    assert message.startswith("La base PostgreSQL postgresql://claire@/lsc") and "injoignable" in message
    assert "s3cret" not in message and "\n" not in message


def test_a_database_without_a_store_is_refused_unless_created(pg_url: str) -> None:
    with pytest.raises(StoreError, match="ne contient pas de store lsc-tui"):
        PostgresStore.open(pg_url, specs=SPECS)
    with pytest.raises(StoreError, match="ne contient pas de store lsc-tui"):
        PostgresStore.open(pg_url, create=True, readonly=True, specs=SPECS)
    store = open_store(pg_url, create=True)
    assert isinstance(store, PostgresStore) and "s3cret" not in repr(store)
    store.close()


def test_nul_characters_are_refused_before_they_reach_the_database(store: PostgresStore) -> None:
    with store.transaction() as tx:
        with pytest.raises(ValueError, match="NUL"):
            tx.insert("notes", {"text": "a\x00b"})
        tx.insert("notes", {"text": "still usable"})
    assert store.count("notes") == 1


def test_generated_ids_skip_an_id_already_taken(store: PostgresStore, pg_url: str) -> None:
    """A record that came with its id (copied, or restored by hand) is never overwritten by a generated id."""
    with store.transaction() as tx:
        tx.insert("notes", {"text": "creates the table"}, id="first")
    with psycopg.connect(pg_url) as conn:
        conn.execute(
            'INSERT INTO lsc_notes (id, pos, rev, data) VALUES (%s, 0, 4, \'{"text": "copied"}\')',
            (make_id(2),),
        )
    with store.transaction() as tx:
        rec = tx.insert("notes", {"text": "new"})
    assert rec["id"] == make_id(3)
    assert store.get("notes", make_id(2)) == {"id": make_id(2), "text": "copied", "_rev": 4}
    store.import_records("notes", [{"id": "0009-000001", "text": "far", "_rev": 1}])
    with store.transaction() as tx:
        assert tx.insert("notes", {"text": "after"})["id"] == "0009-000002"


def test_pooled_connections_cut_by_the_server_are_replaced_unseen(store: PostgresStore, pg_url: str) -> None:
    """A server restart or an idle timeout closes the pool's connections: the next reads and writes get
    fresh ones instead of an error."""
    with store.transaction() as tx:
        rec = tx.insert("notes", {"text": "a"})
    for _ in range(3):
        store.get("notes", rec["id"])
    with psycopg.connect(pg_url, autocommit=True) as conn:
        cut = conn.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
    assert cut is not None and cut[0] >= 1
    for _ in range(10):
        assert store.get("notes", rec["id"]) == rec
    with store.transaction() as tx:
        assert tx.update("notes", rec["id"], {"text": "b"}, expect_rev=1)["_rev"] == 2


def test_a_table_of_the_first_index_set_gets_its_walk_index_without_rewriting_rows(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = TableSpec("notes", order=(("text", True),), search=lambda r: r.get("text", ""))
    first = PostgresStore.open(pg_url, create=True, specs={"notes": spec})
    with first.transaction() as tx:
        for i in range(5):
            tx.insert("notes", {"text": f"note {i}"})
    first.close()
    with psycopg.connect(pg_url, autocommit=True) as conn:  # as the previous version left it
        conn.execute("DROP INDEX lsc_notes_walk")
        conn.execute("CREATE INDEX lsc_notes_key ON lsc_notes (o_text DESC, id DESC)")
        conn.execute("UPDATE lsc_tables SET layout = layout - 'indexes' WHERE name = 'notes'")
    rewrites: list[str] = []
    monkeypatch.setattr(schema, "_backfill", lambda conn, layout: rewrites.append(layout.table))
    store = PostgresStore.open(pg_url, specs={"notes": spec})
    assert len(store.listing("notes").narrow("note 3")) == 1
    store.close()
    made = indexes(pg_url, "lsc_notes")
    assert any("lsc_notes_walk" in d and "INCLUDE (search)" in d for d in made)
    assert not any("lsc_notes_key" in d for d in made) and rewrites == []


def test_the_pool_hands_out_the_connection_returned_last(store: PostgresStore) -> None:
    """Consecutive reads run on the same warm server process, not on each idle one in turn."""
    pool = store._pool
    held = [pool.getconn() for _ in range(3)]
    pids = [c.execute("SELECT pg_backend_pid()").fetchone()[0] for c in held]  # type: ignore[index]
    for conn in held:
        pool.putconn(conn)
    for _ in range(4):
        with store.reading() as conn:
            assert conn.execute("SELECT pg_backend_pid()").fetchone()[0] == pids[-1]  # type: ignore[index]
