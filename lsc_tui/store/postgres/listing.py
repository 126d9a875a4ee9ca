"""A list served by PostgreSQL: only the rows a screen shows are fetched, a page of ~200 at a time.

Pages are found by keyset paging: the listing remembers the sort key at the edges of every page it fetched,
and asks for "the 200 rows after this key" (or before it, in reverse order, scrolling up or from the end),
which the btree on (order fields…, id) answers by reading just those rows, wherever they are in a million.
A jump far from any known edge (dragging the scrollbar to the middle) asks from the nearest edge or end
with an OFFSET, once: the server skips that many index entries; the pages next to it are keyset again.

The count (`len`) is one `count(*)` served by the same indexes, cached for the listing's life; a new listing
starts it and its first page side by side (`prefetch`). Typed words narrow with one `search LIKE '%word%'`
per word, served by the trigram index from the third letter of a word on; a one- or two-letter word matches
most rows and is counted by scanning them (0.4–0.5 s at 1,000,000 rows, bench/bench_postgres.py); a narrowed
list is counted only once typing pauses (`COUNT_AFTER_S`), so the words typed on the way are never counted.

Snapshot semantics stop at one query: each page is read when first needed, so a record written between two
pages may be missed or seen twice, and `len` may differ from what the pages hold. A screen builds a new
listing when `table_token` changes, which brings everything back in line.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import Executor, Future
from typing import TYPE_CHECKING, Any

import orjson
import psycopg
from psycopg import sql

from lsc_tui.domain.search import fold
from lsc_tui.store.postgres import queries, word_search
from lsc_tui.store.postgres.layout import Layout
from lsc_tui.store.protocol import Where

if TYPE_CHECKING:
    from lsc_tui.store.postgres.store import PostgresStore

Record = dict[str, Any]
Key = tuple[Any, ...]
PAGE = 200
CACHED_PAGES = 50
CANCEL_TRIES = 25
CANCEL_AGAIN_S = 0.02
HEAD = 64
"""Rows a narrowed list fetches first: a screen's worth (services/listing.py WINDOW). Typed words match few
rows, and reading them costs in proportion to how many are asked for (walking the display order until that
many match): the rest of the first page follows by keyset when the list scrolls."""
COUNT_AFTER_S = 0.25
"""A narrowed list (typed words) counts its rows only once typing has paused this long: the count of a short
word reads tens of thousands of rows, and ran beside the next keystroke's first page on a 2-core server (the
worst keystroke at 1,000,000 letters: 86 ms, half of it waiting behind the previous word's count)."""


def keyset_sql(key: Sequence[tuple[str, bool]], after: bool) -> sql.Composable:
    """Rows strictly after (or before) a key in the order `key` describes, as one condition.

    With every column in one direction it is a row comparison, which the btree serves as a range scan.
    """
    if len({d for _c, d in key}) == 1:
        greater = after != key[0][1]
        cols = sql.SQL(", ").join(sql.Identifier(c) for c, _d in key)
        marks = sql.SQL(", ").join(sql.Placeholder() * len(key))
        return sql.SQL("({}) {} ({})").format(cols, sql.SQL(">" if greater else "<"), marks)
    ors: list[sql.Composable] = []
    for i, (col, desc) in enumerate(key):
        ands = [sql.SQL("{} = %s").format(sql.Identifier(c)) for c, _d in key[:i]]
        ands.append(sql.SQL("{} {} %s").format(sql.Identifier(col), sql.SQL(">" if after != desc else "<")))
        ors.append(sql.SQL("(") + sql.SQL(" AND ").join(ands) + sql.SQL(")"))
    return sql.SQL("(") + sql.SQL(" OR ").join(ors) + sql.SQL(")")


def keyset_params(key: Key, uniform: bool) -> list[Any]:
    if uniform:
        return list(key)
    params: list[Any] = []
    for i in range(len(key)):
        params += [*key[:i], key[i]]
    return params


