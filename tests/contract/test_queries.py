"""select / count / count_by on both backends, checked against the protocol's in-memory meaning."""

from __future__ import annotations

from typing import Any

import pytest

from lsc_tui.store import RecordStore
from lsc_tui.store.protocol import matches, ordered
from tests.contract.conftest import SPECS

STATUSES = ("draft", "sent", "delivered", "refused")
NAMES = ("Élodie Martin", "bob Durand", "Zoé Lefèvre", "alice Roux", "Émile Petit", "Chloé Bernard")


def letters(n: int) -> list[dict[str, Any]]:
    return [
        {
            "recipient_name": NAMES[i % len(NAMES)],
            "subject": f"Appel de fonds n°{i}",
            "status": STATUSES[i % len(STATUSES)],
            "entity_id": f"ent-{i % 3}",
            **({"deposit_date": f"2026-0{1 + i % 9}-{10 + i % 17}"} if i % 5 else {}),
            **({"rank": i % 4} if i % 2 else {}),
        }
        for i in range(n)
    ]


@pytest.fixture
def filled(any_store: RecordStore) -> list[dict[str, Any]]:
    with any_store.transaction() as tx:
        return [tx.insert("letters", rec) for rec in letters(60)]


WHERES: list[dict[str, Any] | None] = [
    None,
    {},
    {"status": "sent"},
    {"status": ("sent", "refused")},
    {"status": ["draft"], "entity_id": "ent-1"},
    {"status": set()},
    {"status": "unknown"},
    {"rank": 1},  # not indexed: served from the JSON data
    {"rank": None},  # missing fields equal None
    {"rank": (0, 3)},
    {"deposit_sort": "9999"},  # a computed field
]


@pytest.mark.parametrize("where", WHERES)
def test_select_and_count_match_the_in_memory_meaning(
    any_store: RecordStore, filled: list[dict[str, Any]], where: dict[str, Any] | None
) -> None:
    computed = SPECS["letters"].computed
    expected = ordered([r for r in filled if matches(r, where, computed)], (), computed)
    assert any_store.select("letters", where) == expected
    assert any_store.count("letters", where) == len(expected)
    with any_store.transaction() as tx:
        assert tx.count("letters", where) == len(expected)


ORDERS: list[tuple[tuple[str, bool], ...]] = [
    (),
    (("recipient_name", False),),
    (("recipient_name", True),),
    (("status", False), ("recipient_name", True)),
    (("status", True), ("deposit_date", False)),
    (("deposit_sort", True),),  # computed, with its own column
    (("rank", False),),  # missing values sort as ""
]


@pytest.mark.parametrize("order", ORDERS)
def test_select_orders_as_the_protocol_says(
    any_store: RecordStore, filled: list[dict[str, Any]], order: tuple[tuple[str, bool], ...]
) -> None:
    computed = SPECS["letters"].computed
    expected = ordered(filled, order, computed)
    assert [r["id"] for r in any_store.select("letters", order=order)] == [r["id"] for r in expected]
    assert (
        any_store.select("letters", {"status": "sent"}, order=order, limit=3)
        == [r for r in expected if r["status"] == "sent"][:3]
    )
    assert any_store.select("letters", order=order, limit=0) == []


def test_count_by_groups_like_the_records_say(any_store: RecordStore, filled: list[dict[str, Any]]) -> None:
    def tally(field: str, where: dict[str, Any] | None = None) -> dict[Any, int]:
        out: dict[Any, int] = {}
        for r in filled:
            if matches(r, where):
                out[r.get(field)] = out.get(r.get(field), 0) + 1
        return out

    assert any_store.count_by("letters", "status") == tally("status")
    assert any_store.count_by("letters", "status", {"entity_id": "ent-2"}) == tally(
        "status", {"entity_id": "ent-2"}
    )
    assert any_store.count_by("letters", "rank") == tally("rank")  # None counts the records without it
    assert sum(any_store.count_by("letters", "entity_id").values()) == 60


def test_reads_of_a_table_nobody_wrote_are_empty(any_store: RecordStore) -> None:
    assert any_store.select("nothing_yet") == []
    assert any_store.count("nothing_yet") == 0
    assert any_store.count_by("nothing_yet", "status") == {}
    listing = any_store.listing("nothing_yet")
    assert len(listing) == 0 and listing.window(0, 10) == [] and listing.ids() == []


def test_counts_follow_updates_and_deletes(any_store: RecordStore, filled: list[dict[str, Any]]) -> None:
    first, second = filled[0], filled[1]
    with any_store.transaction() as tx:
        tx.update("letters", first["id"], {"status": "refused"}, expect_rev=1)
        tx.delete("letters", second["id"], expect_rev=1)
    by_status = any_store.count_by("letters", "status")
    assert by_status["draft"] == 14 and by_status["sent"] == 14 and by_status["refused"] == 16
    assert any_store.count("letters") == 59
    assert [r["id"] for r in any_store.select("letters", {"status": "refused"}, limit=1)] == [first["id"]]
