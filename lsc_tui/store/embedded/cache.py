"""What one process keeps of the shards it has read, keyed by file name.

A shard file never changes once written (a commit writes a new file), so a parsed shard stays valid for as
long as the catalog names its file: "is my copy current?" is a comparison of names, no stat, no re-read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from lsc_tui.store.embedded.catalog import Catalog, ShardEntry
from lsc_tui.store.embedded.files import loads, stamp_of
from lsc_tui.store.embedded.projection import Projected, Projector
from lsc_tui.store.embedded.shards import ShardData, parse_shard
from lsc_tui.store.errors import CorruptFileError
from lsc_tui.store.tables import TableSpec

Record = dict[str, Any]


class FileGone(Exception):
    """A shard file named by the catalog this reader holds was replaced and collected meanwhile: re-read the
    catalog and retry (only ever happens to a reader more than one commit behind)."""


@dataclass
class TableCache:
    """One table's shards as this process read them.

    A table without `listed` fields keeps every parsed shard. A table with them (projection.py) keeps each
    shard's `Projected` rows, and whole only the `KEEP_WHOLE` shards read last (a detail, a write).
    """

    name: str
    projector: Projector | None = None
    shards: dict[int, tuple[str, ShardData]] = field(default_factory=dict)  # number → (file name, data)
    views: dict[int, tuple[str, list[Projected], dict[str, str]]] = field(default_factory=dict)
    """Projected tables: number → (file name, rows, caller-chosen id → serial key)."""
    rows: list[Any] | None = None
    custom: dict[str, int] | None = None  # caller-chosen id → shard number
    loaded_gen: int = -1  # table gen for which `shards` (or `views`) is complete

    KEEP_WHOLE: ClassVar[int] = 8

    def install(self, number: int, file: str, data: ShardData) -> None:
        self.shards.pop(number, None)
        self.shards[number] = (file, data)  # last: the most recently read
        self.rows = None
        self.custom = None
        if self.projector is not None:
            view = self.views.get(number)
            if view is not None and view[0] != file:
                del self.views[number]

    def whole(self, number: int, file: str) -> ShardData | None:
        """The parsed shard if it is the current file `file`, else None (read it and `install` it)."""
        cached = self.shards.get(number)
        if cached is None or cached[0] != file:
            return None
        if self.projector is not None:
            self.shards[number] = self.shards.pop(number)  # read last: kept longest
        return cached[1]

    def current(self, number: int, file: str) -> bool:
        """Whether what lists read of this shard (rows, or the whole shard) is the file `file`."""
        cached = (self.views if self.projector is not None else self.shards).get(number)
        return cached is not None and cached[0] == file

    def project(self, number: int) -> None:
        """Make the rows of an installed shard (projected tables)."""
        assert self.projector is not None
        file, data = self.shards[number]
        self.views[number] = (file, self.projector.rows(data.docs.values()), dict(data.custom_ids))
        self.rows = None

    def trim(self) -> None:
        """Forget whole shards beyond `KEEP_WHOLE`, the least recently read first (their rows, if made, stay;
        a shard with no rows yet is read again when a list needs them)."""
        if self.projector is None:
            return
        while len(self.shards) > self.KEEP_WHOLE:
            del self.shards[next(iter(self.shards))]

    def drop_missing(self, numbers: set[int]) -> None:
        for held in (self.shards, self.views):
            for n in [n for n in held if n not in numbers]:
                del held[n]
                self.rows = None
                self.custom = None

    def all_rows(self) -> list[Any]:
        """Every record (or `Projected` row) in shard order."""
        if self.rows is None:
            rows: list[Any] = []
            if self.projector is not None:
                for number in sorted(self.views):
                    rows.extend(self.views[number][1])
            else:
                for number in sorted(self.shards):
                    rows.extend(self.shards[number][1].docs.values())
            self.rows = rows
        return self.rows

    def shard_rows(self) -> list[tuple[int, list[Any]]]:
        """(shard number, its records or rows), in shard order."""
        if self.projector is not None:
            return [(n, self.views[n][1]) for n in sorted(self.views)]
        return [(n, list(self.shards[n][1].docs.values())) for n in sorted(self.shards)]

    def custom_ids(self) -> dict[str, int]:
        if self.custom is None:
            if self.projector is not None:
                self.custom = {cid: n for n, (_f, _r, ids) in self.views.items() for cid in ids}
            else:
                self.custom = {cid: n for n, (_f, d) in self.shards.items() for cid in d.custom_ids}
        return self.custom


def load_shard(
    root: Path, table: str, number: int, entry: ShardEntry, spec: TableSpec, *, verify: bool = False
) -> ShardData:
    """Read and check one shard file against what the catalog recorded of it.

    A file whose size and time are not the ones recorded was changed outside lsc-tui: it is checked record by
    record, and kept only if it still holds what the catalog says (same count, same next serial).
    """
    path = root / table / entry.file
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        raise FileGone(str(path)) from None
    except OSError as exc:
        raise CorruptFileError(
            f"Le fichier de données {path} ne peut pas être ouvert ({exc.strerror}) : vérifiez ses droits"
            " (groupe du cabinet) et qu'il ne s'agit pas d'un lien.",
            path=path,
        ) from exc
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        raw = f.read()
    changed = stamp_of(st) != (entry.size, entry.mtime)
    data = parse_shard(loads(raw, path), path, table, number, strict=changed or verify, check=spec.check)
    if len(data.docs) != entry.count or data.next_serial != entry.next:
        raise CorruptFileError(
            f"Le fichier de données {path} contient {len(data.docs)} enregistrement(s) au lieu des"
            f" {entry.count} enregistrés (modifié ou remplacé hors de lsc-tui) ; la version précédente du"
            " dossier est décrite par catalog.json.bak. Faites restaurer la sauvegarde avant de continuer.",
            path=path,
        )
    return data


def missing_file_error(root: Path, table: str, entry: ShardEntry) -> CorruptFileError:
    path = root / table / entry.file
    return CorruptFileError(
        f"Le fichier de données {path} manque ({entry.count} enregistrement(s) de la table {table} y sont"
        " enregistrés) : rien n'a été lu ni écrit. Restaurez-le depuis la sauvegarde du dossier.",
        path=path,
    )


def check_files(root: Path, catalog: Catalog) -> list[tuple[str, int, ShardEntry]]:
    """Shards whose file is not exactly the one recorded (to be checked when read). A missing one is FileGone:
    collected by commits since `catalog` was read, or lost (the caller tells which on the newest catalog).

    One stat per shard: a few milliseconds at 100,000 records, so every open can afford it.
    """
    suspects = []
    for table, number, entry, path in catalog.shard_files(root):
        try:
            st = os.stat(path, follow_symlinks=False)
        except FileNotFoundError:
            raise FileGone(str(path)) from None
        if stamp_of(st) != (entry.size, entry.mtime):
            suspects.append((table, number, entry))
    return suspects
