"""Schema 1 → 2: from shard files rewritten in place (with a rename journal) to immutable files and a catalog.

Schema 1 kept `tables/<t>/0001.json` (rewritten by rename), `summary.json`, `sequences.json`, and a journal
`commit.json` listing renames to finish after a crash. The journal is checked name by name before anything is
renamed: it may only name files of our own table folders, never `..`, an absolute path or a link leading out.
The catalog then names the existing shard files as they are (the pattern admits `0001.json`), so the upgrade
copies nothing.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lsc_tui.store.embedded.catalog import Catalog, ShardEntry, TableEntry
from lsc_tui.store.embedded.commit import CATALOG, tally
from lsc_tui.store.embedded.files import (
    atomic_write,
    dumps,
    fsync_dir,
    is_temp_name,
    loads,
    read_bytes,
    stamp_of,
)
from lsc_tui.store.embedded.shards import META, META_DOC, RECORDS, SHARD_FILE_RE, TABLE_NAME_RE
from lsc_tui.store.errors import CorruptFileError
from lsc_tui.store.tables import TableSpec

JOURNAL = "commit.json"
SEQUENCES = "sequences.json"


def to_catalog(root: Path, tables_dir: Path, specs: Mapping[str, TableSpec]) -> None:
    """Upgrade a schema-1 directory in place (caller holds the lock; safe to run again after a crash)."""
    _finish_journal(root, tables_dir)
    tables: dict[str, TableEntry] = {}
    if tables_dir.is_dir() and not tables_dir.is_symlink():
        for table in sorted(os.listdir(tables_dir)):
            folder = tables_dir / table
            if not TABLE_NAME_RE.match(table) or folder.is_symlink() or not folder.is_dir():
                continue
            shards = _table_shards(folder, table, specs.get(table))
            if shards:
                tables[table] = TableEntry(1, shards)
    sequences = _old_sequences(root)
    atomic_write(root / CATALOG, dumps(Catalog(1, tables, sequences).to_raw()))
    for folder in [tables_dir / t for t in tables]:
        with contextlib.suppress(OSError):
            (folder / "summary.json").unlink()
    with contextlib.suppress(OSError):
        (root / SEQUENCES).unlink()


def _inside(root: Path, relative: Any) -> Path:
    """A journal path, accepted only if it names a file directly inside one of our table folders."""
    path = root / str(relative)
    parts = Path(str(relative)).parts
    ok = (
        isinstance(relative, str)
        and not Path(relative).is_absolute()
        and len(parts) == 3
        and parts[0] == "tables"
        and TABLE_NAME_RE.match(parts[1]) is not None
        and ".." not in parts
        and (SHARD_FILE_RE.match(parts[2]) or is_temp_name(parts[2]))
        and not (root / parts[0]).is_symlink()
        and not (root / parts[0] / parts[1]).is_symlink()
        and not path.is_symlink()
    )
    if not ok:
        raise CorruptFileError(
            f"Le journal {root / JOURNAL} nomme un fichier hors des tables du dossier ({relative!r}) : rien n'a été"
            " touché. Faites examiner ce dossier (fichier commit.json modifié ou venant d'ailleurs).",
            path=root / JOURNAL,
        )
    return path


def _finish_journal(root: Path, tables_dir: Path) -> None:
    path = root / JOURNAL
    result = read_bytes(path)
    if result is None:
        return
    data = loads(result[0], path)
    writes = data.get("writes") if isinstance(data, dict) else None
    if not isinstance(writes, list) or not all(isinstance(w, list) and len(w) == 2 for w in writes):
        raise CorruptFileError(f"Le journal {path} est illisible : rien n'a été touché.", path=path)
    pairs = [(_inside(root, temp), _inside(root, target)) for temp, target in writes]  # check all, then act
    for temp, target in pairs:
        if temp.exists():
            os.replace(temp, target)
    for d in {t.parent for _s, t in pairs}:
        fsync_dir(d)
    path.unlink()


def _table_shards(folder: Path, table: str, spec: TableSpec | None) -> dict[int, ShardEntry]:
    shards: dict[int, ShardEntry] = {}
    for name in sorted(os.listdir(folder)):
        m = SHARD_FILE_RE.match(name)
        if m is None:
            continue
        path = folder / name
        result = read_bytes(path)
        if result is None:
            continue
        raw, st = result
        data = loads(raw, path)
        docs = data.get(RECORDS, {}) if isinstance(data, dict) else None
        meta = (data.get(META) or {}).get(META_DOC) if isinstance(data, dict) else None
        if not isinstance(docs, dict):
            raise CorruptFileError(
                f"Le fichier de données {path} est invalide (structure inattendue).", path=path
            )
        number = int(m.group(1))
        if not isinstance(meta, dict):  # a hand-made TinyDB file: give it the header schema 2 requires
            meta = {"next": max((int(k) for k in docs if k.isdigit()), default=0) + 1, "ids": {}}
        meta = {**meta, "table": table, "shard": number}
        if meta != (data.get(META) or {}).get(META_DOC):
            atomic_write(path, dumps({RECORDS: docs, META: {META_DOC: meta}}))
            st = os.stat(path)
        size, mtime = stamp_of(st)
        summary = spec.summary if spec else ("status",)
        by = {f: tally(docs.values(), f) for f in summary}
        shards[number] = ShardEntry(name, len(docs), int(meta["next"]), size, mtime, by)
    return shards


def _old_sequences(root: Path) -> dict[str, int]:
    path = root / SEQUENCES
    result = read_bytes(path)
    if result is None:
        return {}
    data = loads(result[0], path)
    if not isinstance(data, dict):
        raise CorruptFileError(f"Le fichier {path} est illisible (structure inattendue).", path=path)
    return {str(k): int(v) for k, v in data.items() if isinstance(v, int)}
