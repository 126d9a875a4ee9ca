"""A list whose count comes late (PostgreSQL counting a million rows) shows its first rows at once, says « … »
for the count, and scrolls to the end once the count has come."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from textual.widgets import Static

from lsc_tui.domain.listing import MemoryListing
from lsc_tui.services.listing import Row, RowView
from lsc_tui.store import RecordStore as Store
from lsc_tui.tui.app import create_app
from lsc_tui.tui.screens.events import EventsScreen
from lsc_tui.tui.widgets.record_list import RecordList
from tests.fixtures import context
from tests.tui.helpers import settle

SIZE = (120, 40)
RECORDS = [
    {"id": f"e{i:03d}", "title": f"Convocation lot {i}" if i % 2 else f"Bail lot {i}"} for i in range(300)
]


class CountedLater(MemoryListing):
    """Knows its first rows at once and its count only once `counted` is set, as a database listing does."""

    def __init__(self, items: Any, counted: threading.Event, **kwargs: Any) -> None:
        super().__init__(items, lambda r: r["title"], **kwargs)
        self.counted = counted

    def known_len(self) -> int | None:
        return len(self.indexes) if self.counted.is_set() else None

    def head(self, count: int) -> list[Any]:
        return self.window(0, count)

    def __len__(self) -> int:
        # on the UI thread this would freeze the screen: the list never asks it before the count has come
        assert self.counted.is_set() or threading.current_thread() is not threading.main_thread()
        self.counted.wait(10)
        return len(self.indexes)

    def narrow(self, text: str) -> CountedLater:
        narrowed = super().narrow(text)
        return CountedLater(self.items, self.counted, _indexes=narrowed.indexes, _root=self.root)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    gate = threading.Event()
    listing = CountedLater(RECORDS, gate)
    rows = RowView(listing, lambda r: Row(r["id"], ("", "", r["title"])))
    monkeypatch.setattr(EventsScreen, "ROWS", staticmethod(lambda ctx: rows))
    return gate


async def test_first_rows_before_the_count(store: Store, counted: threading.Event) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        for _ in range(3):
            await pilot.pause()
        records = app.screen.query_one(RecordList)
        status = app.screen.query_one("#status", Static)
        assert records.current_key == "e000" and records.count == 64
        assert str(status.content).startswith("… / …")
        await pilot.press("slash", *"convoc")
        for _ in range(3):
            await pilot.pause()
        assert records.current_key == "e001" and records.count == 64
        counted.set()
        await settle(pilot)
        assert records.count == 150 and str(status.content).startswith("150 / 300")
        await pilot.press("enter", "end")
        assert records.current_key == "e299"
