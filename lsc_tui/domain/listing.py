"""An in-memory list in display order with filter-as-you-type: the embedded store's `Listing`.

At 100,000 records a keystroke must filter in ≤ 50 ms. The searchable text of each record is folded once
(lazily, off the UI thread by `prepare`) and shared by every narrowed view; typing more letters scans only
what the shorter query kept instead of everything. A view is a sorted list of item numbers, so finding where a
record sits in it (the cursor kept on its row after a keystroke) is a binary search, not a table of positions
built per keystroke (which cost 20–40 ms a key at 100,000 records).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from typing import Any

from lsc_tui.domain.search import fold


class _Shared:
    """What every view of one list shares: the items, their folded searchable text and where each key sits,
    each computed once."""

    def __init__(self, items: Sequence[Any], text: Callable[[Any], str] | None, folded: bool) -> None:
        self.items = items
        self.text = text
        self.ready = folded
        """`text` gives folded text already (the embedded store folds rows when it reads a shard)."""
        self.folded: list[str] | None = None
        self._slots: dict[str, int] | None = None

    def texts(self) -> list[str]:
        if self.folded is None:
            text = self.text
            if text is None:
                self.folded = [""] * len(self.items)
            elif self.ready:
                self.folded = [text(x) for x in self.items]
            else:
                self.folded = [fold(text(x)) for x in self.items]
        return self.folded

    def slots(self) -> dict[str, int]:
        """Key → item number."""
        if self._slots is None:
            self._slots = {_key(x): n for n, x in enumerate(self.items)}
        return self._slots


class MemoryListing:
    """Items (records with an "id", or any object with a `key`) in display order, or a subset of them."""

    def __init__(
        self,
        items: Sequence[Any],
        text: Callable[[Any], str] | None = None,
        *,
        folded: bool = False,
        _indexes: Sequence[int] | None = None,
        _query: str = "",
        _texts: _Shared | None = None,
        _root: MemoryListing | None = None,
    ) -> None:
        self.items = items
        self.indexes: Sequence[int] = range(len(items)) if _indexes is None else _indexes
        """Item numbers shown, ascending (display order is the items' order)."""
        self.query = _query
        self._texts = _texts or _Shared(items, text, folded)
        self.root: MemoryListing = _root if _root is not None else self
        self._ids: list[str] | None = None

    def __len__(self) -> int:
        return len(self.indexes)

    def window(self, start: int, stop: int) -> list[Any]:
        items = self.items
        return [items[i] for i in self.indexes[start:stop]]

    def item(self, index: int) -> Any:
        return self.items[self.indexes[index]]

    def ids(self) -> list[str]:
        if self._ids is None:
            items = self.items
            self._ids = [_key(items[i]) for i in self.indexes]
        return self._ids

    def position(self, record_id: str) -> int | None:
        slot = self._texts.slots().get(record_id)
        if slot is None:
            return None
        indexes = self.indexes
        at = bisect_left(indexes, slot)
        return at if at < len(indexes) and indexes[at] == slot else None

    def prepare(self) -> None:
        """Fold the searchable text and index the keys now (0.1–0.3 s per 100,000 records), off the UI
        thread, so that the first keystroke is quick."""
        self._texts.texts()
        self._texts.slots()

    def subset(self, predicate: Callable[[Any], bool]) -> MemoryListing:
        """A new root made of the items matching `predicate` (a status chosen on Accueil)."""
        items = self.items
        keep = [i for i in self.indexes if predicate(items[i])]
        view = MemoryListing(items, _indexes=keep, _texts=self._texts)
        view.root = view
        return view

    def narrow(self, text: str) -> MemoryListing:
        folded = fold(text).strip()
        root = self.root
        if not folded:
            return root
        base = self.indexes if self.query and folded.startswith(self.query) else root.indexes
        texts = self._texts.texts()
        kept: Sequence[int] = base
        # One tight pass per word, the longest (the most selective) first: no call per record.
        for word in sorted(set(folded.split()), key=len, reverse=True):
            if isinstance(kept, range) and len(kept) == len(texts):
                kept = [i for i, hay in enumerate(texts) if word in hay]
            else:
                kept = [i for i in kept if word in texts[i]]
        return MemoryListing(self.items, _indexes=kept, _query=folded, _texts=self._texts, _root=root)


def _key(item: Any) -> str:
    return item["id"] if isinstance(item, dict) else item.key
