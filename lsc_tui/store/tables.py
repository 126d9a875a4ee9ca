"""What a backend needs to know of a table beyond its name: filters to index, display order, searchable text.

Each repository declares its table's `TableSpec`; both backends read it (PostgreSQL turns indexed fields into
columns with indexes and the searchable text into a trigram-indexed column; the embedded store keeps
per-shard counts of the summary fields so the home screen never parses a shard).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Record = dict[str, Any]


@dataclass(frozen=True)
class TableSpec:
    name: str
    indexed: tuple[str, ...] = ()
    """Top-level fields that filters and counts use: columns with an index on PostgreSQL."""
    order: tuple[tuple[str, bool], ...] = ()
    """Display order of `listing`: (field, descending) pairs, text comparison, ties broken by id."""
    search: Callable[[Record], str] | None = None
    """The text a list filter searches ("contains" every typed word, accents and case ignored)."""
    summary: tuple[str, ...] = ()
    """Fields counted per shard in the embedded catalog, so `count_by` needs no shard parsed."""
    computed: dict[str, Callable[[Record], Any]] = field(default_factory=dict)
    """Derived fields (a sort date, a folded name): usable in `indexed` and `order` like stored fields;
    PostgreSQL stores them in columns at every write, the embedded store computes them when it sorts."""
    check: Callable[[Record], str] | None = None
    """Why a stored record cannot be read by this version ("" when fine): checked when a shard is loaded
    from a file changed outside lsc-tui, so a hand-edited status is refused with the file's name."""
    listed: tuple[str, ...] = ()
    """Fields the table's list shows. When set, the embedded store keeps in memory, for each record, only these
    with the id, the revision, the indexed and order fields and the folded search text (`listing` hands out such
    rows, read like records: `row["title"]`, `row.get("chrono")`); `get`, `select` and transactions read whole
    records. 100,000 events held whole took 250 MB (their parties, bodies, attachments)."""


def default_spec(name: str) -> TableSpec:
    """A table nobody declared (tests, a newer version's table): stored and read, no index, insertion order."""
    return TableSpec(name)
