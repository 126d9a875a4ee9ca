"""What every store backend promises: the embedded one (sharded files) and PostgreSQL.

Services never see this: they work through repositories (`store/repositories/`), which are written once
against these two protocols, so both backends run the same repository code and the same contract tests.

Records are plain JSON dicts with two keys owned by the store: `id` (a string) and `_rev` (an integer that
grows by one at every write). A filter (`Where`) is a mapping of top-level field → value: equality, or
membership when the value is a tuple, list, set or frozenset. Only the fields a table declares as indexed
(`TableSpec.indexed`) may be filtered on, so that PostgreSQL can serve every filter from a column and index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, runtime_checkable

Record = dict[str, Any]
Where = Mapping[str, Any]


class AnyRev:
    """Passed as `expect_rev` by a caller that explicitly merges its changes into whatever is stored.

    Every update must say which revision it saw: a stale update raises `Conflict` instead of silently
    overwriting a colleague's change. The few writers that truly merge (a provider status arriving from a
    webhook, which does not depend on what the record held) say so with `ANY_REV`.
    """

    _instance: AnyRev | None = None

    def __new__(cls) -> AnyRev:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ANY_REV"


ANY_REV = AnyRev()
ExpectRev = int | AnyRev


@runtime_checkable
class Listing(Protocol):
    """The records of one list in display order, fetched by window: what a screen scrolls through.

    The embedded store holds them in memory; PostgreSQL fetches only the visible window (keyset paging). A
    listing is a snapshot: `narrow` and reads never see later writes; a new listing does.
    """

    def __len__(self) -> int: ...

    def window(self, start: int, stop: int) -> list[Record]:
        """Records `start`..`stop` (exclusive) in display order."""
        ...

    def ids(self) -> list[str]:
        """Every id in display order (ticking all the shown rows)."""
        ...

    def position(self, record_id: str) -> int | None: ...

    def narrow(self, text: str) -> Listing:
        """The records whose searchable text contains every word of `text` (accents and case ignored)."""
        ...


class Reader(Protocol):
    """Reads, on the store (committed data) or inside a transaction (its own writes included)."""

    def get(self, table: str, record_id: str) -> Record | None: ...

    def get_many(self, table: str, record_ids: Sequence[str]) -> dict[str, Record]: ...

    def select(
        self,
        table: str,
        where: Where | None = None,
        *,
        order: Sequence[tuple[str, bool]] = (),
        limit: int | None = None,
    ) -> list[Record]:
        """Records matching `where`, ordered by (field, descending) pairs then id."""
        ...

    def count(self, table: str, where: Where | None = None) -> int: ...


@runtime_checkable
class Transaction(Reader, Protocol):
    """All-or-nothing writes. Reads through a transaction see its own writes and the latest committed data."""

    def insert(self, table: str, record: Record, *, id: str | None = None) -> Record: ...

    def update(self, table: str, record_id: str, changes: Record, *, expect_rev: ExpectRev) -> Record:
        """Merge `changes` (top-level keys); `Conflict` if the stored revision is not `expect_rev`."""
        ...

    def replace(self, table: str, record: Record, *, expect_rev: ExpectRev) -> Record: ...

    def delete(self, table: str, record_id: str, *, expect_rev: ExpectRev) -> None: ...

    def next_sequence(self, name: str) -> int:
        """Next value of a named counter, committed with the transaction: unique and increasing."""
        ...

    def guard(self, table: str) -> None:
        """Serialise a check-then-write on `table` (a uniqueness check) with every other transaction doing the
        same, until this one ends. The embedded store already serialises every transaction."""
        ...


@runtime_checkable
class RecordStore(Reader, Protocol):
    """One store opened by one process; thread-safe; several processes may share it."""

    readonly: bool

    @property
    def location(self) -> str:
        """Where the data lives, as shown to people (a folder, or a database URL without its password)."""
        ...

    def transaction(self) -> AbstractContextManager[Transaction]: ...

    def count_by(self, table: str, field: str, where: Where | None = None) -> dict[Any, int]: ...

    def listing(self, table: str, where: Where | None = None) -> Listing:
        """The table's records matching `where`, in the table's display order (`TableSpec.order`)."""
        ...

    def changed_tables(self) -> set[str]:
        """Tables that any process changed since the previous call (first call: every table)."""
        ...

    def table_token(self, table: str) -> object:
        """Changes whenever `table` changes: list caches compare it to know when to rebuild."""
        ...

    def close(self) -> None: ...


def as_members(value: Any) -> frozenset[Any] | None:
    """The set a `Where` value stands for when it is a membership test, else None (equality)."""
    if isinstance(value, (tuple, list, set, frozenset)):
        return frozenset(value)
    return None


Computed = Mapping[str, Callable[[Mapping[str, Any]], Any]]


def field_value(record: Mapping[str, Any], field: str, computed: Computed | None = None) -> Any:
    fn = computed.get(field) if computed else None
    return fn(record) if fn is not None else record.get(field)


def matches(record: Mapping[str, Any], where: Where | None, computed: Computed | None = None) -> bool:
    """The in-memory meaning of a `Where`, shared by the embedded backend and tests."""
    if not where:
        return True
    for field, wanted in where.items():
        members = as_members(wanted)
        value = field_value(record, field, computed)
        if members is not None:
            if value not in members:
                return False
        elif value != wanted:
            return False
    return True


def ordered(
    records: Iterator[Record] | list[Record],
    order: Sequence[tuple[str, bool]],
    computed: Computed | None = None,
) -> list[Record]:
    """Sort by (field, descending) pairs, ties broken by id in the direction of the last pair (what keyset
    paging on PostgreSQL can follow with one row comparison); a missing value sorts as an empty string."""
    rows = list(records)
    rows.sort(key=lambda r: r["id"], reverse=bool(order) and order[-1][1])
    for field, descending in reversed(order):
        rows.sort(key=lambda r, f=field: _sort_value(field_value(r, f, computed)), reverse=descending)
    return rows


def _sort_value(value: Any) -> str:
    """Order fields are text (dates as ISO strings, chrono numbers, folded names): compared as text on both
    backends."""
    return "" if value is None else str(value)
