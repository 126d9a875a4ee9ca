"""A store opened on its first use, for a start that already holds its first reads.

On PostgreSQL, opening the store costs the driver's import and two connections: about a third of a minimal
Textual app's start, all of it CPU under the one GIL. When a forked helper has read what Accueil's first frame
shows (cli/first_reads.py), the app needs no store before that frame: this wrapper opens the real one when
something first asks, which is the warm-up thread once Accueil is painted, or a screen's worker if the user
is faster. Every thread then shares that one store; an opening that fails raises the store's own French error
and the next use tries again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any

from lsc_tui.store.protocol import Listing, Record, RecordStore, Transaction, Where


class DeferredStore:
    """A `RecordStore` whose backend is opened by `opener` on first use. `location` and `readonly` are known
    before (the helper read them), so the title bar and the read-only rules never open it."""

    def __init__(self, opener: Callable[[], RecordStore], *, location: str, readonly: bool) -> None:
        self._opener = opener
        self._location = location
        self.readonly = readonly
        self._store: RecordStore | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"DeferredStore({self._location!r}, opened={self._store is not None})"

    @property
    def location(self) -> str:
        return self._location

    @property
    def opened(self) -> bool:
        return self._store is not None

    def open(self) -> RecordStore:
        """The real store, opened now by the first caller; the others wait for that one opening."""
        store = self._store
        if store is None:
            with self._lock:
                if self._store is None:
                    self._store = self._opener()
                store = self._store
        return store

    def get(self, table: str, record_id: str) -> Record | None:
        return self.open().get(table, record_id)

    def get_many(self, table: str, record_ids: Sequence[str]) -> dict[str, Record]:
        return self.open().get_many(table, record_ids)

    def select(self, table: str, where: Where | None = None, **order_and_limit: Any) -> list[Record]:
        return self.open().select(table, where, **order_and_limit)

    def count(self, table: str, where: Where | None = None) -> int:
        return self.open().count(table, where)

    def transaction(self) -> AbstractContextManager[Transaction]:
        return self.open().transaction()

    def count_by(self, table: str, field: str, where: Where | None = None) -> dict[Any, int]:
        return self.open().count_by(table, field, where)

    def listing(self, table: str, where: Where | None = None) -> Listing:
        return self.open().listing(table, where)

    def changed_tables(self) -> set[str]:
        """The backend's first call says every table: what changed between the helper's reads and this opening
        is not lost (Accueil reads its counts again on the first poll)."""
        return self.open().changed_tables()

    def table_token(self, table: str) -> object:
        return self.open().table_token(table)

    def close(self) -> None:
        with self._lock:
            store, self._store = self._store, None
        if store is not None:
            store.close()

    def __getattr__(self, name: str) -> Any:
        """A backend's own extras (`wait_changes`, `vacuum`…) once it is open."""
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.open(), name)
