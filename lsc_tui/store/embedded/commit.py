"""Writing one transaction: new shard files, one new catalog, then collecting what nobody references.

Order (the caller holds the inter-process lock): write each changed shard to a new file named after the new
generation, write the new catalog to a temp file, fsync all of them (and the folders that gained a file)
together, keep the current catalog as `catalog.json.bak`, rename the new one into place, fsync the root.
Until that rename nothing is visible; after it everything is. A crash anywhere leaves orphan files only,
which the next writer collects.
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lsc_tui.store.embedded.catalog import Catalog, ShardEntry, TableEntry
from lsc_tui.store.embedded.files import (
    NewFile,
    dumps,
    fsync_dir,
    is_temp_name,
    make_dir,
    sync_all,
    temp_name,
    write_new,
)
from lsc_tui.store.embedded.shards import SHARD_FILE_RE, ShardData, shard_filename
from lsc_tui.store.errors import StoreError
from lsc_tui.store.tables import TableSpec

CATALOG = "catalog.json"
SUMMARY_MAX_VALUES = 64


def tally(docs: Any, field: str) -> list[list[Any]] | None:
    """[[value, count], …] of a top-level field; None when not countable (lists) or too varied to be useful."""
    try:
        counts = Counter(r.get(field) for r in docs)
    except TypeError:
        return None
    if len(counts) > SUMMARY_MAX_VALUES:
        return None
    return [[value, n] for value, n in counts.items()]


def write_commit(
    tables_dir: Path,
    root: Path,
    base: Catalog,
    work: dict[tuple[str, int], ShardData],
    sequences: dict[str, int],
    specs: Mapping[str, TableSpec],
) -> tuple[Catalog, dict[tuple[str, int], str]]:
    """Make `work` durable and visible; returns the new catalog and the file name of each written shard."""
    gen = base.gen + 1
    written: list[tuple[str, int, ShardData, NewFile]] = []
    new_dirs: set[Path] = set()
    catalog_file: NewFile | None = None
    try:
        for (table, number), data in sorted(work.items()):
            folder = tables_dir / table
            if not folder.is_dir():
                make_dir(folder)
                new_dirs.add(tables_dir)
            new = write_new(
                folder / shard_filename(number, gen), dumps(data.to_raw(table, number)), direct=True
            )
            new.take_stamp()
            written.append((table, number, data, new))
            new_dirs.add(folder)
        tables = dict(base.tables)
        for table in {t for t, _n in work}:
            shards = dict(tables[table].shards) if table in tables else {}
            summary = specs[table].summary if table in specs else ()
            for t, number, data, new in written:
                if t == table:
                    by = {f: tally(data.docs.values(), f) for f in summary}
                    shards[number] = ShardEntry(
                        new.target.name, len(data.docs), data.next_serial, new.stamp[0], new.stamp[1], by
                    )
            tables[table] = TableEntry(gen, shards)
        catalog = Catalog(gen, tables, {**base.sequences, **sequences})
        catalog_file = write_new(root / CATALOG, dumps(catalog.to_raw()))
        sync_all([*(w[3] for w in written), catalog_file], new_dirs)
        for *_rest, new in written:
            new.publish()
        _keep_previous(root)
        catalog_file.publish()
    except BaseException as exc:
        for *_rest, new in written:
            new.abandon()
        if catalog_file is not None:
            catalog_file.abandon()
        if isinstance(exc, OSError):
            raise StoreError(
                f"Rien n'a été enregistré dans {root} ({exc.strerror}) : vérifiez l'espace disque et les droits.",
                path=root,
            ) from exc
        raise
    fsync_dir(root)
    return catalog, {(t, n): new.target.name for t, n, _d, new in written}


def _keep_previous(root: Path) -> None:
    """The catalog being replaced stays as `catalog.json.bak` (a hard link: no copy)."""
    current = root / CATALOG
    bak = root / (CATALOG + ".bak")
    link = temp_name(bak)
    try:
        os.link(current, link)
    except FileNotFoundError:
        return
    os.replace(link, bak)


def collect(tables_dir: Path, root: Path, tables: set[str], keep: Catalog, previous: Catalog) -> None:
    """Delete the shard files of `tables` that neither the current nor the previous catalog names, and temp
    files left by a crashed writer. Only names matching our patterns, only inside our folders."""
    for table in tables:
        folder = tables_dir / table
        referenced = keep.files(table) | previous.files(table)
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            for name in os.listdir(folder):
                if (SHARD_FILE_RE.match(name) and name not in referenced) or is_temp_name(name):
                    with contextlib.suppress(OSError):
                        os.unlink(folder / name)


def collect_temps(root: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        for name in os.listdir(root):
            if is_temp_name(name):
                with contextlib.suppress(OSError):
                    os.unlink(root / name)
