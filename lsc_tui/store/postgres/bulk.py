"""Writing many records as they are, ids and revisions kept: `lsc-tui store migrate` and the benchmark's load.

Rows are streamed with COPY into a temporary table, then merged with one INSERT … ON CONFLICT that rewrites
a stored record only when its revision or data differ: a second import of the same records writes nothing,
and an interrupted one is finished by importing again. Positions (insertion order) are handed out in the
order the records came, so a table without a display order lists as it did in the source.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import psycopg
from psycopg import sql

from lsc_tui.store.postgres.layout import Layout, id_number, jsonb
from lsc_tui.store.postgres.transaction import plain

Record = dict[str, Any]
STAGE = "lsc_import"


def import_rows(conn: psycopg.Connection, layout: Layout, records: Iterable[Record]) -> int:
    """Merge `records` into the table inside the caller's transaction; returns the rows written."""
    stage = sql.Identifier(f"{STAGE}_{layout.spec.name}")  # temporary: one per connection and table
    derived = layout.derived_names()
    cols = ["id", "rev", "data", *derived]
    conn.execute(
        sql.SQL(
            "CREATE TEMP TABLE IF NOT EXISTS {} (n bigint, LIKE {} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
        ).format(stage, layout.ident)
    )
    conn.execute(sql.SQL("TRUNCATE {}").format(stage))
    top = 0
    staged = 0
    copy = sql.SQL("COPY {} (n, pos, {}) FROM STDIN").format(
        stage, sql.SQL(", ").join(map(sql.Identifier, cols))
    )
    with conn.cursor() as cur, cur.copy(copy) as pipe:
        for record in records:
            rec = plain(record, layout.spec.name)
            record_id, rev = rec.pop("id"), int(rec.pop("_rev", 1))
            values = layout.derived({"id": record_id, **rec, "_rev": rev})
            pipe.write_row([staged, 0, record_id, rev, jsonb(rec), *(values[c] for c in derived)])
            staged += 1
            top = max(top, id_number(record_id) or 0)
    if not staged:
        return 0
    names = sql.SQL(", ").join(map(sql.Identifier, cols))
    update = sql.SQL(", ").join(sql.SQL("{0} = excluded.{0}").format(sql.Identifier(c)) for c in cols[1:])
    cur = conn.execute(
        sql.SQL(
            "INSERT INTO {table} (pos, {names}) SELECT nextval({seq}), {names} FROM"
            " (SELECT * FROM {stage} ORDER BY n) AS s"
            " ON CONFLICT (id) DO UPDATE SET {update}"
            " WHERE ({table}.rev, {table}.data) IS DISTINCT FROM (excluded.rev, excluded.data)"
        ).format(
            table=layout.ident,
            names=names,
            seq=sql.Literal(layout.pos_sequence),
            stage=stage,
            update=update,
        )
    )
    written = cur.rowcount
    conn.execute(
        sql.SQL("SELECT setval({0}, greatest({1}, (SELECT last_value FROM {2})))").format(
            sql.Literal(layout.pos_sequence), sql.Literal(top), sql.Identifier(layout.pos_sequence)
        )
    )
    return written
