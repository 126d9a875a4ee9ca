"""A page of a list narrowed by typed words, whatever plan PostgreSQL would pick for it.

Two plans serve « contains every word, in display order »: walk the display order and test each row's search
text (fast for a common word: the matches come early), or gather the matches through the trigram index and
sort them (fast for a rare word). PostgreSQL guesses the share of rows a `LIKE '%word%'` matches from its
statistics sample, and the guess moves with every ANALYZE: at 1,000,000 letters the same keystroke (« lefevre
co ») took 19 ms one day and 144 ms after a re-analysis, walking 125,000 rows for 200 matches.

So the page is first looked for among the first `PROBE_ROWS` rows of the display order (~3 ms): a common word
fills it there, and that is the exact answer. Otherwise the share found there says which plan reads fewer rows,
and that plan is imposed for the one query (`set_config(…, true)`, local to its transaction), so no statistics
sample can turn a 30 ms keystroke into a 150 ms one. With several words, only the rarest among those first rows
is gathered through the trigram index, the others tested on what it finds: a common word's trigrams
(« convocation ») have posting lists of hundreds of thousands of rows, and a word of one or two letters has
none at all.

Every query finds the matching rows' ids in the display-order index that carries the search text (`walk`,
layout.py) — index entries, not table rows — and reads the page's records by id afterwards.

The probe's rows do not change while the list does not: a list fetches their ids and search texts once, in the
background (`Sample`), and each keystroke then runs the probe and the share of each word here, without the two
round trips (~4 ms of a 25–30 ms keystroke at 1,000,000 letters).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from lsc_tui.store.postgres import queries
from lsc_tui.store.postgres.layout import Layout

PROBE_ROWS = 4000
TRIGRAM = 3
"""A word shorter than this cannot use the trigram index."""
WALK_COST = 0.25
"""A row walked costs about a quarter of a row gathered (measured at 1,000,000 letters: 0.75 µs an index entry
walked in display order, 3.1–3.3 µs a row gathered by the trigram index, rechecked and sorted)."""
ONE_PROCESS = " set_config('max_parallel_workers_per_gather', '0', true), set_config('jit', 'off', true)"
"""No parallel workers nor JIT for a keystroke's query: starting the workers (20–30 ms) and compiling (25 ms)
cost more than the few thousand rows either plan reads."""
WALK = sql.SQL(
    "SELECT set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true),"
    + ONE_PROCESS
)
"""Walk the display-order index. Every other path is ruled out: with only the bitmap scan off, a word the
statistics think rare (« lefev », 42 rows guessed, 6,300 found) got a parallel scan of the whole table and a
sort, 350 ms."""
GATHER = sql.SQL(
    "SELECT set_config('enable_indexscan', 'off', true), set_config('enable_seqscan', 'off', true),"
    + ONE_PROCESS
)
"""Gather the matches through the trigram index (bitmap scan), then sort them."""

Query = tuple[sql.Composable, list[Any]]


@dataclass(frozen=True)
class Sample:
    """The first rows of a list (ids and search texts, in display order) as the probe reads them."""

    rows: list[tuple[str, str]]
    complete: bool
    """The list holds no other row: what matches here is the whole answer."""

    def usable(self) -> bool:
        return self.complete or len(self.rows) == PROBE_ROWS

    def matching(self, words: Sequence[str], limit: int) -> list[str]:
        rows = self.rows
        for word in words:  # one word at a time over fewer and fewer rows: a sixth of `all()` per row
            rows = [row for row in rows if word in row[1]]
        return [i for i, _text in rows[:limit]]

    def shares(self, words: Sequence[str]) -> list[int]:
        return [len([1 for _i, text in self.rows if word in text]) for word in words]


def order_sql(key: Sequence[tuple[str, bool]], reverse: bool = False, alias: str = "") -> sql.Composable:
    """`ORDER BY` of a keyset (column, descending) pairs, backwards with `reverse`, columns of `alias`."""
    return sql.SQL(", ").join(
        sql.SQL("{} DESC" if d != reverse else "{}").format(
            sql.Identifier(alias, c) if alias else sql.Identifier(c)
        )
        for c, d in key
    )


@dataclass(frozen=True)
class WordPage:
    """The queries behind one page of a narrowed list: `scope` (filters and keyset, with `params`) holds the
    rows it may come from, in the order of `key` (backwards with `reverse`)."""

    layout: Layout
    scope: list[sql.Composable]
    params: list[Any]
    words: tuple[str, ...]
    key: Sequence[tuple[str, bool]]
    reverse: bool
    limit: int

    def _records(self, ids: sql.Composable) -> sql.Composable:
        """The records (and keyset columns) of the ids `ids` selects, in display order."""
        cols = sql.SQL(", ").join(sql.Identifier("t", c) for c, _d in self.key)
        return sql.SQL(
            "SELECT t.id, t.rev, t.data, {cols} FROM ({ids}) m JOIN {table} t USING (id) ORDER BY {order}"
        ).format(cols=cols, ids=ids, table=self.layout.ident, order=order_sql(self.key, self.reverse, "t"))

    def probe(self) -> Query:
        """The page among the first `PROBE_ROWS` rows of the scope."""
        names = dict.fromkeys(["id", *(c for c, _d in self.key)])  # the keyset ends with id, or is `pos`
        cols = sql.SQL(", ").join(map(sql.Identifier, names))
        order = order_sql(self.key, self.reverse)
        words, word_params = queries.conditions(self.layout, None, self.words)
        ids = sql.SQL(
            "SELECT id FROM (SELECT {cols}, search FROM {table}{scope} ORDER BY {order} LIMIT %s) first{words}"
            " ORDER BY {order} LIMIT %s"
        ).format(
            cols=cols, table=self.layout.ident, scope=queries.joined(self.scope), order=order,
            words=queries.joined(words),
        )  # fmt: skip
        return self._records(ids), [*self.params, PROBE_ROWS, *word_params, self.limit]

    def sample(self) -> Query:
        """Ids and search texts of the first `PROBE_ROWS` rows of the scope, and one more (is it all?)."""
        query = sql.SQL(
            "SELECT id, coalesce(search, '') FROM {table}{scope} ORDER BY {order} LIMIT %s"
        ).format(
            table=self.layout.ident, scope=queries.joined(self.scope), order=order_sql(self.key, self.reverse)
        )
        return query, [*self.params, PROBE_ROWS + 1]

    def records(self, ids: Sequence[str]) -> Query:
        """The records of these ids, in display order."""
        return self._records(sql.SQL('SELECT unnest(%s::text[]) COLLATE "C" AS id')), [list(ids)]

    def shares(self) -> Query:
        """How many of the first `PROBE_ROWS` rows of the scope contain each word."""
        counts = sql.SQL(", ").join([sql.SQL("count(*) FILTER (WHERE search LIKE %s)")] * len(self.words))
        query = sql.SQL(
            "SELECT {counts} FROM (SELECT search FROM {table}{scope} ORDER BY {order} LIMIT %s) first"
        ).format(
            counts=counts,
            table=self.layout.ident,
            scope=queries.joined(self.scope),
            order=order_sql(self.key),
        )
        return query, [*map(queries.like_pattern, self.words), *self.params, PROBE_ROWS]

    def full(self, indexed: int | None = None) -> Query:
        """The page among all the scope's rows; `indexed`: the one word the trigram index may gather."""
        words, word_params = queries.conditions(self.layout, None, self.words, indexed=indexed)
        ids = sql.SQL("SELECT id FROM {table}{where} ORDER BY {order} LIMIT %s").format(
            table=self.layout.ident,
            where=queries.joined([*self.scope, *words]),
            order=order_sql(self.key, self.reverse),
        )
        return self._records(ids), [*self.params, *word_params, self.limit]


