"""Listings on both backends: display order, windows anywhere, ids, positions, narrowing as people type."""

from __future__ import annotations

from typing import Any

import pytest

from lsc_tui.domain.search import fold
from lsc_tui.store import RecordStore
from lsc_tui.store.protocol import Listing, matches, ordered
from tests.contract.conftest import SPECS

FIRST = ("Élodie", "Zoé", "chloé", "Émile", "bob", "Anaïs", "Noël", "François")
LAST = ("Martin", "Lefèvre", "Durand", "Dubœuf", "Roux", "Ïle")


def party(i: int) -> dict[str, Any]:
    return {
        "name": f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]} {i:04d}",
        "email": f"p{i}@exemple.fr",
        "status": ("active", "draft", "archived")[i % 3],
        "kind": "person" if i % 4 else "company",
    }


def fill(store: RecordStore, n: int) -> list[dict[str, Any]]:
    with store.transaction() as tx:
        return [tx.insert("parties", party(i)) for i in range(n)]


def in_order(records: list[dict[str, Any]], where: dict[str, Any] | None = None) -> list[str]:
    spec = SPECS["parties"]
    return [r["id"] for r in ordered([r for r in records if matches(r, where)], spec.order, spec.computed)]


def searched(records: list[dict[str, Any]], text: str, where: dict[str, Any] | None = None) -> list[str]:
    words = fold(text).split()
    spec = SPECS["parties"]
    assert spec.search is not None
    by_id = {r["id"]: r for r in records}
    return [i for i in in_order(records, where) if all(w in fold(spec.search(by_id[i])) for w in words)]


def ids_of(rows: list[dict[str, Any]]) -> list[str]:
    return [r["id"] for r in rows]


def test_a_listing_is_in_display_order_and_windows_anywhere(any_store: RecordStore) -> None:
    records = fill(any_store, 700)
    expected = in_order(records)
    listing = any_store.listing("parties")
    assert isinstance(listing, Listing)
    assert len(listing) == 700
    for start, stop in [
        (0, 50),
        (650, 700),
        (300, 360),
        (190, 410),
        (0, 0),
        (690, 800),
        (399, 401),
        (0, 700),
    ]:
        assert ids_of(listing.window(start, stop)) == expected[start:stop], (start, stop)
    assert listing.ids() == expected
    for pos in (0, 1, 199, 200, 201, 523, 699):
        assert listing.position(expected[pos]) == pos
    assert listing.position("nobody") is None


def test_scrolling_down_then_up_page_by_page(any_store: RecordStore) -> None:
    records = fill(any_store, 650)
    expected = in_order(records)
    listing = any_store.listing("parties")
    starts = [*range(0, 650, 37), *range(649, -1, -41)]
    for start in starts:
        assert ids_of(listing.window(start, start + 40)) == expected[start : start + 40], start


def test_a_filtered_listing_holds_only_its_records(any_store: RecordStore) -> None:
    records = fill(any_store, 500)
    for where in ({"status": "active"}, {"status": ("draft", "archived"), "kind": "person"}):
        expected = in_order(records, where)
        listing = any_store.listing("parties", where)
        assert len(listing) == len(expected)
        assert ids_of(listing.window(0, len(expected))) == expected
        assert ids_of(listing.window(100, 130)) == expected[100:130]
        assert listing.position(expected[-1]) == len(expected) - 1
        outside = next(r["id"] for r in records if not matches(r, where))
        assert listing.position(outside) is None


@pytest.mark.parametrize(
    "text", ["elodie", "ÉLODIE martin", "boeuf", "DUBŒUF", "ile 00", "noel fran", "zzz", "0042"]
)
def test_narrow_keeps_records_containing_every_word_accents_and_case_ignored(
    any_store: RecordStore, text: str
) -> None:
    records = fill(any_store, 300)
    listing = any_store.listing("parties")
    narrowed = listing.narrow(text)
    expected = searched(records, text)
    assert len(narrowed) == len(expected)
    assert ids_of(narrowed.window(0, 300)) == expected
    assert narrowed.ids() == expected
    if expected:
        assert narrowed.position(expected[-1]) == len(expected) - 1


def test_narrowing_as_one_types_and_back_to_the_whole_list(any_store: RecordStore) -> None:
    records = fill(any_store, 300)
    where = {"status": "active"}
    root = any_store.listing("parties", where)
    view = root
    for typed in ("m", "ma", "mar", "mart", "martin", "martin 0", "martin 01"):
        view = view.narrow(typed)
        assert ids_of(view.window(0, 300)) == searched(records, typed, where), typed
    assert ids_of(view.narrow("").window(0, 300)) == in_order(records, where)
    assert len(view.narrow("   ")) == len(root)
    assert ids_of(view.narrow("chloe").window(0, 300)) == searched(records, "chloe", where)


def test_a_table_without_display_order_lists_in_insertion_order(any_store: RecordStore) -> None:
    with any_store.transaction() as tx:
        tx.insert("notes", {"text": "first"}, id="zeta")
        ids = [tx.insert("notes", {"text": str(i)})["id"] for i in range(3)]
        tx.insert("notes", {"text": "last"}, id="alpha")
    listing = any_store.listing("notes")
    assert listing.ids() == ["zeta", *ids, "alpha"]
    assert listing.narrow("first").ids() == []  # no search text declared: nothing matches a typed word


def test_order_with_two_directions_and_a_computed_field(any_store: RecordStore) -> None:
    spec = SPECS["events"]
    with any_store.transaction() as tx:
        records = [
            tx.insert(
                "events",
                {"date": f"2026-01-{1 + i % 7:02d}", "title": f"Évènement {i % 5}", "entity_id": "e"},
            )
            for i in range(450)
        ]
    expected = [r["id"] for r in ordered(records, spec.order, spec.computed)]
    listing = any_store.listing("events")
    for start in (0, 200, 410, 120, 395):
        assert ids_of(listing.window(start, start + 45)) == expected[start : start + 45]
    assert listing.position(expected[333]) == 333
    assert listing.ids() == expected

    with any_store.transaction() as tx:
        letters = [
            tx.insert(
                "letters",
                {"status": "sent", **({"deposit_date": f"2026-02-{i % 28 + 1:02d}"} if i % 3 else {})},
            )
            for i in range(90)
        ]
    lspec = SPECS["letters"]
    assert any_store.listing("letters").ids() == [
        r["id"] for r in ordered(letters, lspec.order, lspec.computed)
    ]


def test_a_new_listing_sees_later_writes(any_store: RecordStore) -> None:
    records = fill(any_store, 20)
    token = any_store.table_token("parties")
    assert len(any_store.listing("parties")) == 20
    with any_store.transaction() as tx:
        tx.delete("parties", records[0]["id"], expect_rev=1)
        added = tx.insert("parties", party(999))
    assert any_store.table_token("parties") != token
    listing = any_store.listing("parties")
    assert len(listing) == 20
    assert records[0]["id"] not in listing.ids() and added["id"] in listing.ids()


def test_narrow_takes_percent_and_underscore_literally(any_store: RecordStore) -> None:
    with any_store.transaction() as tx:
        kept = tx.insert("parties", {"name": "Remise 50% dossier_7", "status": "active"})
        tx.insert("parties", {"name": "Remise 500 dossierX7", "status": "active"})
    listing = any_store.listing("parties")
    assert listing.narrow("50%").ids() == [kept["id"]]
    assert listing.narrow("r_7").ids() == [kept["id"]]
    assert listing.narrow("%").ids() == [kept["id"]]
