"""The PostgreSQL store: the same contract as the embedded one, for firms that outgrow one server.

Chosen with `--store postgresql://…` (or `LSC_TUI_STORE`). Each logical table is one SQL table (layout.py)
created by its first writer; reads never create anything. Every read takes a connection from a small pool
and runs in autocommit (one statement, no BEGIN/COMMIT round trips); a transaction holds one connection from
BEGIN to COMMIT. Thread-safe: the TUI calls it from worker threads.

Beyond the protocol (`RecordStore`): `wait_changes(timeout)` blocks until another session commits (LISTEN),
`import_records` and `sequences`/`raise_sequences` serve `store/transfer.py`, `vacuum` refreshes the
statistics and visibility map after a bulk load (what makes counts index-only).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psycopg
from psycopg import sql

from lsc_tui.domain.listing import MemoryListing
from lsc_tui.store.errors import StoreError
from lsc_tui.store.postgres import counts, queries
from lsc_tui.store.postgres.bulk import import_rows
from lsc_tui.store.postgres.changes import ChangeListener
from lsc_tui.store.postgres.connect import connect, db_errors, make_pool, redact, wait_for
from lsc_tui.store.postgres.layout import Layout
from lsc_tui.store.postgres.listing import PgListing
from lsc_tui.store.postgres.schema import open_schema, prepare_table
from lsc_tui.store.postgres.transaction import PgTx
from lsc_tui.store.protocol import Where
from lsc_tui.store.tables import TableSpec, default_spec

Record = dict[str, Any]
POOL_SIZE = 8


class PostgresStore:
    """One database opened by one process. Thread-safe; any number of processes may open it."""

    def __init__(
        self, url: str, *, readonly: bool, specs: Mapping[str, TableSpec] | None, pool_size: int
    ) -> None:
        """Use `PostgresStore.open`, which checks the database; this only sets up the in-memory state."""
        self._url = url
        self.readonly = readonly
        self.specs: Mapping[str, TableSpec] = specs if specs is not None else {}
        self._location = redact(url)
        self._pool_size = pool_size
        self._pool: Any = None
        self._lock = threading.Lock()
        self._local = threading.local()
        self._layouts: dict[str, Layout] = {}
        self._ready: set[str] = set()
        self._listings: dict[tuple[str, Any], tuple[object, PgListing]] = {}
        self.background = ThreadPoolExecutor(max_workers=4, thread_name_prefix="lsc-pg")
        """Runs a new listing's count and first page side by side (listing.py)."""
        self._changes = ChangeListener(lambda: connect(self._url, self._location), self._table_names)

    def __repr__(self) -> str:
        return f"PostgresStore({self._location!r}, readonly={self.readonly})"

    @property
    def location(self) -> str:
        return self._location

    def spec(self, table: str) -> TableSpec:
        return self.specs.get(table) or default_spec(table)

    def layout(self, table: str) -> Layout:
        layout = self._layouts.get(table)
        if layout is None:
            layout = self._layouts[table] = Layout.of(self.spec(table))
        return layout

    # ---- opening ---------------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        url: str,
        *,
        create: bool = False,
        readonly: bool = False,
        specs: Mapping[str, TableSpec] | None = None,
        pool_size: int = POOL_SIZE,
    ) -> PostgresStore:
        """Open the store in this database; with `create`, make it (tables are made by their first write)."""
        store = cls(url, readonly=readonly, specs=specs, pool_size=pool_size)
        pool = make_pool(url, store.location, pool_size, wait=False)  # connects while the schema is checked
        try:
            with connect(url, store.location) as conn, db_errors(store.location):
                open_schema(conn, store.location, create=create, readonly=readonly)
            store._pool = wait_for(pool, store.location)
        except BaseException:
            pool.close()
            raise
        return store

    @contextlib.contextmanager
    def reading(self) -> Iterator[psycopg.Connection]:
        """A pooled connection in autocommit mode for the length of a read."""
        with db_errors(self._location), self._pool.connection() as conn:
            yield conn

    def prepared(self, table: str, *, create: bool, conn: psycopg.Connection) -> Layout | None:
        """The table's layout once its SQL table exists with every column the spec needs; None if it does not
        exist and `create` is false. Creation and upgrades run on a connection of their own (see schema.py)."""
        layout = self.layout(table)
        if table in self._ready:
            return layout
        wanted = layout.describe()
        row = conn.execute("SELECT layout FROM lsc_tables WHERE name = %s", (table,)).fetchone()
        if row is None and not create:
            return None
        if row is None or row[0] != wanted:
            with connect(self._url, self._location) as ddl:
                ddl.execute("SET lock_timeout = '30s'")
                prepare_table(ddl, layout, create=not self.readonly, location=self._location)
        with self._lock:
            self._ready.add(table)
        return layout

    # ---- reads -----------------------------------------------------------------------------------------

    def get(self, table: str, record_id: str) -> Record | None:
        with self.reading() as conn:
            layout = self.prepared(table, create=False, conn=conn)
            return queries.get(conn, layout, record_id) if layout else None

    def get_many(self, table: str, record_ids: Sequence[str]) -> dict[str, Record]:
        with self.reading() as conn:
            layout = self.prepared(table, create=False, conn=conn)
            return queries.get_many(conn, layout, record_ids) if layout else {}

    def select(
        self,
        table: str,
        where: Where | None = None,
        *,
        order: Sequence[tuple[str, bool]] = (),
        limit: int | None = None,
    ) -> list[Record]:
        with self.reading() as conn:
            layout = self.prepared(table, create=False, conn=conn)
            return queries.select(conn, layout, where, order, limit) if layout else []

    def count(self, table: str, where: Where | None = None) -> int:
        with self.reading() as conn:
            layout = self.prepared(table, create=False, conn=conn)
            return queries.count(conn, layout, where) if layout else 0

    def count_by(self, table: str, field: str, where: Where | None = None) -> dict[Any, int]:
        with self.reading() as conn:
            layout = self.prepared(table, create=False, conn=conn)
            if layout is None:
                return {}
            if where or field not in layout.summary:
                return queries.count_by(conn, layout, field, where)
            found, deltas = counts.read(conn, table, field)
        if deltas > counts.COMPACT_AT and not self.readonly:
            self.background.submit(self._compact_counts, table, field)
        return found

    def _compact_counts(self, table: str, field: str) -> None:
        with self.reading() as conn:
            counts.compact(conn, table, field)

    def listing(self, table: str, where: Where | None = None) -> PgListing | MemoryListing:
        """The table's records in display order, fetched by window; the same object while the table does
        not change (its count and pages are reused)."""
        key = (table, tuple(sorted((k, _hashable(v)) for k, v in (where or {}).items())))
        token = self.table_token(table)
        with self._lock:
            cached = self._listings.get(key)
            if cached is not None and cached[0] == token:
                return cached[1]
        with self.reading() as conn:
            layout = self.prepared(table, create=False, conn=conn)
        if layout is None:
            return MemoryListing([])
        listing = PgListing(self, layout, where).prefetch(self.background)
        with self._lock:
            self._listings[key] = (token, listing)
        return listing

    # ---- changes ---------------------------------------------------------------------------------------

    def _table_names(self) -> set[str]:
        with self.reading() as conn:
            return {row[0] for row in conn.execute("SELECT name FROM lsc_tables")}

    def changed_tables(self) -> set[str]:
        with db_errors(self._location):
            return self._changes.changed()

    def wait_changes(self, timeout: float) -> set[str]:
        """Like `changed_tables`, but waits up to `timeout` seconds for a commit when nothing changed yet."""
        with db_errors(self._location):
            return self._changes.wait(timeout)

    def table_token(self, table: str) -> object:
        """(epoch, notifications seen for the table): moves with every commit that wrote it (changes.py)."""
        with db_errors(self._location):
            return self._changes.token(table)

    # ---- transactions ----------------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[PgTx]:
        """All-or-nothing writes in one SQL transaction (READ COMMITTED; updates lock the rows they change).

        A transaction opened while another is open in the same thread joins it (services call each other); if
        the inner block fails, the outer one writes nothing even if it catches the error.
        """
        if self.readonly:
            raise StoreError(
                f"La base PostgreSQL {self._location} est ouverte en lecture seule : rien ne peut y être enregistré."
            )
        current: PgTx | None = getattr(self._local, "tx", None)
        if current is not None:
            try:
                yield current
            except BaseException:
                current.doomed = True
                raise
            return
        with db_errors(self._location), self._pool.connection() as conn, conn.transaction():
            tx = PgTx(self, conn)
            self._local.tx = tx
            try:
                yield tx
                if tx.doomed:
                    raise StoreError(
                        "Transaction abandonnée après une erreur : rien n'a été enregistré dans la base"
                        f" PostgreSQL {self._location}."
                    )
                tx.finish()
            finally:
                self._local.tx = None
                tx.closed = True

    # ---- transfer and maintenance ----------------------------------------------------------------------

    def import_records(self, table: str, records: Iterable[Record]) -> int:
        """Write records as they are, ids and revisions kept (`lsc-tui store migrate`); a record already
        stored identically is left alone, so importing twice changes nothing. Returns rows written."""
        with self.transaction() as tx:
            layout = tx._writable(table)
            written = import_rows(tx.conn, layout, records)
            if written:
                tx.written.add(table)
        return written

    def sequences(self) -> dict[str, int]:
        with self.reading() as conn:
            return {name: int(value) for name, value in conn.execute("SELECT name, value FROM lsc_sequences")}

    def raise_sequences(self, values: dict[str, int]) -> None:
        """Each named counter becomes at least the given value (never lowered: numbers already handed out
        stay unique)."""
        with self.transaction() as tx:
            for name, value in sorted(values.items()):
                tx.conn.execute(
                    "INSERT INTO lsc_sequences (name, value) VALUES (%s, %s) ON CONFLICT (name)"
                    " DO UPDATE SET value = greatest(lsc_sequences.value, excluded.value)",
                    (name, int(value)),
                )

    def vacuum(self, table: str) -> None:
        with self.reading() as conn:
            if self.prepared(table, create=False, conn=conn) is not None:
                conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(self.layout(table).ident))

    def close(self) -> None:
        self.background.shutdown(wait=True, cancel_futures=True)
        self._changes.close()
        if self._pool is not None:
            self._pool.close()
        with self._lock:
            self._listings.clear()


def _hashable(value: Any) -> Any:
    if isinstance(value, (list, tuple, set, frozenset)):
        return ("in", tuple(sorted(map(str, value))))
    return value
