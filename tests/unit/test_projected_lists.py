"""A table with `listed` fields keeps only those in memory: every read still answers as with whole records.

Two embedded stores get the same writes, one with the spec keeping whole records, one keeping rows of the
listed fields; every read is compared between them, across writes, with more shards than are kept whole.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from lsc_tui.store import ANY_REV, EmbeddedStore
from lsc_tui.store.repositories.base import folded_text
from lsc_tui.store.tables import TableSpec

WHOLE = TableSpec(
    "events",
    indexed=("state", "entity_id"),
    order=(("date", True),),
    computed={"date": lambda r: r.get("chrono_date") or r.get("created_at") or ""},
    search=folded_text(lambda r: r.get("title"), lambda r: r.get("party_names") or []),
)
LISTED = dataclasses.replace(WHOLE, listed=("title", "party_names", "state"))


def event(i: int) -> dict[str, Any]:
    return {
        "title": f"Bail Résidence n°{i}",
        "state": "draft" if i % 3 else "filed",
        "entity_id": f"E{i % 4}",
        "created_at": f"2026-01-{i % 28 + 1:02d}T10:00:00",
        "party_names": ["MOREAU Léa", f"FONTAINE {i}"],
        "body": "Madame, Monsieur, " * 20,
        "parties": [{"party_id": f"P{i}", "role": "tenant"}],
    }


@pytest.fixture
def pair(tmp_path: Path) -> tuple[EmbeddedStore, EmbeddedStore]:
    stores = (
        EmbeddedStore.open(tmp_path / "whole", create=True, shard_size=10, specs={"events": WHOLE}),
        EmbeddedStore.open(tmp_path / "listed", create=True, shard_size=10, specs={"events": LISTED}),
    )
    for store in stores:
        with store.transaction() as tx:
            for i in range(120):
                tx.insert("events", event(i))
            tx.insert("events", {**event(500), "title": "Mandat choisi"}, id="mandat")
    return stores


def reads(store: EmbeddedStore) -> dict[str, Any]:
    listing = store.listing("events")
    narrowed = listing.narrow("residence fontaine 1")
    with store.transaction() as tx:
        in_tx = (
            tx.count("events", {"state": "filed"}),
            [r["id"] for r in tx.select("events", {"entity_id": "E1"})],
        )
        in_tx_whole = tx.count("events", {"body": "x"})
    return {
        "ids": listing.ids(),
        "rows": [
            (r["id"], r["title"], list(r.get("party_names")), r.get("state")) for r in listing.window(0, 200)
        ],
        "narrowed": narrowed.ids(),
        "position": narrowed.position(narrowed.ids()[3]),
        "draft": store.listing("events", {"state": "draft"}).ids(),
        "select": store.select("events", {"state": "filed"}, order=(("title", False),)),
        "select_other_field": store.select("events", {"title": "Mandat choisi"}),
        "select_unlisted": store.select("events", {"created_at": "2026-01-05T10:00:00"}),
        "listing_unlisted": store.listing("events", {"created_at": "2026-01-05T10:00:00"}).ids(),
        "count": store.count("events", {"entity_id": ["E1", "E2"]}),
        "count_by": store.count_by("events", "entity_id", {"state": "draft"}),
        "count_by_other": store.count_by("events", "created_at"),
        "get": store.get("events", "0005-000003"),
        "custom": store.get("events", "mandat"),
        "tx": in_tx,
        "tx_whole": in_tx_whole,
    }


def test_every_read_answers_as_with_whole_records(pair: tuple[EmbeddedStore, EmbeddedStore]) -> None:
    whole, listed = pair
    assert reads(listed) == reads(whole)
    for store in pair:
        with store.transaction() as tx:
            tx.update(
                "events", "0003-000002", {"title": "Renommé Fontaine", "state": "filed"}, expect_rev=ANY_REV
            )
            tx.delete("events", "0007-000001", expect_rev=ANY_REV)
            tx.update("events", "mandat", {"state": "filed"}, expect_rev=ANY_REV)
            tx.insert("events", event(900))
    assert reads(listed) == reads(whole)


def test_rows_read_like_records_and_only_a_few_shards_stay_whole(
    pair: tuple[EmbeddedStore, EmbeddedStore],
) -> None:
    _whole, listed = pair
    row = listed.listing("events").window(0, 1)[0]
    assert row["title"].startswith("Bail") and row.get("body") is None and "body" not in dict(row)
    with pytest.raises(KeyError):
        row["body"]
    cache = listed._caches["events"]
    assert len(cache.views) == 13 and len(cache.shards) <= cache.KEEP_WHOLE


def test_a_write_refreshes_only_its_shard_rows(pair: tuple[EmbeddedStore, EmbeddedStore]) -> None:
    _whole, listed = pair
    listed.listing("events")
    views = dict(listed._caches["events"].views)
    with listed.transaction() as tx:
        tx.update("events", "0004-000005", {"title": "Nouveau titre"}, expect_rev=ANY_REV)
    assert "Nouveau titre" in [r["title"] for r in listed.listing("events").window(0, 200)]
    after = listed._caches["events"].views
    assert [n for n in views if after[n][1] is not views[n][1]] == [4]
