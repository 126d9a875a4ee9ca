"""How a PostgreSQL listing fetches its pages: keyset from a known edge; an OFFSET only for a far jump, once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lsc_tui.store.postgres import PostgresStore
from lsc_tui.store.postgres.listing import PAGE, PgListing
from lsc_tui.store.protocol import ordered
from tests.contract.conftest import SPECS

N = PAGE * 12 + 37


@pytest.fixture
def store(pg_url: str) -> Iterator[PostgresStore]:
    opened = PostgresStore.open(pg_url, create=True, specs=SPECS)
    with opened.transaction() as tx:
        for i in range(N):
            tx.insert(
                "letters", {"status": "sent", "deposit_date": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}"}
            )
    yield opened
    opened.close()


def expected(store: PostgresStore) -> list[str]:
    spec = SPECS["letters"]
    return [r["id"] for r in ordered(store.select("letters"), spec.order, spec.computed)]


def test_scrolling_reads_each_page_once_by_keyset(store: PostgresStore) -> None:
    want = expected(store)
    listing = store.listing("letters")
    assert isinstance(listing, PgListing)
    for start in range(0, N, 50):
        assert [r["id"] for r in listing.window(start, start + 50)] == want[start : start + 50]
    assert listing.fetches == [("forward", 0)] * 13  # the first page read ahead, then each from the last edge


def test_a_far_jump_pays_one_offset_then_its_neighbours_are_keyset(store: PostgresStore) -> None:
    want = expected(store)
    listing = store.listing("letters")
    listing.window(0, 50)
    middle = PAGE * 6 + 10
    assert [r["id"] for r in listing.window(middle, middle + 50)] == want[middle : middle + 50]
    assert listing.fetches[-1] == ("forward", PAGE * 5)  # from the edge of page 0, not from the start
    listing.window(middle + PAGE, middle + PAGE + 10)
    listing.window(middle - PAGE, middle - PAGE + 10)
    assert listing.fetches[-2:] == [("forward", 0), ("backward", 0)]
    assert [r["id"] for r in listing.window(PAGE * 5, PAGE * 8)] == want[PAGE * 5 : PAGE * 8]


def test_the_end_of_the_list_is_read_backwards_without_offset(store: PostgresStore) -> None:
    want = expected(store)
    listing = store.listing("letters")
    assert [r["id"] for r in listing.window(N - 20, N)] == want[N - 20 :]
    assert listing.fetches == [("forward", 0), ("backward", 0)]  # the first page, read ahead, then the end
    assert [r["id"] for r in listing.window(N - PAGE - 100, N - PAGE)] == want[N - PAGE - 100 : N - PAGE]
    assert listing.fetches[-1] == ("backward", 0)
    assert listing.position(want[N - 300]) == N - 300


def test_the_same_listing_is_reused_until_the_table_changes(store: PostgresStore) -> None:
    first = store.listing("letters")
    assert store.listing("letters") is first
    assert store.listing("letters", {"status": ("sent",)}) is not first
    with store.transaction() as tx:
        tx.insert("letters", {"status": "draft"})
    again = store.listing("letters")
    assert again is not first and len(again) == N + 1
