"""Counts by summary field kept by the database: Accueil's « 12 lettres à valider » reads a few rows of
`lsc_counts`, not an index of 1,000,000 entries (80 ms, on every start and every refresh).

A statement trigger on each table with summary fields inserts, per statement, one delta row per (field, value)
the statement changed: insert-only, so concurrent writers never wait on a shared counter row. A read sums the
deltas of its key. Once a key has gathered `COMPACT_AT` rows, they are folded into one row per value by one
statement (DELETE … RETURNING feeding an INSERT of the sums): rows committed meanwhile are not deleted, so
not lost; two folds at once each re-insert only what they deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
import psycopg
from psycopg import sql

COMPACT_AT = 256
"""Delta rows of one (table, field) beyond which a read folds them (a busy day writes a few thousand)."""
EVENTS = (("INSERT", "i", (("new_rows", 1),)), ("UPDATE", "u", (("new_rows", 1), ("old_rows", -1))),
          ("DELETE", "d", (("old_rows", -1),)))  # fmt: skip
"""(event, suffix of its function and trigger, transition tables with the sign of their rows)."""


def create_table(conn: psycopg.Connection) -> None:
    conn.execute(
        'CREATE TABLE IF NOT EXISTS lsc_counts (tbl text COLLATE "C" NOT NULL, field text COLLATE "C" NOT NULL,'
        ' value text COLLATE "C" NOT NULL, n bigint NOT NULL)'
    )
    conn.execute("CREATE INDEX IF NOT EXISTS lsc_counts_key ON lsc_counts (tbl, field)")


def install(conn: psycopg.Connection, name: str, fields: Sequence[str]) -> None:
    """Triggers keeping the counts of table `name` (logical name) by `fields`, and those counts rebuilt from
    its rows; run inside the caller's DDL transaction (CREATE TRIGGER locks out writers until it commits)."""
    if not fields:
        return
    table = sql.Identifier(f"lsc_{name}")
    for event, suffix, sources in EVENTS:
        function = sql.Identifier(f"lsc_n_{name}_{suffix}")
        deltas = sql.SQL(" UNION ALL ").join(
            sql.SQL("SELECT {} AS field, {} AS value, {} AS n FROM {}").format(
                sql.Literal(f), sql.Identifier(f"f_{f}"), sql.Literal(sign), sql.Identifier(rows)
            )
            for f in fields
            for rows, sign in sources
        )
        body = sql.SQL(
            "BEGIN INSERT INTO lsc_counts (tbl, field, value, n) SELECT {}, field, value, sum(n) FROM ({}) d"
            " GROUP BY field, value HAVING sum(n) <> 0; RETURN NULL; END"
        ).format(sql.Literal(name), deltas)
        conn.execute(
            sql.SQL("CREATE OR REPLACE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql AS {}").format(
                function, sql.Literal(body.as_string(conn))
            )
        )
        referencing = sql.SQL(" ").join(
            sql.SQL("{} TABLE AS {}").format(
                sql.SQL("NEW" if rows == "new_rows" else "OLD"), sql.Identifier(rows)
            )
            for rows, _sign in sources
        )
        conn.execute(sql.SQL("DROP TRIGGER IF EXISTS {} ON {}").format(function, table))
        conn.execute(
            sql.SQL(
                "CREATE TRIGGER {} AFTER {} ON {} REFERENCING {} FOR EACH STATEMENT EXECUTE FUNCTION {}()"
            ).format(function, sql.SQL(event), table, referencing, function)
        )
    conn.execute("DELETE FROM lsc_counts WHERE tbl = %s", (name,))
    for f in fields:
        conn.execute(
            sql.SQL(
                "INSERT INTO lsc_counts (tbl, field, value, n) SELECT %s, %s, {}, count(*) FROM {} GROUP BY 3"
            ).format(sql.Identifier(f"f_{f}"), table),
            (name, f),
        )


def read(conn: psycopg.Connection, name: str, field: str) -> tuple[dict[Any, int], int]:
    """(count per value, delta rows read): values decoded as `count_by` gives them."""
    rows = conn.execute(
        "SELECT value, sum(n)::bigint, count(*) FROM lsc_counts WHERE tbl = %s AND field = %s GROUP BY value",
        (name, field),
    ).fetchall()
    return {orjson.loads(value): int(n) for value, n, _k in rows if n}, sum(int(k) for _v, _n, k in rows)


def compact(conn: psycopg.Connection, name: str, field: str) -> None:
    """Fold the key's delta rows into one row per value (`conn` in autocommit: one statement, atomic)."""
    conn.execute(
        "WITH gone AS (DELETE FROM lsc_counts WHERE tbl = %s AND field = %s RETURNING value, n)"
        " INSERT INTO lsc_counts (tbl, field, value, n)"
        " SELECT %s, %s, value, sum(n) FROM gone GROUP BY value HAVING sum(n) <> 0",
        (name, field, name, field),
    )
