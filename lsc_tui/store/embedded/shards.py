"""How a table is cut into small files, what each file must hold, and how a record id names its file.

A table is a folder `tables/<table>/` of shards. Shard *n* holds at most `shard_size` records; once it has
handed out that many serials, inserts go to shard n + 1. A shard's content is never rewritten in place: each
commit writes a new version `0007.g42.json` (shard 7, written by commit 42) and the catalog names the current
one, so a write rewrites one file of bounded size whatever the size of the table.

Each file is a TinyDB database (table `_default` for the records keyed by serial, `_meta` for the shard's own
facts), readable with `TinyDB(path, storage=OrjsonStorage)` for inspection. `_meta` repeats the table name, the
shard number and the next serial, so a file copied into the wrong place, emptied to `{}` or replaced by an older
version is recognised and refused rather than read as "no records" (which would hand out used ids again).

Generated ids are `"<shard>-<serial>"` (`"0007-000123"`): `get` opens exactly one file. Serials are never
reused, so an id in the audit log never comes to mean another record.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsc_tui.store.errors import RESTORE_HINT, CorruptFileError

RECORDS = "_default"
META = "_meta"
META_DOC = "1"

SHARD_FILE_RE = re.compile(r"^(\d{4,})(?:\.g(\d+))?\.json$")
GENERATED_ID_RE = re.compile(r"^(\d{4,})-(\d{6,})$")
TABLE_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def check_table_name(name: str) -> str:
    if not isinstance(name, str) or not TABLE_NAME_RE.match(name):
        raise ValueError(f"invalid table name {name!r}: lowercase letters, digits and _ only")
    return name


def shard_filename(number: int, gen: int) -> str:
    return f"{number:04d}.g{gen}.json"


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


class ReadOnlyRecord(dict):  # type: ignore[type-arg]
    """A cached record as handed out by listings and selects: a dict that refuses to be changed.

    Every process keeps its records in memory and hands the same objects to every caller; one caller writing into
    one would silently change what the others see (and what the next update saves). Refusing loudly is cheaper
    than copying 100,000 records on every listing. `dict(record)` gives a private, mutable copy.
    Nested lists and dicts are not protected: build new ones for an update.
    """

    __slots__ = ()

    def _refuse(self, *_args: Any, **_kwargs: Any) -> Any:
        raise TypeError("records from the store's reads are read-only: change a copy, dict(record)")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self),))

    def __copy__(self) -> dict[str, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return copy.deepcopy(dict(self), memo)


@dataclass
class ShardData:
    """One shard's content. Treated as immutable once cached: a transaction writes to a `copy()`."""

    docs: dict[str, ReadOnlyRecord] = field(default_factory=dict)
    next_serial: int = 1
    custom_ids: dict[str, str] = field(default_factory=dict)  # caller-chosen id → serial key

    def to_raw(self, table: str, number: int) -> dict[str, Any]:
        meta = {"table": table, "shard": number, "next": self.next_serial, "ids": self.custom_ids}
        return {RECORDS: self.docs, META: {META_DOC: meta}}

    def copy(self) -> ShardData:
        """Shallow: records are never mutated in place, a change always stores a new dict."""
        return ShardData(dict(self.docs), self.next_serial, dict(self.custom_ids))

    def find(self, record_id: str, number: int) -> str | None:
        """The serial key holding `record_id` in this shard (number `number`), or None."""
        parsed = parse_id(record_id)
        if parsed is None:
            return self.custom_ids.get(record_id)
        shard, key = parsed
        if shard != number:
            return None
        record = self.docs.get(key)
        return key if record is not None and record.get("id") == record_id else None


def parse_shard(
    raw: Any,
    path: Path,
    table: str,
    number: int,
    *,
    strict: bool,
    check: Callable[[dict[str, Any]], str] | None = None,
) -> ShardData:
    """Validate a shard file's content and freeze its records; refuse anything that is not ours, whole.

    The header is always checked. Every record is checked (`strict`) only when the file is not exactly the
    one the catalog recorded (size and time differ: changed outside lsc-tui); a file we wrote ourselves was
    checked when it was written, and re-checking 100,000 records on every start would cost a tenth of a second.
    """

    def bad(detail: str) -> CorruptFileError:
        return CorruptFileError(
            f"Le fichier de données {path} est invalide ({detail}).{RESTORE_HINT}", path=path
        )

    if not isinstance(raw, dict):
        raise bad("structure inattendue")
    meta_table = raw.get(META)
    meta = meta_table.get(META_DOC) if isinstance(meta_table, dict) else None
    docs = raw.get(RECORDS, {})
    if not isinstance(meta, dict):
        raise bad("en-tête _meta absent : fichier vidé ou qui ne vient pas de lsc-tui")
    if meta.get("table") != table or meta.get("shard") != number:
        raise bad(
            f"il appartient à {meta.get('table')!r} n°{meta.get('shard')!r}, pas à {table!r} n°{number}"
        )
    next_serial, custom_ids = meta.get("next"), meta.get("ids", {})
    if not isinstance(next_serial, int) or next_serial < 1 or not isinstance(custom_ids, dict):
        raise bad("en-tête _meta incohérent")
    if not isinstance(docs, dict):
        raise bad("structure inattendue")
    if not strict:
        try:
            return ShardData(
                dict(zip(docs, map(ReadOnlyRecord, docs.values()), strict=True)), next_serial, custom_ids
            )
        except (TypeError, ValueError) as exc:
            raise bad("enregistrement invalide") from exc
    by_key = {v: k for k, v in custom_ids.items()}
    frozen: dict[str, ReadOnlyRecord] = {}
    for key, record in docs.items():
        if not isinstance(record, dict) or not key.isdigit() or int(key) >= next_serial:
            raise bad(f"enregistrement n°{key} invalide")
        record_id = record.get("id")
        expected = by_key.get(key) or make_id(number, int(key))
        if record_id != expected:
            shown = "sans identifiant" if record_id is None else f"d'identifiant {record_id!r}"
            raise bad(f"enregistrement n°{key} {shown}, {expected!r} attendu")
        if not isinstance(record.get("_rev"), int):
            raise bad(f"enregistrement {record_id} sans numéro de version")
        if check is not None and (why := check(record)):
            raise bad(f"enregistrement {record_id} : {why}")
        frozen[key] = ReadOnlyRecord(record)
    return ShardData(frozen, next_serial, dict(custom_ids))
