"""A transaction of the embedded store: buffered shard copies, read-your-writes, committed all at once.

It runs under the store's inter-process lock from its first line to its commit, on the catalog that was
current when the lock was taken: every check it makes (a uniqueness test, a revision) still holds when it
commits, because no other process can commit in between.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import orjson

from lsc_tui.store.embedded.catalog import Catalog
from lsc_tui.store.embedded.shards import (
    ReadOnlyRecord,
    ShardData,
    check_table_name,
    is_generated_id,
    make_id,
    parse_id,
)
from lsc_tui.store.errors import Conflict, NotFoundError
from lsc_tui.store.protocol import AnyRev, ExpectRev, Where, matches, ordered

if TYPE_CHECKING:
    from lsc_tui.store.embedded.store import EmbeddedStore

Record = dict[str, Any]


def plain(value: Any, table: str) -> Record:
    """A private deep copy guaranteed to be plain JSON.

    A datetime or a dataclass would be silently turned into a string by the codec and come back different from
    what was saved, so they are refused here, where the bug is, rather than discovered on the next read.
    """
    if not isinstance(value, dict):
        raise TypeError(f"a record for table {table!r} must be a dict, not {type(value).__name__}")
    try:
        return orjson.loads(
            orjson.dumps(value, option=orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS)
        )
    except orjson.JSONEncodeError as exc:
        raise TypeError(f"a record for table {table!r} is not plain JSON: {exc}") from exc


def deep_copy(record: Record) -> Record:
    return orjson.loads(orjson.dumps(record))


class EmbeddedTx:
    def __init__(self, store: EmbeddedStore, base: Catalog) -> None:
        self._store = store
        self.base = base
        self.work: dict[tuple[str, int], ShardData] = {}
        self.sequences: dict[str, int] = {}
        self.doomed = False
        self.closed = False

    # ---- internals -------------------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self.closed:
            raise RuntimeError("this transaction is closed; open a new one with store.transaction()")

    def _committed(self, table: str, number: int) -> ShardData | None:
        return self._store.committed_shard(self.base, table, number)

    def _view(self, table: str, number: int) -> ShardData | None:
        work = self.work.get((table, number))
        return work if work is not None else self._committed(table, number)

    def _writable(self, table: str, number: int) -> ShardData:
        key = (table, number)
        work = self.work.get(key)
        if work is None:
            base = self._committed(table, number)
            work = base.copy() if base is not None else ShardData()
            self.work[key] = work
        return work

    def _numbers(self, table: str) -> list[int]:
        entry = self.base.table(table)
        numbers = set(entry.shards) if entry else set()
        numbers.update(n for (t, n) in self.work if t == table)
        return sorted(numbers)

    def _locate(self, table: str, record_id: str) -> tuple[int, str] | None:
        if not isinstance(record_id, str):
            return None
        parsed = parse_id(record_id)
        numbers = [parsed[0]] if parsed is not None else self._numbers(table)
        for number in numbers:
            data = self._view(table, number)
            key = data.find(record_id, number) if data is not None else None
            if key is not None:
                return number, key
        return None

    def _current(self, table: str, record_id: str, expect_rev: ExpectRev) -> tuple[ShardData, str, Record]:
        if not isinstance(expect_rev, (int, AnyRev)) or isinstance(expect_rev, bool):
            raise TypeError("expect_rev must be the revision read (int) or ANY_REV for an explicit merge")
        location = self._locate(table, record_id)
        if location is None:
            raise NotFoundError(
                f"L'enregistrement « {record_id} » n'existe pas (ou plus) dans la table {table}.",
                path=self._store.root / table,
            )
        number, key = location
        work = self._writable(table, number)
        current = work.docs[key]
        rev = int(current.get("_rev", 0))
        if isinstance(expect_rev, int) and expect_rev != rev:
            raise Conflict(
                f"L'enregistrement « {record_id} » de la table {table} a été modifié par un autre utilisateur"
                f" (version {rev} enregistrée, {expect_rev} lue).",
                path=self._store.root / table,
            )
        return work, key, current

    def _fill_shard(self, table: str) -> tuple[int, ShardData]:
        numbers = self._numbers(table)
        number = numbers[-1] if numbers else 1
        work = self._writable(table, number)
        if work.next_serial > self._store.shard_size:
            number += 1
            work = self._writable(table, number)
        return number, work

    # ---- reads -----------------------------------------------------------------------------------------

    def get(self, table: str, record_id: str) -> Record | None:
        self._check_open()
        location = self._locate(table, record_id)
        if location is None:
            return None
        data = self._view(table, location[0])
        assert data is not None
        return deep_copy(data.docs[location[1]])

    def get_many(self, table: str, record_ids: Sequence[str]) -> dict[str, Record]:
        return {rid: rec for rid in record_ids if (rec := self.get(table, rid)) is not None}

    def _matching(self, table: str, where: Where | None, *, whole: bool = True) -> list[Any]:
        """Records matching `where` (this transaction's writes included); `whole=False` may answer with ids
        only, from a table's projected rows, without reading its shards."""
        computed = self._store.spec(table).computed
        out: list[Any] = []
        for number in self._numbers(table):
            work = self.work.get((table, number))
            if work is None:
                hits = self._store.shard_hits(self.base, table, number, where)
                if hits is not None:
                    if hits and whole:
                        data = self._committed(table, number)
                        assert data is not None
                        found = (data.find(rid, number) for rid in hits)
                        out.extend(data.docs[k] for k in found if k is not None)
                    else:
                        out.extend(hits)
                    continue
            data = work if work is not None else self._committed(table, number)
            if data is not None:
                out.extend(r for r in data.docs.values() if matches(r, where, computed))
        return out

    def select(
        self,
        table: str,
        where: Where | None = None,
        *,
        order: Sequence[tuple[str, bool]] = (),
        limit: int | None = None,
    ) -> list[Record]:
        self._check_open()
        computed = self._store.spec(table).computed
        rows = ordered(self._matching(table, where), order, computed)
        return [deep_copy(r) for r in rows[:limit]]

    def count(self, table: str, where: Where | None = None) -> int:
        self._check_open()
        return len(self._matching(table, where, whole=False))

    # ---- writes ----------------------------------------------------------------------------------------

    def insert(self, table: str, record: Record, *, id: str | None = None) -> Record:
        """Add a record; its id is generated unless given (argument, or an "id" key in the record)."""
        self._check_open()
        check_table_name(table)
        rec = plain(record, table)
        given = rec.pop("id", None)
        rec.pop("_rev", None)
        if id is not None and given is not None and given != id:
            raise ValueError(f"two different ids for one record: {id!r} and {given!r}")
        record_id = id if id is not None else given
        if record_id is not None:
            if not isinstance(record_id, str) or not record_id:
                raise ValueError(f"a record id is a non-empty string, not {record_id!r}")
            if is_generated_id(record_id):
                raise ValueError(
                    f"ids shaped like {record_id!r} (NNNN-NNNNNN) are reserved for generated ids"
                )
            if self._locate(table, record_id) is not None:
                raise Conflict(
                    f"L'enregistrement « {record_id} » existe déjà dans la table {table}.",
                    path=self._store.root / table,
                )
        number, work = self._fill_shard(table)
        serial = work.next_serial
        work.next_serial += 1
        key = str(serial)
        if record_id is None:
            record_id = make_id(number, serial)
        else:
            work.custom_ids[record_id] = key
        stored = ReadOnlyRecord({"id": record_id, **rec, "_rev": 1})
        work.docs[key] = stored
        return deep_copy(stored)

    def update(self, table: str, record_id: str, changes: Record, *, expect_rev: ExpectRev) -> Record:
        self._check_open()
        ch = plain(changes, table)
        if ch.pop("id", record_id) != record_id:
            raise ValueError("update cannot change a record's id")
        ch.pop("_rev", None)
        work, key, current = self._current(table, record_id, expect_rev)
        merged = {**current, **ch}
        merged.pop("_rev", None)  # keep "_rev" last, as in every stored record
        merged["_rev"] = int(current.get("_rev", 0)) + 1
        new = work.docs[key] = ReadOnlyRecord(merged)
        return deep_copy(new)

    def replace(self, table: str, record: Record, *, expect_rev: ExpectRev) -> Record:
        self._check_open()
        rec = plain(record, table)
        record_id = rec.pop("id", None)
        if not isinstance(record_id, str):
            raise ValueError("replace needs the record's id")
        rec.pop("_rev", None)
        work, key, current = self._current(table, record_id, expect_rev)
        new = work.docs[key] = ReadOnlyRecord(
            {"id": record_id, **rec, "_rev": int(current.get("_rev", 0)) + 1}
        )
        return deep_copy(new)

    def delete(self, table: str, record_id: str, *, expect_rev: ExpectRev) -> None:
        self._check_open()
        work, key, _current = self._current(table, record_id, expect_rev)
        del work.docs[key]
        work.custom_ids.pop(record_id, None)

    def next_sequence(self, name: str) -> int:
        self._check_open()
        if not isinstance(name, str) or not 0 < len(name) <= 64:
            raise ValueError("a sequence name is a non-empty string of at most 64 characters")
        value = self.sequences.get(name, self.base.sequences.get(name, 0)) + 1
        self.sequences[name] = value
        return value

    def guard(self, table: str) -> None:
        """Nothing to do: the inter-process lock already serialises every transaction of this store."""
        self._check_open()
