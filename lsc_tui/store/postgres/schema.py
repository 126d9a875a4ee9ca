"""The database's own tables, their numbered migrations, and the creation of each logical table on first use.

    lsc_meta       key → value: "format" ("lsc-tui-store") and "schema" (the migration number reached)
    lsc_sequences  name → last value handed out by `next_sequence` (row-locked until the transaction ends)
    lsc_tables     name → the column layout its table was built for (a newer spec adds and fills columns)
    lsc_counts     delta rows of each table's counts by summary field, kept by triggers (counts.py)

Migrations are numbered like the embedded store's schema: a database at a lower number is brought up to date
when a writer opens it (each step in its own transaction, under an advisory lock so two processes opening at
once do not both run it); a higher number is refused, naming the version to install.

Schema changes take the advisory lock `DDL_LOCK` and run on a connection of their own, outside any caller's
transaction, so a table created by one writer is visible at once to every other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg
from psycopg import sql

from lsc_tui.store.errors import StoreError
from lsc_tui.store.postgres import counts
from lsc_tui.store.postgres.layout import Layout, jsonb

FORMAT = "lsc-tui-store"
SCHEMA_VERSION = 2
LOCK_CLASS = 0x4C53  # "LS": the first key of every advisory lock lsc-tui takes
DDL_LOCK = (LOCK_CLASS, 0)
BACKFILL_BATCH = 2000


def _create_base(conn: psycopg.Connection) -> None:
    if conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").fetchone() is None:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    conn.execute("CREATE TABLE IF NOT EXISTS lsc_meta (key text PRIMARY KEY, value jsonb NOT NULL)")
    conn.execute(
        'CREATE TABLE IF NOT EXISTS lsc_sequences (name text COLLATE "C" PRIMARY KEY, value bigint NOT NULL)'
    )
    conn.execute(
        'CREATE TABLE IF NOT EXISTS lsc_tables (name text COLLATE "C" PRIMARY KEY, layout jsonb NOT NULL)'
    )
    conn.execute(
        "INSERT INTO lsc_meta (key, value) VALUES ('format', %s) ON CONFLICT (key) DO NOTHING",
        (jsonb(FORMAT),),
    )


def _add_counts(conn: psycopg.Connection) -> None:
    """2: counts by summary field kept by triggers, for the tables made before them."""
    counts.create_table(conn)
    for name, layout in conn.execute("SELECT name, layout FROM lsc_tables ORDER BY name").fetchall():
        counts.install(conn, name, layout.get("summary", []))


MIGRATIONS: dict[int, Callable[[psycopg.Connection], None]] = {1: _create_base, 2: _add_counts}


def read_schema(conn: psycopg.Connection) -> int | None:
    """The schema number, or None when this database holds no lsc-tui store."""
    if conn.execute("SELECT to_regclass('lsc_meta')").fetchone() in (None, (None,)):
        return None
    rows = dict(conn.execute("SELECT key, value FROM lsc_meta WHERE key IN ('format', 'schema')").fetchall())
    if rows.get("format") != FORMAT:
        return None
    schema = rows.get("schema", 0)
    return schema if isinstance(schema, int) else 0


def open_schema(conn: psycopg.Connection, location: str, *, create: bool, readonly: bool) -> int:
    """Check (and, for a writer, create or upgrade) the store in this database; returns the schema number."""
    schema = read_schema(conn)
    if schema is None and (not create or readonly):
        raise StoreError(
            f"La base PostgreSQL {location} ne contient pas de store lsc-tui : créez-le avec"
            f" « lsc-tui init --store {location} --admin <identifiant> »."
        )
    if schema is not None and schema > SCHEMA_VERSION:
        raise StoreError(
            f"La base PostgreSQL {location} a été créée par une version plus récente (schéma {schema}) ;"
            f" cette version de lsc-tui ne lit que le schéma {SCHEMA_VERSION} : mettez lsc-tui à jour."
        )
    if schema is not None and schema == SCHEMA_VERSION:
        return schema
    if readonly:
        raise StoreError(
            f"La base PostgreSQL {location} doit être mise à jour (schéma {schema} → {SCHEMA_VERSION}) :"
            " ouvrez-la une fois sans l'option lecture seule."
        )
    _migrate(conn, location)
    return SCHEMA_VERSION


def _migrate(conn: psycopg.Connection, location: str) -> None:
    while True:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", DDL_LOCK)
            current = read_schema(conn) or 0
            if current >= SCHEMA_VERSION:
                return
            step = current + 1
            try:
                MIGRATIONS[step](conn)
            except psycopg.errors.InsufficientPrivilege as exc:
                raise StoreError(
                    f"La base PostgreSQL {location} ne peut pas être préparée (droits insuffisants :"
                    f" {exc.diag.message_primary}) : demandez à son administrateur de lancer la première"
                    " ouverture, ou d'installer l'extension pg_trgm."
                ) from exc
            conn.execute(
                "INSERT INTO lsc_meta (key, value) VALUES ('schema', %s)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (jsonb(step),),
            )


def prepare_table(conn: psycopg.Connection, layout: Layout, *, create: bool, location: str) -> bool:
    """Make sure `layout`'s table exists with its columns and indexes; False if it does not exist and
    `create` is false (a read of a table nobody wrote yet). `conn` is in autocommit mode."""
    wanted = layout.describe()
    row = conn.execute("SELECT layout FROM lsc_tables WHERE name = %s", (layout.spec.name,)).fetchone()
    if row is not None and row[0] == wanted:
        return True
    if row is None and not create:
        return False
    if not create:
        raise StoreError(
            f"La table {layout.spec.name} de la base PostgreSQL {location} doit être mise à jour pour cette"
            " version : ouvrez-la une fois sans l'option lecture seule."
        )
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", DDL_LOCK)
        row = conn.execute(
            "SELECT layout FROM lsc_tables WHERE name = %s FOR UPDATE", (layout.spec.name,)
        ).fetchone()
        if row is not None and row[0] == wanted:
            return True
        _create_table(conn, layout)
        if row is not None and {k: v for k, v in row[0].items() if k != "indexes"} != layout.derivation():
            _backfill(conn, layout)
        conn.execute(
            "INSERT INTO lsc_tables (name, layout) VALUES (%s, %s)"
            " ON CONFLICT (name) DO UPDATE SET layout = excluded.layout",
            (layout.spec.name, jsonb(wanted)),
        )
    return True


def _create_table(conn: psycopg.Connection, layout: Layout) -> None:
    """Create the table, or add the columns and indexes a newer spec declares (existing ones are kept)."""
    conn.execute(
        sql.SQL(
            'CREATE TABLE IF NOT EXISTS {} (id text COLLATE "C" PRIMARY KEY, pos bigint NOT NULL,'
            " rev integer NOT NULL, data jsonb NOT NULL, search text NOT NULL DEFAULT '')"
        ).format(layout.ident)
    )
    conn.execute(sql.SQL("CREATE SEQUENCE IF NOT EXISTS {}").format(sql.Identifier(layout.pos_sequence)))
    for name, kind in layout.columns():
        conn.execute(
            sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS {} {}").format(
                layout.ident, sql.Identifier(name), sql.SQL(kind)
            )
        )
    for _name, statement in layout.indexes():
        conn.execute(statement)
    for name in layout.obsolete_indexes():
        conn.execute(sql.SQL("DROP INDEX IF EXISTS {}").format(sql.Identifier(name)))
    counts.install(conn, layout.spec.name, layout.summary)


def _backfill(conn: psycopg.Connection, layout: Layout) -> None:
    """Recompute every derived column after the spec changed (a new indexed field, a new order)."""
    derived = layout.derived_names()
    assign = sql.SQL(", ").join(sql.SQL("{} = %s").format(sql.Identifier(c)) for c in derived)
    update = sql.SQL("UPDATE {} SET {} WHERE id = %s").format(layout.ident, assign)
    after = ""
    while True:
        rows = conn.execute(
            sql.SQL("SELECT id, rev, data FROM {} WHERE id > %s ORDER BY id LIMIT %s").format(layout.ident),
            (after, BACKFILL_BATCH),
        ).fetchall()
        if not rows:
            return
        batch: list[list[Any]] = []
        for record_id, rev, data in rows:
            values = layout.derived({"id": record_id, **data, "_rev": rev})
            batch.append([values[c] for c in derived] + [record_id])
        with conn.cursor() as cur:
            cur.executemany(update, batch)
        after = rows[-1][0]
