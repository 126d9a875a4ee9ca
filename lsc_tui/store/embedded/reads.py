"""The embedded store's reads: every one runs on one catalog, so it sees whole commits only.

Counts answer from the catalog's per-shard summaries when they can (the home screen parses no shard), lists
are shared while their table does not change, and "did anything change?" is one stat of the catalog.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from lsc_tui.domain.listing import MemoryListing
from lsc_tui.store.embedded.cache import TableCache
from lsc_tui.store.embedded.catalog import Catalog
from lsc_tui.store.embedded.shards import ShardData, parse_id
from lsc_tui.store.embedded.transaction import deep_copy
from lsc_tui.store.protocol import Where, field_value, matches, ordered
from lsc_tui.store.tables import TableSpec

Record = dict[str, Any]
T = TypeVar("T")


class StoreReads:
    """Mixed into `EmbeddedStore`, which provides the catalog, the shard cache and the lock used here."""

    _lock: threading.RLock
    _listings: dict[tuple[str, Any], tuple[int, MemoryListing]]
    _seen: dict[str, int] | None

    def spec(self, table: str) -> TableSpec: ...  # type: ignore[empty-body]
    def _read_catalog(self, *, force: bool = False) -> Catalog: ...  # type: ignore[empty-body]
    def _read(self, fn: Callable[[Catalog], T]) -> T: ...  # type: ignore[empty-body]
    def _cache(self, table: str) -> TableCache: ...  # type: ignore[empty-body]
    def _table_rows(self, catalog: Catalog, table: str) -> list[Any]: ...  # type: ignore[empty-body]
    def committed_shard(self, catalog: Catalog, table: str, number: int) -> ShardData | None: ...  # type: ignore[empty-body]

    # ---- reads -----------------------------------------------------------------------------------------

    def get(self, table: str, record_id: str) -> Record | None:
        def run(catalog: Catalog) -> Record | None:
            parsed = parse_id(record_id) if isinstance(record_id, str) else None
            if parsed is not None:
                data = self.committed_shard(catalog, table, parsed[0])
                key = data.find(record_id, parsed[0]) if data is not None else None
                return deep_copy(data.docs[key]) if data is not None and key is not None else None
            self._table_rows(catalog, table)
            with self._lock:
                cache = self._cache(table)
                number = cache.custom_ids().get(record_id)
                if number is None:
                    return None
                data = cache.shards[number][1]
                return deep_copy(data.docs[data.custom_ids[record_id]])

        return self._read(run)

    def get_many(self, table: str, record_ids: Sequence[str]) -> dict[str, Record]:
        return {rid: rec for rid in record_ids if (rec := self.get(table, rid)) is not None}

    def select(
        self,
        table: str,
        where: Where | None = None,
        *,
        order: Sequence[tuple[str, bool]] = (),
        limit: int | None = None,
    ) -> list[Record]:
        rows = self._read(lambda c: self._table_rows(c, table))
        computed = self.spec(table).computed
        return ordered([r for r in rows if matches(r, where, computed)], order, computed)[:limit]

    def count(self, table: str, where: Where | None = None) -> int:
        if where is None:
            entry = self._read(lambda c: c.table(table))
            return entry.count if entry else 0
        rows = self._read(lambda c: self._table_rows(c, table))
        computed = self.spec(table).computed
        return sum(1 for r in rows if matches(r, where, computed))

    def count_by(self, table: str, field: str, where: Where | None = None) -> dict[Any, int]:
        """{value of `field`: number of records}; for a summary field with no filter, from the catalog alone."""

        def run(catalog: Catalog) -> dict[Any, int]:
            entry = catalog.table(table)
            if entry is None:
                return {}
            if where is None and all(s.by.get(field) is not None for s in entry.shards.values()):
                counts: Counter[Any] = Counter()
                for shard in entry.shards.values():
                    for value, n in shard.by[field] or ():
                        counts[value] += n
                return dict(counts)
            computed = self.spec(table).computed
            rows = self._table_rows(catalog, table)
            return dict(Counter(field_value(r, field, computed) for r in rows if matches(r, where, computed)))

        return self._read(run)

    def listing(self, table: str, where: Where | None = None) -> MemoryListing:
        """The table's records in display order, shared while the table does not change."""
        key = (table, tuple(sorted((k, _hashable(v)) for k, v in (where or {}).items())))

        def run(catalog: Catalog) -> MemoryListing:
            entry = catalog.table(table)
            gen = entry.gen if entry else -1
            with self._lock:
                cached = self._listings.get(key)
                if cached is not None and cached[0] == gen:
                    return cached[1]
            spec = self.spec(table)
            rows = [r for r in self._table_rows(catalog, table) if matches(r, where, spec.computed)]
            if spec.order:
                rows = ordered(rows, spec.order, spec.computed)
            listing = MemoryListing(rows, spec.search)
            with self._lock:
                self._listings[key] = (gen, listing)
            return listing

        return self._read(run)

    # ---- changes ---------------------------------------------------------------------------------------

    def changed_tables(self) -> set[str]:
        with self._lock:
            catalog = self._read_catalog()
            now = {name: t.gen for name, t in catalog.tables.items()}
            seen, self._seen = self._seen, now
        if seen is None:
            return set(now)
        return {name for name, gen in now.items() if seen.get(name) != gen} | (set(seen) - set(now))

    def table_token(self, table: str) -> object:
        entry = self._read_catalog().table(table)
        return entry.gen if entry else -1

    def version_token(self) -> object:
        return self._read_catalog().gen


def _hashable(value: Any) -> Any:
    if isinstance(value, (list, tuple, set, frozenset)):
        return ("in", tuple(sorted(map(str, value))))
    return value
