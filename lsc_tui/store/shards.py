"""How a table is cut into small files, and how a record id says which file holds it.

A table is a folder `tables/<table>/` of shard files `0001.json`, `0002.json`, … Each shard is a TinyDB database
(tables `_default` for the records, keyed by a serial number, and `_meta` for the shard's own counters) holding at
most `shard_size` records: once a shard has handed out that many serials, inserts go to the next one. So a write
rewrites one file of a bounded size whatever the size of the table, and the audit log, which only grows, appends
to its last shard.

Generated ids are `"<shard>-<serial>"` (e.g. `"0007-000123"`): `get` and `update` open exactly one file. Serials
are never reused (the shard's `_meta` keeps the next one even after deletes), so an id in the audit log never
comes to mean another record. Ids chosen by the caller (`insert(..., id="P001")`) are kept in the shard's `_meta`
too, so that finding them needs only the shards' small maps, built when the table is read.
"""

from __future__ import annotations

import copy
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsc_tui.store.storage import corrupt_error

RECORDS = "_default"
META = "_meta"
META_DOC = "1"

SHARD_FILE_RE = re.compile(r"^(\d{4,})\.json$")
GENERATED_ID_RE = re.compile(r"^(\d{4,})-(\d{6,})$")
TABLE_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def shard_filename(number: int) -> str:
    return f"{number:04d}.json"


def make_id(shard: int, serial: int) -> str:
    return f"{shard:04d}-{serial:06d}"


def parse_id(record_id: str) -> tuple[int, str] | None:
    """(shard number, serial key) for a generated id; None for an id chosen by the caller."""
    m = GENERATED_ID_RE.match(record_id)
    if m is None:
        return None
    return int(m.group(1)), str(int(m.group(2)))


def is_generated_id(record_id: str) -> bool:
    return GENERATED_ID_RE.match(record_id) is not None


def list_shards(table_dir: Path) -> list[int]:
    try:
        names = os.listdir(table_dir)
    except FileNotFoundError:
        return []
    numbers = []
    for name in names:
        m = SHARD_FILE_RE.match(name)
        if m:
            numbers.append(int(m.group(1)))
    numbers.sort()
    return numbers


class ReadOnlyRecord(dict):  # type: ignore[type-arg]
    """A cached record as handed out by `Store.all`, `find` and `page`: a dict that refuses to be changed.

    Every process keeps its records in memory and hands the same objects to every caller; one caller writing into
    one would silently change what the others see (and what the next update saves). Refusing loudly is cheaper
    than copying 100,000 records on every `all()`. `dict(record)` (or `get`) gives a private, mutable copy.
    Nested lists and dicts are not protected: build new ones for an update.
    """

    __slots__ = ()

    def _refuse(self, *_args: Any, **_kwargs: Any) -> Any:
        raise TypeError("records from Store.all/find/page are read-only: change a copy, dict(record)")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self),))

    def __copy__(self) -> dict[str, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return copy.deepcopy(dict(self), memo)


def tally(records: Any, field_name: str, max_values: int) -> list[list[Any]] | None:
    """[[value, count], …] of a top-level field (JSON keys must be strings, values need not be); None when the
    values are not countable (lists, dicts) or too varied to be worth summarising."""
    try:
        counts = Counter(r.get(field_name) for r in records)
    except TypeError:
        return None
    if len(counts) > max_values:
        return None
    return [[value, n] for value, n in counts.items()]


@dataclass
class ShardData:
    """One shard's content. Treated as immutable once cached: a transaction writes to a `copy()`."""

    docs: dict[str, ReadOnlyRecord] = field(default_factory=dict)
    next_serial: int = 1
    custom_ids: dict[str, str] = field(default_factory=dict)  # caller-chosen id → serial key

    @classmethod
    def from_raw(cls, raw: Any, path: Path) -> ShardData:
        if not isinstance(raw, dict):
            raise corrupt_error(path, "structure inattendue")
        docs = raw.get(RECORDS, {})
        meta = raw.get(META, {}).get(META_DOC, {}) if isinstance(raw.get(META, {}), dict) else None
        if not isinstance(docs, dict) or not isinstance(meta, dict):
            raise corrupt_error(path, "structure inattendue")
        next_serial = meta.get("next")
        if not isinstance(next_serial, int):  # a hand-made TinyDB file: derive the counter from the keys
            next_serial = max((int(k) for k in docs if k.isdigit()), default=0) + 1
        custom_ids = meta.get("ids", {})
        if not isinstance(custom_ids, dict):
            raise corrupt_error(path, "structure inattendue")
        try:
            frozen = dict(zip(docs.keys(), map(ReadOnlyRecord, docs.values()), strict=True))
        except (TypeError, ValueError) as exc:
            raise corrupt_error(path, "enregistrement invalide") from exc
        return cls(frozen, next_serial, custom_ids)

    def to_raw(self, table: str, number: int) -> dict[str, Any]:
        meta = {"table": table, "shard": number, "next": self.next_serial, "ids": self.custom_ids}
        return {RECORDS: self.docs, META: {META_DOC: meta}}

    def copy(self) -> ShardData:
        """Shallow: records are never mutated in place, a change always stores a new dict."""
        return ShardData(dict(self.docs), self.next_serial, dict(self.custom_ids))