class PgListing:
    """The records of one table matching a filter (and typed words), in the table's display order."""

    def __init__(
        self,
        store: PostgresStore,
        layout: Layout,
        where: Where | None,
        words: Sequence[str] = (),
        root: PgListing | None = None,
    ) -> None:
        self._store = store
        self._layout = layout
        self.where = dict(where or {})
        self.words = tuple(words)
        self.root: PgListing = root or self
        self._key = layout.key()
        self._uniform = len({d for _c, d in self._key}) == 1
        self._lock = threading.RLock()
        self._len: int | None = None
        self._pages: OrderedDict[int, list[tuple[Record, Key]]] = OrderedDict()
        self._forward: dict[int, Key | None] = {0: None}  # rows from index i on come after this key
        self._backward: dict[int, Key | None] = {}  # rows before index i come before this key
        self._ids: list[str] | None = None
        self.fetches: list[tuple[str, int]] = []
        """(direction, OFFSET) of every page query, oldest first: what tests and the benchmark look at."""
        self._counting: Future[int | None] | None = None
        self._cancel_lock = threading.Lock()
        self._cancelled = False
        self._stop = threading.Event()
        """Set by `cancel`: a count still waiting for typing to pause gives up at once."""
        self._count_conn: psycopg.Connection | None = None
        self._first: Future[list[tuple[Record, Key]]] | None = None
        self._head_size = HEAD if self.words else PAGE
        self._head: list[tuple[Record, Key]] | None = None
        """The first `_head_size` rows, fetched before the rest of page 0 (`_first_rows`)."""
        self._sample: Future[word_search.Sample] | None = None
        """A root's first rows as narrowed lists probe them (word_search.Sample), read once someone types."""

    def prefetch(self, pool: Executor) -> PgListing:
        """Read the first page, then count, in the background: a screen shows the first rows as soon as they
        come (`head`) and the count when it follows. Run side by side, the count (it reads every matching
        row) slowed the first page down by as much, on a 2-core server."""
        first = self._first = pool.submit(self._fetch, None, after=True, offset=0, limit=self._head_size)
        self._counting = pool.submit(self._count_after, first)
        return self

    def _want_sample(self) -> None:
        """Someone types in this root list: its sample is read for the next keystrokes' probe (a list nobody
        filters never reads it, and a root is made again at every change of its table)."""
        with self._lock:
            if self._sample is None:
                self._sample = self._store.background.submit(self._read_sample)

    def _read_sample(self) -> word_search.Sample:
        scope, params = self._conditions(None, True, ())
        page = word_search.WordPage(self._layout, scope, params, (), self._key, False, 0)
        with self._store.reading() as conn:
            return word_search.fetch_sample(conn, page)

    def ready_sample(self, *, wait: bool = False) -> word_search.Sample | None:
        """The first rows' sample if it has been read; a keystroke never waits for it (the probe is asked of
        the server instead), a test may."""
        sample = self._sample
        if sample is None or not (wait or sample.done()) or sample.exception() is not None:
            return None
        return sample.result()

    def _count_after(self, first: Future[list[tuple[Record, Key]]]) -> int | None:
        with contextlib.suppress(Exception):  # the first page's failure is reported by whoever reads it
            first.result()
        if self.words and self._stop.wait(COUNT_AFTER_S):
            return None  # the screen moved on to another filter meanwhile
        return self._count()

    def _count(self) -> int | None:
        """The count; None if `cancel` stopped it (before it started, or by cancelling the query)."""
        with self._store.reading() as conn:
            with self._cancel_lock:
                if self._cancelled:
                    return None
                self._count_conn = conn
            try:
                return queries.count(conn, self._layout, self.where, self.words)
            except psycopg.errors.QueryCanceled:
                if self._cancelled:
                    return None
                raise
            finally:
                with self._cancel_lock:
                    self._count_conn = None

    def cancel(self) -> None:
        """Stop counting: the screen moved on to another filter. A one- or two-letter word's count scans a
        million rows for half a second, which the next keystroke's queries would otherwise wait behind.

        The server ignores a cancel that arrives before the query does (the thread may not have sent it yet),
        so the request is sent again every few milliseconds until the count has stopped, from a thread."""
        with self._cancel_lock:
            self._cancelled = True
            conn = self._count_conn
        self._stop.set()
        if conn is not None:
            threading.Thread(target=self._cancel_count, args=(conn,), daemon=True).start()

    def _cancel_count(self, conn: psycopg.Connection) -> None:
        for _ in range(CANCEL_TRIES):
            with (
                self._cancel_lock
            ):  # the connection is ours while it is `_count_conn`: never cancel another's
                if self._count_conn is not conn:
                    return
                with contextlib.suppress(psycopg.Error):
                    conn.cancel()
            time.sleep(CANCEL_AGAIN_S)

    # ---- the protocol ----------------------------------------------------------------------------------

    def __len__(self) -> int:
        found = self.wait_len()
        if found is None:  # cancelled, and asked anyway: count again
            with self._lock:
                with self._cancel_lock:
                    self._cancelled = False
                self._set_len(self._count())
                found = self._len
        return found  # type: ignore[return-value]

    def wait_len(self) -> int | None:
        """`len`, waiting for the count; None if `cancel` stopped it meanwhile. The wait holds no lock: the
        screen reads the first page meanwhile (`head`)."""
        with self._lock:
            if self._len is not None:
                return self._len
            counting = self._counting
        found = counting.result() if counting is not None else self._count()
        with self._lock:
            if self._len is None:
                self._set_len(found)
            return self._len

    def _set_len(self, found: int | None) -> None:
        if found is not None:
            self._len = found
            self._backward.setdefault(found, None)

    def known_len(self) -> int | None:
        """`len` if it is known without waiting (the count started by `prefetch` is done), else None."""
        with self._lock:
            if self._len is None and self._counting is not None and self._counting.done():
                counting, self._counting = self._counting, None
                self._set_len(counting.result())
            return self._len

    def head(self, count: int) -> list[Record]:
        """The first `count` records (at most a page) without waiting for `len`: what a screen shows while
        the count of a million rows (a tenth of a second, half a second for a one-letter word) goes on."""
        with self._lock:
            page = self._pages.get(0)
            if page is None:
                page = self._first_rows()
                if count > len(page) == self._head_size:
                    # more than the head: the whole first page (its count may not be known yet; a shorter
                    # list returns fewer rows)
                    page = self._page(0, PAGE)
            return orjson.loads(orjson.dumps([r for r, _k in page[:count]]))  # type: ignore[no-any-return]

    def _first_rows(self) -> list[tuple[Record, Key]]:
        """The head: the prefetched first rows, or fetched now."""
        if self._head is None:
            first, self._first = self._first, None
            head = first.result() if first is not None else self._fetch(None, after=True, offset=0,
                                                                         limit=self._head_size)  # fmt: skip
            if head:
                self._forward[len(head)] = head[-1][1]
                self._backward[0] = head[0][1]
            self._head = head
        return self._head

    def window(self, start: int, stop: int) -> list[Record]:
        """Records `start`..`stop` (exclusive): private copies, the cached pages stay as read."""
        with self._lock:
            total = len(self)
            start, stop = max(0, start), min(stop, total)
            if stop <= start:
                return []
            numbers = range(start // PAGE, (stop - 1) // PAGE + 1)
            got = {p: page for p in numbers if (page := self._pages.get(p)) is not None}
            missing = [p for p in numbers if p not in got]
            while missing:  # cheapest first: a window reached from below or from above pays no OFFSET
                p = min(missing, key=lambda p: self._plan(p, total)[2]) if len(missing) < 8 else missing[0]
                got[p] = self._page(p, total)
                missing.remove(p)
            rows: list[Record] = []
            for p in numbers:
                rows += [r for r, _k in got[p][max(0, start - p * PAGE) : stop - p * PAGE]]
            return orjson.loads(orjson.dumps(rows))

    def ids(self) -> list[str]:
        with self._lock:
            if self._ids is None:
                cond, params = queries.where_sql(self._layout, self.where, self.words)
                query = sql.SQL("SELECT id FROM {}{} ORDER BY {}").format(
                    self._layout.ident, cond, self._order()
                )
                with self._store.reading() as conn:
                    self._ids = [row[0] for row in conn.execute(query, params)]
            return list(self._ids)

    def position(self, record_id: str) -> int | None:
        """Index of the record in this list (None if it is not in it): the rows before its key, counted."""
        with self._lock:
            for p, page in self._pages.items():
                for i, (record, _k) in enumerate(page):
                    if record["id"] == record_id:
                        return p * PAGE + i
            if not isinstance(record_id, str):
                return None
            cond, params = queries.where_sql(self._layout, {**self.where, "id": record_id}, self.words)
            cols = sql.SQL(", ").join(sql.Identifier(c) for c, _d in self._key)
            with self._store.reading() as conn:
                row = conn.execute(
                    sql.SQL("SELECT {} FROM {}{}").format(cols, self._layout.ident, cond), params
                ).fetchone()
                if row is None:
                    return None
                parts, params = queries.conditions(self._layout, self.where, self.words)
                parts.append(keyset_sql(self._key, after=False))
                params += keyset_params(tuple(row), self._uniform)
                query = sql.SQL("SELECT count(*) FROM {}{}").format(self._layout.ident, queries.joined(parts))
                found = conn.execute(query, params).fetchone()
            return int(found[0]) if found is not None else None

    def narrow(self, text: str) -> PgListing:
        """The root list's records whose search text contains every folded word of `text`."""
        folded = fold(text).strip()
        if not folded:
            return self.root
        if tuple(folded.split()) == self.words:
            return self  # a space typed, or the same words again: nothing to ask the server
        self.root._want_sample()
        narrowed = PgListing(self._store, self._layout, self.root.where, folded.split(), self.root)
        return narrowed.prefetch(self._store.background)

    def prepare(self) -> None:
        """Nothing to warm up: the database folds and indexes the search text at every write."""

    # ---- pages -----------------------------------------------------------------------------------------

    def _order(self, reverse: bool = False) -> sql.Composable:
        return word_search.order_sql(self._key, reverse)

    def _plan(self, p: int, total: int) -> tuple[Key | None, bool, int]:
        """(anchor key, forward?, OFFSET) of the cheapest query for page `p`: from the nearest known edge."""
        a, b = p * PAGE, min(p * PAGE + PAGE, total)
        fwd = max(i for i in self._forward if i <= a)
        bwd = min((i for i in self._backward if i >= b), default=None)
        if bwd is not None and bwd - b < a - fwd:
            return self._backward[bwd], False, bwd - b
        return self._forward[fwd], True, a - fwd

    def _page(self, p: int, total: int) -> list[tuple[Record, Key]]:
        page = self._pages.get(p)
        if page is not None:
            self._pages.move_to_end(p)
            return page
        a, b = p * PAGE, min(p * PAGE + PAGE, total)
        if p == 0 and (self._head is not None or self._first is not None):
            page = self._first_rows()[: b - a]
            if len(page) == self._head_size < b - a:  # the rest of the page, after the head's last row
                page = page + self._fetch(page[-1][1], after=True, offset=0, limit=b - a - len(page))
        else:
            key, after, offset = self._plan(p, total)
            page = self._fetch(key, after=after, offset=offset, limit=b - a)
        if page:
            self._forward[a + len(page)] = page[-1][1]
            self._backward[a] = page[0][1]
        self._pages[p] = page
        while len(self._pages) > CACHED_PAGES:
            self._pages.popitem(last=False)
        return page

    def _conditions(
        self, key: Key | None, after: bool, words: Sequence[str]
    ) -> tuple[list[sql.Composable], list[Any]]:
        """The list's filters, `words`, and the rows after (or before) `key`, with their parameters."""
        parts, params = queries.conditions(self._layout, self.where, words)
        if key is not None:
            parts.append(keyset_sql(self._key, after))
            params += keyset_params(key, self._uniform)
        return parts, params

    def _fetch(self, key: Key | None, *, after: bool, offset: int, limit: int) -> list[tuple[Record, Key]]:
        self.fetches.append(("forward" if after else "backward", offset))
        with self._store.reading() as conn:
            if self.words and offset == 0:
                scope, params = self._conditions(key, after, ())
                page = word_search.WordPage(
                    self._layout, scope, params, self.words, self._key, not after, limit
                )
                sample = self.root.ready_sample() if key is None and after else None
                rows = word_search.run(conn, page, self.root.known_len(), sample)
            else:
                parts, params = self._conditions(key, after, self.words)
                cols = sql.SQL(", ").join(sql.Identifier(c) for c, _d in self._key)
                query = sql.SQL("SELECT {}, {} FROM {}{} ORDER BY {} OFFSET %s LIMIT %s").format(
                    queries.ROW,
                    cols,
                    self._layout.ident,
                    queries.joined(parts),
                    self._order(reverse=not after),
                )
                rows = conn.execute(query, [*params, offset, limit]).fetchall()
        page_rows = [(queries.record_of(row), tuple(row[3:])) for row in rows]
        return page_rows if after else page_rows[::-1]
