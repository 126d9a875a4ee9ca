"""A page of a list narrowed by typed words, whatever plan PostgreSQL would pick for it.

Two plans serve « contains every word, in display order »: walk the display-order index and test each row (fast
for a common word, 200 matches come early), or gather the matches through the trigram index and sort them (fast
for a rare word). PostgreSQL guesses the share of rows a `LIKE '%word%'` matches from its statistics sample,
and the guess moves with every ANALYZE: at 1,000,000 letters the same keystroke (« lefevre co ») took 19 ms one
day and 144 ms after a re-analysis, walking 125,000 rows for 200 matches.

So the page is first looked for in the first `PROBE_ROWS` rows of the display order (~8 ms): a common word fills
it there, and that is the exact answer. Otherwise the share found there says which plan reads fewer rows —
the walk (page / share rows, each half the cost) or the trigram index (share × rows in the list) — and that
plan is imposed for the one query (`set_config(…, true)`, local to its transaction), so no statistics sample can turn a 30 ms keystroke into a
150 ms one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg import sql

PROBE_ROWS = 4000
WALK_COST = 0.5
"""A row walked costs about half a row gathered (measured at 1,000,000 letters: 1–2 µs a row walked in the
display order, 3.1–3.3 µs a row gathered by the trigram index, rechecked and sorted)."""
ONE_PROCESS = " set_config('max_parallel_workers_per_gather', '0', true), set_config('jit', 'off', true)"
"""No parallel workers nor JIT for a keystroke's query: starting the workers (20–30 ms) and compiling (25 ms)
cost more than the few thousand rows either plan reads."""
WALK = sql.SQL(
    "SELECT set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true),"
    " set_config('enable_sort', 'off', true)," + ONE_PROCESS
)
"""Walk the display-order index. Every other path is ruled out: with only the bitmap scan off, a word the
statistics think rare (« lefev », 42 rows guessed, 6,300 found) got a parallel scan of the whole table and a
sort, 350 ms."""
GATHER = sql.SQL(
    "SELECT set_config('enable_indexscan', 'off', true), set_config('enable_seqscan', 'off', true),"
    + ONE_PROCESS
)
"""Gather the matches through the trigram index (bitmap scan), then sort them."""


def probe_query(
    table: sql.Identifier,
    scope: sql.Composable,
    words: sql.Composable,
    cols: sql.Composable,
    order: sql.Composable,
) -> sql.Composable:
    """The page among the first `PROBE_ROWS` rows of the scope (filters and keyset), in display order; its
    parameters: the scope's, PROBE_ROWS, the words', the page size."""
    return sql.SQL(
        "SELECT id, rev, data, {cols} FROM (SELECT * FROM {table}{scope}"
        " ORDER BY {order} LIMIT %s) probe{words} ORDER BY {order} LIMIT %s"
    ).format(cols=cols, table=table, scope=scope, words=words, order=order)


def plan_for(found: int, page: int, rows_in_list: int | None) -> sql.Composable | None:
    """The plan that reads fewer rows, given `found` matches in the probe; None: let PostgreSQL choose (the
    list's size is not known yet)."""
    if rows_in_list is None:
        return None
    share = max(found, 0.5) / PROBE_ROWS
    return WALK if WALK_COST * page / share < share * rows_in_list else GATHER


def run(
    conn: psycopg.Connection,
    probe: tuple[sql.Composable, list[Any]],
    full: tuple[sql.Composable, list[Any]],
    page: int,
    rows_in_list: int | None,
) -> Sequence[Any]:
    rows = conn.execute(*probe).fetchall()
    if len(rows) >= page:
        return rows
    plan = plan_for(len(rows), page, rows_in_list)
    if plan is None:
        return conn.execute(*full).fetchall()
    with conn.transaction():
        conn.execute(plan)
        return conn.execute(*full).fetchall()
