"""A database listing shows its first rows without waiting for its count (a million rows: 0.1–0.5 s)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lsc_tui.services.listing import WINDOW, Row, RowView
from lsc_tui.store.postgres import PostgresStore
from lsc_tui.store.postgres.listing import PAGE, PgListing
from tests.contract.conftest import SPECS

N = PAGE + 40


@pytest.fixture
def store(pg_url: str) -> Iterator[PostgresStore]:
    opened = PostgresStore.open(pg_url, create=True, specs=SPECS)
    with opened.transaction() as tx:
        for i in range(N):
            tx.insert(
                "letters",
                {"subject": "Convocation", "deposit_date": f"2026-01-{1 + i % 28:02d}T{i % 24:02d}"},
            )
    yield opened
    opened.close()


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
