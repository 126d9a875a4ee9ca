"""Row view-models for big lists: built only when shown, filtered in memory, rebuilt when the store changed.

At 100,000 records the list must paint in a blink and a keystroke must filter in ≤ 50 ms. So a list is a
`RowSource` (the records in display order, a row builder, and folded haystacks computed once) and what a
screen shows is a `RowView` (indexes into the source): a row object exists only once it scrolls into view,
and typing more letters narrows the previous view instead of rescanning everything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple, overload

from lsc_tui.domain.search import fold, matcher
from lsc_tui.store import Store


class Row(NamedTuple):
    """One line of a list: `cells` as shown, `hay` folded text for the filter, `key` the record id.

    A NamedTuple, not a dataclass: thousands are built per screen and it halves the cost."""

    key: str
    cells: tuple[str, ...]
    hay: str
    style: str = ""


class RowSource:
    """Records in display order; `make` turns one record into a Row, `text` gives its searchable text."""

    def __init__(
        self, records: Sequence[Any], make: Callable[[Any], Row], text: Callable[[Any], str] | None = None
    ) -> None:
        self.records = records
        self.keys = [r["id"] if isinstance(r, dict) else r.key for r in records]
        self._make = make
        self._text = text
        self._rows: dict[int, Row] = {}
        self._hays: list[str] | None = None
        self._positions: dict[str, int] | None = None

    def row(self, index: int) -> Row:
        row = self._rows.get(index)
        if row is None:
            row = self._make(self.records[index])
            self._rows[index] = row
        return row

    def hays(self) -> list[str]:
        """Folded search text of every record, computed once (about 0.3 s per 100k, off the UI thread)."""
        if self._hays is None:
            if self._text is None:
                self._hays = [self.row(i).hay for i in range(len(self.records))]
            else:
                self._hays = [fold(self._text(r)) for r in self.records]
        return self._hays

    def position(self, key: str) -> int | None:
        if self._positions is None:
            self._positions = {k: i for i, k in enumerate(self.keys)}
        return self._positions.get(key)

    def view(self) -> RowView:
        return RowView(self, range(len(self.records)))


class RowView(Sequence[Row]):
    """What a list shows: a subset of a source, in order. Rows are built on access."""

    def __init__(
        self, source: RowSource, indexes: Sequence[int], query: str = "", root: Sequence[int] | None = None
    ) -> None:
        self.source = source
        self.indexes = indexes
        self.query = query
        self.root = indexes if root is None else root
        """What the list shows with no filter typed (all records, or one status from Accueil)."""

    def __len__(self) -> int:
        return len(self.indexes)

    @overload
    def __getitem__(self, i: int) -> Row: ...

    @overload
    def __getitem__(self, i: slice) -> list[Row]: ...

    def __getitem__(self, i: int | slice) -> Row | list[Row]:
        if isinstance(i, slice):
            return [self.source.row(j) for j in self.indexes[i]]
        return self.source.row(self.indexes[i])

    def __iter__(self) -> Iterator[Row]:
        for j in self.indexes:
            yield self.source.row(j)

    def keys(self) -> list[str]:
        keys = self.source.keys
        return [keys[j] for j in self.indexes]

    def index_of(self, key: str) -> int | None:
        pos = self.source.position(key)
        if pos is None:
            return None
        if isinstance(self.indexes, range):
            return pos - self.indexes.start if pos in self.indexes else None
        try:
            return self.indexes.index(pos)  # type: ignore[union-attr]
        except ValueError:
            return None

    def filter(self, query: str) -> RowView:
        """Narrow to `query`; when it extends this view's query only this view's rows are scanned."""
        folded = fold(query).strip()
        if not folded:
            return RowView(self.source, self.root)
        base = self.indexes if self.query and folded.startswith(self.query) else self.root
        pred = matcher(folded)
        hays = self.source.hays()
        return RowView(self.source, [j for j in base if pred(hays[j])], folded, self.root)


def rows_of(items: Sequence[Row]) -> RowView:
    """Wrap ready-made rows (small lists) in a view."""
    return RowSource(items, lambda r: r).view()


class CachedSource:
    """Rebuilds a source only when the store changed (another staff member, or this process, wrote)."""

    def __init__(self, build: Callable[[Store], RowSource]) -> None:
        self._build = build
        self._token: Any = object()
        self._source: RowSource | None = None

    def source(self, store: Store) -> RowSource:
        token = store.version_token()
        if self._source is None or token != self._token:
            self._source = self._build(store)
            self._token = token
        return self._source


def filter_rows(rows: Sequence[Row], query: str) -> Sequence[Row]:
    if isinstance(rows, RowView):
        return rows.filter(query)
    if not query.strip():
        return rows
    pred = matcher(query)
    return [r for r in rows if pred(r.hay)]