def rarest(words: Sequence[str], counts: Sequence[int]) -> tuple[int | None, int | None]:
    """(position, count among the probe's rows) of the rarest word long enough for the trigram index."""
    usable = [(n, i) for i, (w, n) in enumerate(zip(words, counts, strict=True)) if len(w) >= TRIGRAM]
    if not usable:
        return None, None
    n, i = min(usable)
    return i, n


def plan_for(found: int, page: int, rows_in_list: int | None, gathered: int | None) -> sql.Composable | None:
    """The plan that reads fewer rows, given `found` matches of every word among the probe's rows and
    `gathered`, the probe's rows holding the word the trigram index would gather (None: no word is long enough
    for the index). None: let PostgreSQL choose (the list's size is not known yet)."""
    if rows_in_list is None:
        return None
    if gathered is None:
        return WALK
    walk = WALK_COST * page / (max(found, 0.5) / PROBE_ROWS)
    return WALK if walk < max(gathered, 0.5) / PROBE_ROWS * rows_in_list else GATHER


def fetch_sample(conn: psycopg.Connection, page: WordPage) -> Sample:
    rows = [(str(i), str(text)) for i, text in conn.execute(*page.sample()).fetchall()]
    return Sample(rows[:PROBE_ROWS], complete=len(rows) <= PROBE_ROWS)


def run(
    conn: psycopg.Connection, page: WordPage, rows_in_list: int | None, sample: Sample | None = None
) -> Sequence[Any]:
    """The page's rows; `sample`: the scope's first rows, read before (the probe and the shares are then
    computed from it, not asked)."""
    if sample is not None and sample.usable():
        found = sample.matching(page.words, page.limit)
        if len(found) >= page.limit or sample.complete:
            return conn.execute(*page.records(found)).fetchall() if found else []
        shares = sample.shares(page.words)
    else:
        rows = conn.execute(*page.probe()).fetchall()
        if len(rows) >= page.limit:
            return rows
        found, shares = rows, None
    indexed, gathered = None, None
    if len(page.words) == 1:
        gathered = len(found) if len(page.words[0]) >= TRIGRAM else None
    elif rows_in_list is not None:
        counts = shares if shares is not None else conn.execute(*page.shares()).fetchone() or ()
        indexed, gathered = rarest(page.words, counts)
    plan = plan_for(len(found), page.limit, rows_in_list, gathered)
    if plan is None:
        return conn.execute(*page.full()).fetchall()
    with conn.transaction():
        conn.execute(plan)
        return conn.execute(*page.full(indexed if plan is GATHER else None)).fetchall()
