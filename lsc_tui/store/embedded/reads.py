"""The embedded store's reads and what it keeps of the shards: every read runs on one catalog, so it sees whole
commits only.

Counts answer from the catalog's per-shard summaries when they can (the home screen parses no shard), lists
are shared while their table does not change, and "did anything change?" is one stat of the catalog.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from lsc_tui.domain.listing import MemoryListing
from lsc_tui.store.embedded.cache import TableCache, load_shard
from lsc_tui.store.embedded.catalog import Catalog
from lsc_tui.store.embedded.projection import Projected, Projector
from lsc_tui.store.embedded.shards import ShardData, check_table_name, parse_id
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
    _caches: dict[str, TableCache]
    tables_dir: Path

    def spec(self, table: str) -> TableSpec: ...  # type: ignore[empty-body]
    def _read_catalog(self, *, force: bool = False) -> Catalog: ...  # type: ignore[empty-body]
    def _read(self, fn: Callable[[Catalog], T]) -> T: ...  # type: ignore[empty-body]

    # ---- the cache ---------------------------------------------------------------------------------------

    def _cache(self, table: str) -> TableCache:
        cache = self._caches.get(table)
        if cache is None:
            spec = self.spec(check_table_name(table))
            projector = Projector(spec) if spec.listed else None
            cache = self._caches[table] = TableCache(table, projector)
        return cache

    def committed_shard(self, catalog: Catalog, table: str, number: int) -> ShardData | None:
        """Shard `number` of `table` as `catalog` names it, parsed once per file name (kept while it is among
        the last read, for a table whose lists keep only some fields)."""
        entry = catalog.table(table)
        shard = entry.shards.get(number) if entry else None
        if shard is None:
            return None
        with self._lock:
            cache = self._cache(table)
            data = cache.whole(number, shard.file)
            if data is None:
                data = load_shard(self.tables_dir, table, number, shard, self.spec(table))
                cache.install(number, shard.file, data)
                cache.trim()
            return data

    def _table_rows(self, catalog: Catalog, table: str) -> list[Any]:
        """Every record of `table` (or its `Projected` rows, for a table with `listed` fields)."""
        entry = catalog.table(table)
        with self._lock:
            cache = self._cache(table)
            if entry is None:
                cache.drop_missing(set())
                return []
            if cache.loaded_gen != entry.gen or cache.rows is None:
                for number, shard in entry.shards.items():
                    if cache.current(number, shard.file):
                        continue
                    if cache.whole(number, shard.file) is None:
                        data = load_shard(self.tables_dir, table, number, shard, self.spec(table))
                        cache.install(number, shard.file, data)
                    if cache.projector is not None:
                        cache.project(number)
                        cache.trim()  # as it goes: 100 whole shards at once are the memory this saves
                cache.drop_missing(set(entry.shards))
                cache.loaded_gen = entry.gen
            return cache.all_rows()

    # ---- reads -----------------------------------------------------------------------------------------

    def get(self, table: str, record_id: str) -> Record | None:
        return self._read(lambda catalog: self._get_in(catalog, table, record_id))

    def get_many(self, table: str, record_ids: Sequence[str]) -> dict[str, Record]:
        """One catalog read for all of them (a validation batch reads 1,000 letters back)."""

        def run(catalog: Catalog) -> dict[str, Record]:
            found = ((rid, self._get_in(catalog, table, rid)) for rid in record_ids)
            return {rid: rec for rid, rec in found if rec is not None}

        return self._read(run)

    def _get_in(self, catalog: Catalog, table: str, record_id: str) -> Record | None:
        parsed = parse_id(record_id) if isinstance(record_id, str) else None
        if parsed is not None:
            data = self.committed_shard(catalog, table, parsed[0])
            key = data.find(record_id, parsed[0]) if data is not None else None
            return deep_copy(data.docs[key]) if data is not None and key is not None else None
        self._table_rows(catalog, table)
        with self._lock:
            number = self._cache(table).custom_ids().get(record_id)
        data = self.committed_shard(catalog, table, number) if number is not None else None
        key = data.custom_ids.get(record_id) if data is not None else None
        return deep_copy(data.docs[key]) if data is not None and key is not None else None

    def select(
        self,
        table: str,
        where: Where | None = None,
        *,
        order: Sequence[tuple[str, bool]] = (),
        limit: int | None = None,
    ) -> list[Record]:
        records = self._read(lambda c: self._whole_matching(c, table, where))
        return ordered(records, order, self.spec(table).computed)[:limit]

    def count(self, table: str, where: Where | None = None) -> int:
        if where is None:
            entry = self._read(lambda c: c.table(table))
            return entry.count if entry else 0
        projector = self._projector(table)
        if projector is not None and not projector.covers(where):
            return len(self._read(lambda c: self._whole_matching(c, table, where)))
        computed = None if projector is not None else self.spec(table).computed
        rows = self._read(lambda c: self._table_rows(c, table))
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
            projector = self._projector(table)
            if projector is not None and not projector.covers(where, field):
                rows = self._whole_matching(catalog, table, where)
                return dict(Counter(field_value(r, field, computed) for r in rows))
            if projector is not None:
                computed = {}  # rows hold computed fields already computed
            rows = self._table_rows(catalog, table)
            return dict(Counter(field_value(r, field, computed) for r in rows if matches(r, where, computed)))

        return self._read(run)

    def listing(self, table: str, where: Where | None = None) -> MemoryListing:
        """The table's records in display order, shared while the table does not change (`Projected` rows for a
        table with `listed` fields)."""
        key = (table, tuple(sorted((k, _hashable(v)) for k, v in (where or {}).items())))

        def run(catalog: Catalog) -> MemoryListing:
            entry = catalog.table(table)
            gen = entry.gen if entry else -1
            with self._lock:
                cached = self._listings.get(key)
                if cached is not None and cached[0] == gen:
                    return cached[1]
            spec = self.spec(table)
            projector = self._projector(table)
            if projector is not None and projector.covers(where):
                rows = [r for r in self._table_rows(catalog, table) if matches(r, where)]
                listing = MemoryListing(ordered(rows, spec.order), _search_text, folded=True)
            else:
                if projector is not None:
                    rows = self._whole_matching(catalog, table, where)
                else:
                    rows = [r for r in self._table_rows(catalog, table) if matches(r, where, spec.computed)]
                if spec.order:
                    rows = ordered(rows, spec.order, spec.computed)
                listing = MemoryListing(rows, spec.search)
            with self._lock:
                self._listings[key] = (gen, listing)
            return listing

        return self._read(run)

    def _projector(self, table: str) -> Projector | None:
        with self._lock:
            return self._cache(table).projector

    def _whole_matching(self, catalog: Catalog, table: str, where: Where | None) -> list[Any]:
        """Whole records matching `where`, in shard order. A table with `listed` fields finds them in its rows
        and reads only the shards holding one (or every shard, for a filter on a field the rows lack)."""
        computed = self.spec(table).computed
        with self._lock:
            projector = self._cache(table).projector
        if projector is None:
            return [r for r in self._table_rows(catalog, table) if matches(r, where, computed)]
        out: list[Any] = []
        if where and projector.covers(where):  # no filter: every shard is read whole anyway
            self._table_rows(catalog, table)
            with self._lock:
                groups = self._cache(table).shard_rows()
            for number, rows in groups:
                hits = [r.key for r in rows if matches(r, where)]
                data = self.committed_shard(catalog, table, number) if hits else None
                if data is not None:
                    found = (data.find(rid, number) for rid in hits)
                    out.extend(data.docs[k] for k in found if k is not None)
            return out
        entry = catalog.table(table)
        for number in sorted(entry.shards) if entry else ():
            data = self.committed_shard(catalog, table, number)
            if data is not None:
                out.extend(r for r in data.docs.values() if matches(r, where, computed))
        return out

    def shard_hits(self, catalog: Catalog, table: str, number: int, where: Where | None) -> list[str] | None:
        """Ids of the records of one committed shard matching `where`, from its rows without reading the whole
        shard; None when the table keeps whole shards or the rows cannot answer (transactions then read it)."""
        with self._lock:
            projector = self._cache(table).projector
        if projector is None or not projector.covers(where):
            return None
        entry = catalog.table(table)
        shard = entry.shards.get(number) if entry else None
        if shard is None:
            return []
        self._table_rows(catalog, table)
        with self._lock:
            view = self._cache(table).views.get(number)
        if view is None or view[0] != shard.file:
            return None
        return [r.key for r in view[1] if matches(r, where)]

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


def _search_text(row: Projected) -> str:
    return row.search_text


def _hashable(value: Any) -> Any:
    if isinstance(value, (list, tuple, set, frozenset)):
        return ("in", tuple(sorted(map(str, value))))
    return value
