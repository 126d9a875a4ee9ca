"""How one logical table (its `TableSpec`) becomes one SQL table, and how a record becomes one row.

Table `lsc_<name>`::

    id      text COLLATE "C" PRIMARY KEY  -- generated "NNNN-NNNNNN", or chosen by the caller
    pos     bigint    -- insertion order (a table without a display order lists in insertion order)
    rev     integer   -- the record's `_rev`
    data    jsonb     -- the record without `id` and `_rev`
    search  text      -- fold(spec.search(record)): "contains" search with a pg_trgm GIN index
    f_<x>   text COLLATE "C"  -- one per indexed or computed field: its value as canonical JSON text,
                              -- so filters and counts compare bytes (jsonb comparisons cost 3x more)
    o_<x>   text COLLATE "C"  -- one per display-order field: the sort text, as `protocol.ordered` compares

Derived columns are computed in Python at every write from the same functions the embedded store uses
(`field_value`, `fold`), so both backends filter, sort and search alike. Text columns use the "C" collation:
on a UTF-8 database that is code-point order, the order Python's `sorted` gives the embedded store.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from psycopg import sql
from psycopg.types.json import Jsonb

from lsc_tui.domain.search import fold
from lsc_tui.store.protocol import field_value
from lsc_tui.store.tables import TableSpec

Record = dict[str, Any]

TABLE_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,47}$")  # the embedded rule, shorter: index names ≤ 63 bytes
FIELD_RE = re.compile(r"^[a-z_][a-z0-9_]{0,47}$")
GENERATED_ID_RE = re.compile(r"^(\d{4,})-(\d{6,})$")  # the embedded store's reserved id shape
IDS_PER_BLOCK = 1_000_000
NAME_MAX = 63
INDEXES = 2
"""Version of the index set (`Layout.indexes`). 2: a table with search text orders its rows by an index that
includes that text (`walk`, replacing `key`), so typed words are tested on index entries, not table rows."""


def check_table_name(name: str) -> str:
    if not isinstance(name, str) or not TABLE_NAME_RE.match(name):
        raise ValueError(f"invalid table name {name!r}: lowercase letters, digits and _ only, at most 48")
    return name


def is_generated_id(record_id: str) -> bool:
    return GENERATED_ID_RE.match(record_id) is not None


def make_id(n: int) -> str:
    """Id number `n` of a table's sequence in the embedded shape: "0001-000042" … "0002-000000" …

    Text order is creation order up to 9,999 million ids; an id taken by a record copied from an embedded
    store is skipped by the inserter (ON CONFLICT), never reused.
    """
    return f"{n // IDS_PER_BLOCK + 1:04d}-{n % IDS_PER_BLOCK:06d}"


def id_number(record_id: str) -> int | None:
    """The sequence number `make_id` turns into this id (None for other ids): copied stores start above."""
    m = GENERATED_ID_RE.match(record_id)
    if m is None:
        return None
    block, serial = int(m.group(1)), int(m.group(2))
    return (block - 1) * IDS_PER_BLOCK + serial if serial < IDS_PER_BLOCK else None


def dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def canonical(value: Any) -> str:
    """A value as the JSON text its column holds: equal values, equal texts (keys sorted, 2.0 as 2)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def jsonb(value: Any) -> Jsonb:
    return Jsonb(value, dumps=dumps)


def index_name(table: str, suffix: str) -> str:
    name = f"{table}_{suffix}"
    if len(name) > NAME_MAX:
        name = f"{table[:40]}_{hashlib.sha1(suffix.encode()).hexdigest()[:12]}"
    return name


