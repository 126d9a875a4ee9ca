"""A database listing shows its first rows without waiting for its count (a million rows: 0.1–0.5 s)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import TimeoutError as FutureTimeout

import pytest

from lsc_tui.services.listing import WINDOW, Row, RowView
from lsc_tui.store.postgres import PostgresStore
from lsc_tui.store.postgres.listing import PAGE, PgListing
from tests.postgres.letters_store import letters_store

N = PAGE + 40


@pytest.fixture
def store(pg_url: str) -> Iterator[PostgresStore]:
    yield from letters_store(
        pg_url,
        N,
        lambda i: {"subject": "Convocation", "deposit_date": f"2026-01-{1 + i % 28:02d}T{i % 24:02d}"},
    )


def test_first_rows_come_before_the_count_and_are_not_read_twice(store: PostgresStore) -> None:
    whole = store.listing("letters").window(0, N)
    layout = store.layout("letters")
    listing = PgListing(store, layout, None)  # no count started: it is not known until someone waits
    view = RowView(listing, lambda r: Row(r["id"], (r["deposit_date"],)))
    assert not view.count_ready() and listing.known_len() is None
    assert view.count_now() == WINDOW
    assert [view[i].key for i in range(WINDOW)] == [r["id"] for r in whole[:WINDOW]]
    assert listing.known_len() is None  # showing the first rows did not wait for the count
    assert view.wait_count() is view and view.count_ready() and view.count_now() == N
    assert [r["id"] for r in listing.window(0, N)] == [r["id"] for r in whole]
    assert listing.fetches == [("forward", 0), ("forward", 0)]  # the first page once, then the second


def test_a_narrowed_listing_counts_in_the_background(store: PostgresStore) -> None:
    narrowed = store.listing("letters").narrow("convoc")
    view = RowView(narrowed, lambda r: Row(r["id"], ()))
    assert view.wait_count().count_now() == N and narrowed.known_len() == N


def test_a_cancelled_count_gives_up_and_len_counts_again(store: PostgresStore) -> None:
    listing = PgListing(store, store.layout("letters"), None)
    listing.cancel()
    assert listing.wait_len() is None and listing.known_len() is None
    view = RowView(listing, lambda r: Row(r["id"], ()))
    assert view.wait_count() is view and not view.count_ready()
    assert len(listing) == N and listing.known_len() == N  # asked anyway: counted again
    listing.cancel()
    assert listing.wait_len() == N  # a count already made stays


def test_a_filter_left_before_typing_pauses_is_never_counted(
    store: PostgresStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fast typing: a keystroke's narrowed listing shows its first rows at once but counts only once typing
    paused; dropped for the next keystroke before that, it never counts (no count of an intermediate word runs
    beside the next keystroke's first page)."""
    from lsc_tui.store.postgres import listing as pg_listing
    from lsc_tui.store.postgres import queries

    counted: list[tuple[str, ...]] = []
    count = queries.count
    monkeypatch.setattr(queries, "count", lambda conn, layout, where, words=(): counted.append(tuple(words))
                        or count(conn, layout, where, words))  # fmt: skip
    root = store.listing("letters")
    assert root.wait_len() == N  # the whole list counts at once
    monkeypatch.setattr(pg_listing, "COUNT_AFTER_S", 60.0)
    typing = root.narrow("co")
    assert typing.head(3)  # its first rows are shown
    counting = typing._counting
    assert counting is not None
    with pytest.raises(FutureTimeout):
        counting.result(timeout=1.0)  # a bound, not a sleep: the count is still waiting for a pause
    typing.cancel()  # the next keystroke
    assert typing.wait_len() is None and counting.result(timeout=5.0) is None
    monkeypatch.setattr(pg_listing, "COUNT_AFTER_S", 0.0)
    paused = root.narrow("con")
    assert paused.wait_len() == N
    assert counted == [(), ("con",)]
