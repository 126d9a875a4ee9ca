"""The catalog: which file holds each shard of each table, how many records it holds, and the counters.

`catalog.json` is the store's single commit point. A commit writes its new shard files under new names
(never over a file a reader might be reading), fsyncs them, then renames a new catalog into place: a reader
that read catalog N reads exactly the files of commit N, so it never sees half of a commit, and a crash at
any instant leaves catalog N or N + 1, whole. There is no journal to replay.

Because the catalog says how many records each shard holds and the size and time of the file it wrote, a
shard that goes missing, is emptied, truncated or edited by hand is noticed and refused by name instead of
being read as "no records" (which would also hand out used ids again). The previous catalog is kept as
`catalog.json.bak` with the files it names: the last commit can be undone as a whole by a person.

Every name in the catalog is checked against strict patterns before use, so a damaged or forged catalog
can never make the store open, rename or delete a file outside the data directory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lsc_tui.store.embedded.shards import SHARD_FILE_RE, TABLE_NAME_RE
from lsc_tui.store.errors import CorruptFileError

FORMAT = "lsc-tui-catalog"
SEQUENCE_NAME_MAX = 64


@dataclass(frozen=True)
class ShardEntry:
    file: str
    count: int
    next: int
    size: int
    mtime: int
    by: dict[str, list[list[Any]] | None] = field(default_factory=dict)

    def to_raw(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "count": self.count,
            "next": self.next,
            "size": self.size,
            "mtime": self.mtime,
            "by": self.by,
        }


@dataclass(frozen=True)
class TableEntry:
    gen: int
    shards: dict[int, ShardEntry]

    @property
    def count(self) -> int:
        return sum(s.count for s in self.shards.values())

    @property
    def last_shard(self) -> int:
        return max(self.shards, default=1)


@dataclass(frozen=True)
class Catalog:
    gen: int = 0
    tables: dict[str, TableEntry] = field(default_factory=dict)
    sequences: dict[str, int] = field(default_factory=dict)

    def table(self, name: str) -> TableEntry | None:
        return self.tables.get(name)

    def files(self, table: str) -> set[str]:
        entry = self.tables.get(table)
        return {s.file for s in entry.shards.values()} if entry else set()

    def shard_files(self, root: Path) -> Iterator[tuple[str, int, ShardEntry, Path]]:
        for name, entry in self.tables.items():
            for number, shard in entry.shards.items():
                yield name, number, shard, root / name / shard.file

    def to_raw(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "gen": self.gen,
            "sequences": self.sequences,
            "tables": {
                name: {"gen": t.gen, "shards": {str(n): s.to_raw() for n, s in sorted(t.shards.items())}}
                for name, t in sorted(self.tables.items())
            },
        }

    def evolve(self, **changes: Any) -> Catalog:
        return replace(self, **changes)


def parse_catalog(raw: Any, path: Path) -> Catalog:
    """Check every field and every name before anything is derived from them."""

    def bad(detail: str) -> CorruptFileError:
        return CorruptFileError(
            f"Le catalogue {path} est invalide ({detail}) ; la version précédente est {path.name}.bak."
            " Faites examiner le dossier de données avant de continuer.",
            path=path,
        )

    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise bad("format inconnu")
    gen, sequences, tables = raw.get("gen"), raw.get("sequences", {}), raw.get("tables", {})
    if not _natural(gen) or not isinstance(sequences, dict) or not isinstance(tables, dict):
        raise bad("structure inattendue")
    for name, value in sequences.items():
        if not isinstance(name, str) or not 0 < len(name) <= SEQUENCE_NAME_MAX or not _natural(value):
            raise bad(f"compteur {name!r} invalide")
    parsed: dict[str, TableEntry] = {}
    for table, entry in tables.items():
        if not isinstance(table, str) or not TABLE_NAME_RE.match(table):
            raise bad(f"nom de table {table!r} refusé")
        shards = entry.get("shards") if isinstance(entry, dict) else None
        if not isinstance(shards, dict) or not _natural(entry.get("gen")):
            raise bad(f"table {table} : structure inattendue")
        parsed_shards: dict[int, ShardEntry] = {}
        for key, s in shards.items():
            parsed_shards[_shard_number(key, s, table, bad)] = ShardEntry(
                s["file"], s["count"], s["next"], s["size"], s["mtime"], s.get("by") or {}
            )
        parsed[table] = TableEntry(entry["gen"], parsed_shards)
    return Catalog(gen, parsed, dict(sequences))


def _shard_number(key: Any, s: Any, table: str, bad: Any) -> int:
    if not isinstance(key, str) or not key.isdigit() or not isinstance(s, dict):
        raise bad(f"table {table} : fragment {key!r} invalide")
    name = s.get("file")
    m = SHARD_FILE_RE.match(name) if isinstance(name, str) else None
    if m is None or int(m.group(1)) != int(key):
        raise bad(f"table {table} : nom de fichier {name!r} refusé")
    if not all(_natural(s.get(k)) for k in ("count", "size", "mtime")) or not _natural(s.get("next")):
        raise bad(f"table {table} : fragment {key} incohérent")
    if s["count"] >= s["next"] or not isinstance(s.get("by", {}), dict):
        raise bad(f"table {table} : fragment {key} incohérent")
    return int(key)


def _natural(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