def sort_text(value: Any) -> str:
    """`protocol.ordered`'s sort key: order fields compare as text, a missing value as ""."""
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Layout:
    spec: TableSpec
    table: str
    values: tuple[str, ...]
    """Fields with a value column: indexed and computed fields."""

    @classmethod
    def of(cls, spec: TableSpec) -> Layout:
        check_table_name(spec.name)
        values = tuple(dict.fromkeys((*spec.indexed, *spec.computed)))
        for field in (*values, *(f for f, _d in spec.order)):
            if not FIELD_RE.match(field) or field in ("id", "_rev"):
                raise ValueError(f"table {spec.name}: field {field!r} cannot have a column")
        return cls(spec, f"lsc_{spec.name}", values)

    # ---- the table -------------------------------------------------------------------------------------

    @property
    def ident(self) -> sql.Identifier:
        return sql.Identifier(self.table)

    @property
    def pos_sequence(self) -> str:
        return f"{self.table}_pos"

    @property
    def summary(self) -> tuple[str, ...]:
        """Summary fields with a column: each gets a one-column btree, small thanks to deduplication, that
        `count_by` reads without touching the table."""
        return tuple(f for f in self.spec.summary if f in self.values)

    @property
    def order(self) -> tuple[tuple[str, bool], ...]:
        return self.spec.order

    def describe(self) -> dict[str, Any]:
        """What the columns and indexes depend on: a change makes the next writer add and fill columns
        (`derivation`) or only add indexes (`INDEXES`)."""
        return {**self.derivation(), "indexes": INDEXES}

    def derivation(self) -> dict[str, Any]:
        """What the derived columns' values depend on: a change means recomputing them in every row."""
        return {
            "values": list(self.values),
            "order": [[f, d] for f, d in self.order],
            "search": self.spec.search is not None,
            "indexed": list(self.spec.indexed),
            "summary": list(self.summary),
        }

    def columns(self) -> list[tuple[str, str]]:
        cols = [(f"f_{f}", "text COLLATE \"C\" NOT NULL DEFAULT 'null'") for f in self.values]
        cols += [(f"o_{f}", "text COLLATE \"C\" NOT NULL DEFAULT ''") for f, _d in self.order]
        return cols

    def key(self) -> list[tuple[str, bool]]:
        """The listing's keyset: (column, descending) pairs, unique, what its btree index is built on."""
        if not self.order:
            return [("pos", False)]
        return [(f"o_{f}", d) for f, d in self.order] + [("id", self.order[-1][1])]

    def obsolete_indexes(self) -> list[str]:
        """Indexes an older version made that `indexes` replaces (dropped when the table is upgraded)."""
        return [index_name(self.table, "key")] if self.spec.search is not None else []

    def indexes(self) -> list[tuple[str, sql.Composable]]:
        """(name, CREATE INDEX statement): listing order, each indexed field followed by that order (a
        filtered list pages from one index), each summary field alone (counts), and the trigram index of
        the search text."""
        key = sql.SQL(", ").join(
            sql.SQL("{} DESC" if d else "{}").format(sql.Identifier(c)) for c, d in self.key()
        )
        made: list[tuple[str, sql.Composable]] = []

        def add(suffix: str, body: sql.Composable, using: str = "", include: str = "") -> None:
            name = index_name(self.table, suffix)
            statement = sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} {}({})").format(
                sql.Identifier(name), self.ident, sql.SQL(using), body
            )
            if include:
                statement += sql.SQL(" INCLUDE ({})").format(sql.Identifier(include))
            made.append((name, statement))

        if self.spec.search is None:
            add("key", key)
        else:  # the display order carrying the search text: a list narrowed by words is walked in the index
            add("walk", key, include="search")
        for f in self.spec.indexed:
            add(f"f_{f}", sql.SQL("{}, ").format(sql.Identifier(f"f_{f}")) + key)
        for f in self.summary:
            add(f"sum_{f}", sql.Identifier(f"f_{f}"))
        if self.spec.search is not None:
            add("search", sql.SQL("search gin_trgm_ops"), "USING gin ")
        return made

    # ---- a record as a row -----------------------------------------------------------------------------

    def derived_names(self) -> list[str]:
        return [f"f_{f}" for f in self.values] + [f"o_{f}" for f, _d in self.order] + ["search"]

    def derived(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """The derived columns of a stored record (with its id and _rev, as the spec's functions expect)."""
        computed = self.spec.computed
        out: dict[str, Any] = {f"f_{f}": canonical(field_value(record, f, computed)) for f in self.values}
        for f, _d in self.order:
            out[f"o_{f}"] = sort_text(field_value(record, f, computed))
        search = self.spec.search
        out["search"] = fold(search(dict(record))) if search is not None else ""
        return out

    # ---- expressions -----------------------------------------------------------------------------------

    def value_expr(self, field: str) -> sql.Composable:
        """The jsonb value of a field without a column, as `protocol.matches` sees it (missing: JSON null)."""
        return sql.SQL("coalesce(data -> {}, 'null'::jsonb)").format(sql.Literal(field))

    def sort_expr(self, field: str) -> sql.Composable:
        """The sort text of `field`: its o_ column, or the JSON text (strings and numbers sort as in Python;
        true/false spell differently from Python's True/False, nested values as JSON)."""
        if field == "id":
            return sql.Identifier("id")
        if field in (f for f, _d in self.order):
            return sql.Identifier(f"o_{field}")
        if field in self.values:
            inner: sql.Composable = sql.SQL("({}::jsonb #>> '{{}}')").format(sql.Identifier(f"f_{field}"))
        else:
            inner = sql.SQL("data ->> {}").format(sql.Literal(field))
        return sql.SQL("(coalesce({}, '') COLLATE \"C\")").format(inner)


def order_sql(layout: Layout, order: Sequence[tuple[str, bool]]) -> sql.Composable:
    """`protocol.ordered` in SQL: the pairs, then id in the direction of the last pair."""
    parts = [sql.SQL("{} DESC" if d else "{}").format(layout.sort_expr(f)) for f, d in order]
    parts.append(sql.SQL("id DESC" if order and order[-1][1] else "id"))
    return sql.SQL(", ").join(parts)
