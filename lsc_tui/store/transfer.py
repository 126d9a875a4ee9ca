"""Copying one store into another (`lsc-tui store migrate --from DIR --to URL`): records, ids, revisions, counters.

Records keep their ids (links and audit lines still point to them) and their revisions (a screen open during
the move gets a conflict, not a silent overwrite). Each batch is one transaction of the destination and
writes a record only when it differs from what is there, so an interrupted copy is finished by running it
again, and a second run changes nothing. Counters are raised, never lowered: a chrono number handed out by
the destination stays unique.

The destination must be able to write records as they are (`import_records`, `raise_sequences`: the
PostgreSQL store); the source must tell its counters (`sequences()`, or the embedded store's catalog).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, runtime_checkable

from lsc_tui.store.protocol import Record, RecordStore

BATCH = 1000


@runtime_checkable
class Importer(Protocol):
    def import_records(self, table: str, records: Iterable[Record]) -> int: ...

    def raise_sequences(self, values: dict[str, int]) -> None: ...


def source_sequences(src: RecordStore) -> dict[str, int]:
    """Every named counter of the source and its last value."""
    read = getattr(src, "sequences", None)
    if callable(read):
        return dict(read())
    catalog = getattr(src, "_read_catalog", None)  # the embedded store keeps its counters in its catalog
    if callable(catalog):
        return dict(catalog().sequences)
    raise TypeError(f"{type(src).__name__} cannot tell its counters: nothing to copy them from")


def copy_store(
    src: RecordStore, dst: RecordStore, tables: Iterable[str], *, batch: int = BATCH
) -> dict[str, tuple[int, int]]:
    """Copy `tables` and every counter from `src` into `dst`; {table: (records in src, records in dst)}.

    Records go in the source's display order (insertion order for a table without one), so a table listed in
    insertion order lists the same on both sides.
    """
    if not isinstance(dst, Importer):
        raise TypeError(f"{type(dst).__name__} cannot receive records with their ids and revisions")
    names = list(dict.fromkeys(tables))
    for table in names:
        # whole records (a listing may hold only the fields a list shows: TableSpec.listed), listing order
        whole = {r["id"]: r for r in src.select(table)}
        records = [whole[record_id] for record_id in src.listing(table).ids()]
        for start in range(0, len(records), batch):
            dst.import_records(table, records[start : start + batch])
    dst.raise_sequences(source_sequences(src))
    return {table: (src.count(table), dst.count(table)) for table in names}


def summary(counts: dict[str, tuple[int, int]]) -> list[str]:
    """One line per table for the CLI: `parties : 1 204 → 1 204`, flagged when the two sides differ."""
    lines = []
    for table, (source, dest) in counts.items():
        mark = "" if source == dest else "  ← différent"
        lines.append(f"{table} : {_n(source)} → {_n(dest)}{mark}")
    return lines


def _n(value: Any) -> str:
    return f"{value:,}".replace(",", "\u202f")
