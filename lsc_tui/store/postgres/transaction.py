"""A transaction of the PostgreSQL store: one connection, one SQL transaction, committed all at once.

Optimistic concurrency without holding anything between a person's read and their save: an update reads the
row `FOR UPDATE` (so a concurrent writer waits for this transaction), compares its revision with the one the
caller saw, and writes revision + 1. Expected refusals (stale revision, missing record, taken id) are decided
in Python before any statement can fail, so the SQL transaction stays usable when the caller catches them,
as in the embedded store.

A record read through the transaction (`get`, `get_many`) is locked until it ends, as the embedded store,
which runs one transaction at a time, guarantees: a read-modify-write in a transaction never meets a
Conflict of its own making. `select` and `count` lock nothing; a check-then-write on a whole table (a
uniqueness test) takes `guard` first.

Each table written gets a `NOTIFY lsc_changes, '<table>'` as the last statement before COMMIT: other
sessions learn of the change when, and only if, it commits (changes.py counts them into change tokens).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import orjson
import psycopg
from psycopg import sql

from lsc_tui.store.errors import Conflict, NotFoundError
from lsc_tui.store.postgres import queries
from lsc_tui.store.postgres.layout import Layout, check_table_name, is_generated_id, jsonb, make_id
from lsc_tui.store.postgres.schema import LOCK_CLASS
from lsc_tui.store.protocol import AnyRev, ExpectRev, Where

if TYPE_CHECKING:
    from lsc_tui.store.postgres.store import PostgresStore

Record = dict[str, Any]
GUARD_CLASS = LOCK_CLASS + 1
SEQUENCE_NAME_MAX = 64
CHANNEL = "lsc_changes"


def plain(value: Any, table: str) -> Record:
    """A private deep copy that is plain JSON PostgreSQL can hold (the embedded store's rule, plus: no NUL
    character, which jsonb cannot store)."""
    if not isinstance(value, dict):
        raise TypeError(f"a record for table {table!r} must be a dict, not {type(value).__name__}")
    try:
        raw = orjson.dumps(value, option=orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS)
    except orjson.JSONEncodeError as exc:
        raise TypeError(f"a record for table {table!r} is not plain JSON: {exc}") from exc
    if b"\\u0000" in raw:
        raise ValueError(f"a record for table {table!r} holds a NUL character, which PostgreSQL cannot store")
    return orjson.loads(raw)


class PgTx:
    def __init__(self, store: PostgresStore, conn: psycopg.Connection) -> None:
        self._store = store
        self.conn = conn
        self.written: set[str] = set()
        self.doomed = False
        self.closed = False

    # ---- internals -------------------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self.closed:
            raise RuntimeError("this transaction is closed; open a new one with store.transaction()")

    def _readable(self, table: str) -> Layout | None:
        self._check_open()
        return self._store.prepared(table, create=False, conn=self.conn)

    def _writable(self, table: str) -> Layout:
        self._check_open()
        check_table_name(table)
        layout = self._store.prepared(table, create=True, conn=self.conn)
        assert layout is not None
        return layout

    def _locked(self, table: str, record_id: str, expect_rev: ExpectRev) -> tuple[Layout, int, Record]:
        """The stored (rev, data) of a record, row-locked; NotFoundError or Conflict as the caller needs."""
        if not isinstance(expect_rev, (int, AnyRev)) or isinstance(expect_rev, bool):
            raise TypeError("expect_rev must be the revision read (int) or ANY_REV for an explicit merge")
        layout = self._readable(table)
        row = None
        if layout is not None and isinstance(record_id, str):
            row = self.conn.execute(
                sql.SQL("SELECT rev, data FROM {} WHERE id = %s FOR UPDATE").format(layout.ident),
                (record_id,),
            ).fetchone()
        if row is None:
            raise NotFoundError(
                f"L'enregistrement « {record_id} » n'existe pas (ou plus) dans la table {table}."
            )
        rev, data = int(row[0]), row[1]
        if isinstance(expect_rev, int) and expect_rev != rev:
            raise Conflict(
                f"L'enregistrement « {record_id} » de la table {table} a été modifié par un autre utilisateur"
                f" (version {rev} enregistrée, {expect_rev} lue)."
            )
        assert layout is not None
        return layout, rev, data

    def _write_row(self, layout: Layout, record_id: str, rev: int, data: Record) -> Record:
        stored = {"id": record_id, **data, "_rev": rev}
        derived = layout.derived(stored)
        assign = sql.SQL(", ").join(sql.SQL("{} = %s").format(sql.Identifier(c)) for c in derived)
        self.conn.execute(
            sql.SQL("UPDATE {} SET rev = %s, data = %s, {} WHERE id = %s").format(layout.ident, assign),
            [rev, jsonb(data), *derived.values(), record_id],
        )
        self.written.add(layout.spec.name)
        return stored

    # ---- reads -----------------------------------------------------------------------------------------

    def get(self, table: str, record_id: str) -> Record | None:
        layout = self._readable(table)
        return queries.get(self.conn, layout, record_id, locking=True) if layout else None

    def get_many(self, table: str, record_ids: Sequence[str]) -> dict[str, Record]:
        layout = self._readable(table)
        return queries.get_many(self.conn, layout, record_ids, locking=True) if layout else {}

    def select(
        self,
        table: str,
        where: Where | None = None,
        *,
        order: Sequence[tuple[str, bool]] = (),
        limit: int | None = None,
    ) -> list[Record]:
        layout = self._readable(table)
        return queries.select(self.conn, layout, where, order, limit) if layout else []

    def count(self, table: str, where: Where | None = None) -> int:
        layout = self._readable(table)
        return queries.count(self.conn, layout, where) if layout else 0

    # ---- writes ----------------------------------------------------------------------------------------

    def insert(self, table: str, record: Record, *, id: str | None = None) -> Record:
        """Add a record; its id is generated unless given (argument, or an "id" key in the record)."""
        self._check_open()
        check_table_name(table)
        rec = plain(record, table)
        given = rec.pop("id", None)
        rec.pop("_rev", None)
        if id is not None and given is not None and given != id:
            raise ValueError(f"two different ids for one record: {id!r} and {given!r}")
        record_id = id if id is not None else given
        if record_id is not None:
            if not isinstance(record_id, str) or not record_id:
                raise ValueError(f"a record id is a non-empty string, not {record_id!r}")
            if is_generated_id(record_id):
                raise ValueError(
                    f"ids shaped like {record_id!r} (NNNN-NNNNNN) are reserved for generated ids"
                )
        layout = self._writable(table)
        derived_cols = layout.derived_names()
        insert = sql.SQL("INSERT INTO {} (id, pos, rev, data, {}) VALUES (%s, {}, 1, %s, {})"
                         " ON CONFLICT (id) DO NOTHING RETURNING id").format(
            layout.ident,
            sql.SQL(", ").join(map(sql.Identifier, derived_cols)),
            sql.SQL("%s") if record_id is None else sql.SQL("nextval({})").format(sql.Literal(layout.pos_sequence)),
            sql.SQL(", ").join(sql.Placeholder() * len(derived_cols)),
        )  # fmt: skip
        while True:
            pos: list[int] = []
            rid = record_id
            if rid is None:
                row = self.conn.execute("SELECT nextval(%s)", (layout.pos_sequence,)).fetchone()
                assert row is not None
                pos = [int(row[0])]
                rid = make_id(pos[0])
            stored = {"id": rid, **rec, "_rev": 1}
            derived = layout.derived(stored)
            params = [rid, *pos, jsonb(rec), *(derived[c] for c in derived_cols)]
            if self.conn.execute(insert, params).fetchone() is not None:
                self.written.add(table)
                return stored
            if record_id is not None:
                raise Conflict(f"L'enregistrement « {record_id} » existe déjà dans la table {table}.")
            # a generated id already taken by a record copied from another store: take the next one

    def update(self, table: str, record_id: str, changes: Record, *, expect_rev: ExpectRev) -> Record:
        self._check_open()
        ch = plain(changes, table)
        if ch.pop("id", record_id) != record_id:
            raise ValueError("update cannot change a record's id")
        ch.pop("_rev", None)
        layout, rev, data = self._locked(table, record_id, expect_rev)
        return self._write_row(layout, record_id, rev + 1, {**data, **ch})

    def replace(self, table: str, record: Record, *, expect_rev: ExpectRev) -> Record:
        self._check_open()
        rec = plain(record, table)
        record_id = rec.pop("id", None)
        if not isinstance(record_id, str):
            raise ValueError("replace needs the record's id")
        rec.pop("_rev", None)
        layout, rev, _data = self._locked(table, record_id, expect_rev)
        return self._write_row(layout, record_id, rev + 1, rec)

    def delete(self, table: str, record_id: str, *, expect_rev: ExpectRev) -> None:
        layout, _rev, _data = self._locked(table, record_id, expect_rev)
        self.conn.execute(sql.SQL("DELETE FROM {} WHERE id = %s").format(layout.ident), (record_id,))
        self.written.add(table)

    def next_sequence(self, name: str) -> int:
        """The counter's row stays locked until this transaction ends: numbers are unique, increasing and
        without gaps (a rolled-back transaction hands its number to the next one)."""
        self._check_open()
        if not isinstance(name, str) or not 0 < len(name) <= SEQUENCE_NAME_MAX:
            raise ValueError("a sequence name is a non-empty string of at most 64 characters")
        row = self.conn.execute(
            "INSERT INTO lsc_sequences (name, value) VALUES (%s, 1)"
            " ON CONFLICT (name) DO UPDATE SET value = lsc_sequences.value + 1 RETURNING value",
            (name,),
        ).fetchone()
        assert row is not None
        return int(row[0])

    def guard(self, table: str) -> None:
        """A transaction-scoped advisory lock named after the table: released by COMMIT or ROLLBACK."""
        self._check_open()
        self.conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (GUARD_CLASS, table))

    def finish(self) -> None:
        """Last statement before COMMIT: notify the listeners of each written table (sent only if it commits)."""
        if self.written:
            self.conn.execute(
                "SELECT count(pg_notify(%s, name)) FROM unnest(%s::text[]) AS name",
                (CHANNEL, sorted(self.written)),
            )
