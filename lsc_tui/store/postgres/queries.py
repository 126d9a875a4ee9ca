"""The reads, as SQL: shared by the store (committed data) and a transaction (its own writes included).

A `Where` becomes conditions on the value columns of `layout.py` (canonical JSON text: equality, or `= ANY`
for membership), served by their btree indexes; a field without a column falls back to `data -> 'field'`. Typed words become
one `search LIKE '%word%'` per word, which the pg_trgm GIN index serves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
import psycopg
from psycopg import sql

from lsc_tui.store.postgres.layout import Layout, canonical, dumps, jsonb, order_sql
from lsc_tui.store.protocol import Where, as_members

Record = dict[str, Any]
Params = list[Any]
ROW = sql.SQL("id, rev, data")


def record_of(row: Sequence[Any]) -> Record:
    """A private copy (decoded from the row just read): callers may change it freely."""
    record_id, rev, data = row[0], row[1], row[2]
    return {"id": record_id, **data, "_rev": rev}


def _jsonable(value: Any) -> bool:
    try:
        dumps(value)
    except TypeError:
        return False
    return True


def _condition(layout: Layout, field: str, wanted: Any) -> tuple[sql.Composable, Params]:
    members = as_members(wanted)
    if field in ("id", "_rev"):
        column, kind = ("id", str) if field == "id" else ("rev", int)
        values = [v for v in (members if members is not None else [wanted]) if type(v) is kind]
        cast = "text[]" if kind is str else "integer[]"
        return sql.SQL("{} = ANY(%s::{})").format(sql.Identifier(column), sql.SQL(cast)), [values]
    if field in layout.values:
        column = sql.Identifier(f"f_{field}")
        if members is None:
            if not _jsonable(wanted):
                return sql.SQL("FALSE"), []
            return sql.SQL("{} = %s").format(column), [canonical(wanted)]
        texts = [canonical(v) for v in members if _jsonable(v)]
        return sql.SQL("{} = ANY(%s::text[])").format(column), [texts]
    expr = layout.value_expr(field)
    if members is None:
        if not _jsonable(wanted):
            return sql.SQL("FALSE"), []  # nothing stored as JSON equals a value JSON cannot hold
        return sql.SQL("{} = %s").format(expr), [jsonb(wanted)]
    kept = [jsonb(v) for v in members if _jsonable(v)]
    return sql.SQL("{} = ANY(%s::jsonb[])").format(expr), [kept]


def like_pattern(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def conditions(
    layout: Layout, where: Where | None, words: Sequence[str] = (), *, indexed: int | None = None
) -> tuple[list[sql.Composable], Params]:
    """One condition per filtered field and per folded search word, with their parameters. `indexed`: only
    that word may use the trigram index, the others are tested on the rows it finds (word_search.py)."""
    parts: list[sql.Composable] = []
    params: Params = []
    for field, wanted in (where or {}).items():
        part, p = _condition(layout, field, wanted)
        parts.append(part)
        params += p
    for i, word in enumerate(words):
        unindexed = indexed is not None and i != indexed
        parts.append(sql.SQL("(search || '') LIKE %s" if unindexed else "search LIKE %s"))
        params.append(like_pattern(word))
    return parts, params


def joined(parts: Sequence[sql.Composable]) -> sql.Composable:
    """` WHERE a AND b`, or nothing."""
    if not parts:
        return sql.SQL("")
    return sql.SQL(" WHERE ") + sql.SQL(" AND ").join(parts)


def where_sql(
    layout: Layout, where: Where | None, words: Sequence[str] = ()
) -> tuple[sql.Composable, Params]:
    """`WHERE …` (or nothing) for a filter and folded search words, with its parameters."""
    parts, params = conditions(layout, where, words)
    return joined(parts), params


def _lock(locking: bool) -> sql.Composable:
    return sql.SQL(" FOR UPDATE" if locking else "")


def get(conn: psycopg.Connection, layout: Layout, record_id: str, *, locking: bool = False) -> Record | None:
    """`locking` (inside a transaction): the row stays as read until the transaction ends."""
    if not isinstance(record_id, str):
        return None
    row = conn.execute(
        sql.SQL("SELECT {} FROM {} WHERE id = %s{}").format(ROW, layout.ident, _lock(locking)), (record_id,)
    ).fetchone()
    return record_of(row) if row is not None else None


def get_many(
    conn: psycopg.Connection, layout: Layout, record_ids: Sequence[str], *, locking: bool = False
) -> dict[str, Record]:
    wanted = sorted({r for r in record_ids if isinstance(r, str)})  # rows locked in one order: no deadlock
    query = sql.SQL("SELECT {} FROM {} WHERE id = ANY(%s::text[]) ORDER BY id{}")
    rows = conn.execute(query.format(ROW, layout.ident, _lock(locking)), (wanted,)).fetchall()
    found = {row[0]: record_of(row) for row in rows}
    return {rid: found[rid] for rid in record_ids if rid in found}


def select(
    conn: psycopg.Connection,
    layout: Layout,
    where: Where | None,
    order: Sequence[tuple[str, bool]],
    limit: int | None,
) -> list[Record]:
    cond, params = where_sql(layout, where)
    query = sql.SQL("SELECT {} FROM {}{} ORDER BY {}").format(
        ROW, layout.ident, cond, order_sql(layout, order)
    )
    if limit is not None:
        query += sql.SQL(" LIMIT %s")
        params.append(max(0, int(limit)))
    return [record_of(row) for row in conn.execute(query, params)]


def count(conn: psycopg.Connection, layout: Layout, where: Where | None, words: Sequence[str] = ()) -> int:
    cond, params = where_sql(layout, where, words)
    row = conn.execute(sql.SQL("SELECT count(*) FROM {}{}").format(layout.ident, cond), params).fetchone()
    return int(row[0]) if row is not None else 0


def count_by(conn: psycopg.Connection, layout: Layout, field: str, where: Where | None) -> dict[Any, int]:
    """Grouped by the field's column: an index-only scan of its btree when the table is vacuumed."""
    cond, params = where_sql(layout, where)
    column = field in layout.values
    expr = sql.Identifier(f"f_{field}") if column else layout.value_expr(field)
    query = sql.SQL("SELECT {} AS v, count(*) FROM {}{} GROUP BY v").format(expr, layout.ident, cond)
    rows = conn.execute(query, params).fetchall()
    return {(orjson.loads(value) if column else value): int(n) for value, n in rows}
