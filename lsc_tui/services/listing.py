"""Row view-models for big lists: built only when shown, filtered by the store, rebuilt when the table changed.

At 100,000 records a list must paint in a blink and a keystroke must filter in ≤ 50 ms. The store hands a
`Listing` (records in display order, fetched by window; in memory for the embedded store, by keyset paging on
PostgreSQL); a screen shows a `RowView` over it: a row exists only once it scrolls into view, and typing more
letters narrows the previous listing instead of rescanning everything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple, overload

from lsc_tui.domain.listing import MemoryListing
from lsc_tui.domain.search import matcher
from lsc_tui.store import Listing
from lsc_tui.store.repositories.base import UnreadableRecord

Record = dict[str, Any]


class Row(NamedTuple):
    """One line of a list: `cells` as shown, `hay` searchable text for small lists, `key` the record id.

    A NamedTuple, not a dataclass: thousands are built per screen and it halves the cost."""

    key: str
    cells: tuple[str, ...]
    hay: str = ""
    style: str = ""


WINDOW = 64


class RowView(Sequence[Row]):
    """What a list shows: a listing and how to turn one of its records into a row. Rows are built on access
    and kept while the view lives (a record that cannot be read becomes a row that says so)."""

    def __init__(
        self,
        listing: Listing,
        make: Callable[[Record], Row],
        *,
        root: Listing | None = None,
        built: dict[str, Row] | None = None,
    ) -> None:
        self.listing = listing
        self.make = make
        self.root = root if root is not None else listing
        """What the list shows with no filter typed (all records, or one status from Accueil)."""
        self._built: dict[str, Row] = built if built is not None else {}
        self._window: tuple[int, list[Record]] = (-1, [])

    def __len__(self) -> int:
        return len(self.listing)

    def count_ready(self) -> bool:
        """Whether `len` answers without waiting: a database listing counts in the background."""
        known = getattr(self.listing, "known_len", None)
        return known is None or known() is not None

    def count_now(self) -> int:
        """`len` when it is known, else how many rows the first window holds (fetched without the count), so a
        list can show its first rows as soon as the database sends them."""
        known = getattr(self.listing, "known_len", None)
        found = known() if known is not None else len(self)
        if found is not None:
            return found
        head = self.listing.head(WINDOW)  # type: ignore[attr-defined]
        self._window = (0, head)
        return len(head)

    def wait_count(self) -> RowView:
        """Wait for the count (off the UI thread); this view, for the screen to know which view it counted.
        Returns at once, count unknown, if `cancel_count` stopped it."""
        wait = getattr(self.listing, "wait_len", None)
        if wait is not None:
            wait()
        else:
            len(self.listing)
        return self

    def cancel_count(self) -> None:
        """The screen shows another view: a database stops counting this one's rows."""
        cancel = getattr(self.listing, "cancel", None)
        if cancel is not None:
            cancel()

    def _record(self, index: int) -> Record:
        start, records = self._window
        if not 0 <= index - start < len(records):
            start = max(0, index - WINDOW // 4)
            records = self.listing.window(start, start + WINDOW)
            self._window = (start, records)
        return records[index - start]

    def _row(self, record: Record) -> Row:
        key = record["id"] if isinstance(record, dict) else record.key  # type: ignore[attr-defined]
        row = self._built.get(key)
        if row is None:
            row = self._built[key] = self._safe_make(record)
        return row

    def _safe_make(self, record: Record) -> Row:
        try:
            return self.make(record)
        except UnreadableRecord as exc:
            return Row(record["id"], ("⚠ illisible", str(exc)), "", "warning")

    @overload
    def __getitem__(self, i: int) -> Row: ...

    @overload
    def __getitem__(self, i: slice) -> list[Row]: ...

    def __getitem__(self, i: int | slice) -> Row | list[Row]:
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self))
            if step != 1:
                return [self[j] for j in range(start, stop, step)]
            return [self._row(r) for r in self.listing.window(start, stop)]
        if i < 0:
            i += len(self)
        start, records = self._window
        if 0 <= i - start < len(records):  # on screen: no need of `len` (a database may still be counting)
            return self._row(records[i - start])
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._row(self._record(i))

    def __iter__(self) -> Iterator[Row]:
        for start in range(0, len(self), 500):
            for record in self.listing.window(start, start + 500):
                yield self._row(record)

    def keys(self) -> list[str]:
        return self.listing.ids()

    def index_of(self, key: str) -> int | None:
        """Where `key` is in this view. The rows on screen are looked at first: after a keystroke the cursor's
        row is most often among them, and a database listing answers from the page it fetched to show them
        instead of counting every row before that key (as long as the count of the filter itself)."""
        start, records = self._window
        if start != 0:
            start, records = 0, self.listing.window(0, WINDOW)
            self._window = (0, records)
        for n, record in enumerate(records):
            if (record["id"] if isinstance(record, dict) else record.key) == key:
                return n
        return self.listing.position(key) if len(records) == WINDOW else None

    def prepare(self) -> None:
        """Make the first keystroke quick (fold the search text), off the UI thread."""
        prepare = getattr(self.listing, "prepare", None)
        if prepare is not None:
            prepare()

    def filter(self, query: str) -> RowView:
        """Narrow to `query`; when it extends this view's query only this view's rows are scanned; an empty
        query shows the root again."""
        narrowed = self.listing.narrow(query)
        if narrowed is self.listing:
            return self
        return RowView(narrowed, self.make, root=self.root, built=self._built)


def rows_of(items: Sequence[Row]) -> RowView:
    """Wrap ready-made rows (small lists) in a view, searchable by their `hay`."""
    return RowView(MemoryListing(list(items), lambda r: r.hay), lambda r: r)  # type: ignore[arg-type, return-value]


def filter_rows(rows: Sequence[Row], query: str) -> Sequence[Row]:
    if isinstance(rows, RowView):
        return rows.filter(query)
    if not query.strip():
        return rows
    pred = matcher(query)
    return [r for r in rows if pred(r.hay)]
