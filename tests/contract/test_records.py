"""Records on both backends: ids, revisions, merges, conflicts, private copies, refusals."""

from __future__ import annotations

import contextlib
import re
from datetime import datetime

import pytest

from lsc_tui.store import ANY_REV, Conflict, NotFoundError, RecordStore

GENERATED = re.compile(r"^\d{4,}-\d{6,}$")


def test_insert_generates_ids_of_the_reserved_shape_and_revision_one(any_store: RecordStore) -> None:
    with any_store.transaction() as tx:
        a = tx.insert("notes", {"text": "un"})
        b = tx.insert("notes", {"text": "deux", "_rev": 7})
    assert GENERATED.match(a["id"]) and GENERATED.match(b["id"])
    assert a["id"] < b["id"]
    assert a == {"id": a["id"], "text": "un", "_rev": 1}
    assert any_store.get("notes", b["id"]) == {"id": b["id"], "text": "deux", "_rev": 1}


def test_caller_chosen_ids_are_kept_but_never_of_the_generated_shape(any_store: RecordStore) -> None:
    with any_store.transaction() as tx:
        tx.insert("notes", {"text": "a"}, id="admin")
        tx.insert("notes", {"id": "settings", "text": "b"})
        with pytest.raises(ValueError, match="reserved"):
            tx.insert("notes", {"text": "c"}, id="0001-000001")
        with pytest.raises(ValueError, match="two different ids"):
            tx.insert("notes", {"id": "x", "text": "d"}, id="y")
        with pytest.raises(ValueError):
            tx.insert("notes", {"text": "e"}, id="")
    assert any_store.get("notes", "admin") == {"id": "admin", "text": "a", "_rev": 1}
    assert any_store.get("notes", "settings")["text"] == "b"  # type: ignore[index]
    assert any_store.count("notes") == 2


def test_a_taken_id_is_a_conflict_and_the_transaction_goes_on(any_store: RecordStore) -> None:
    with any_store.transaction() as tx:
        tx.insert("notes", {"text": "a"}, id="admin")
    with any_store.transaction() as tx:
        with pytest.raises(Conflict, match="existe déjà"):
            tx.insert("notes", {"text": "b"}, id="admin")
        tx.insert("notes", {"text": "c"}, id="other")
    assert any_store.get("notes", "admin")["text"] == "a"  # type: ignore[index]
    assert any_store.get("notes", "other")["text"] == "c"  # type: ignore[index]


def test_update_merges_top_level_keys_and_bumps_the_revision(any_store: RecordStore) -> None:
    with any_store.transaction() as tx:
        rec = tx.insert("parties", {"name": "Élodie Martin", "status": "draft", "tags": ["a"], "n": 1})
    with any_store.transaction() as tx:
        new = tx.update("parties", rec["id"], {"status": "active", "tags": ["b"]}, expect_rev=1)
    assert new == {
        "id": rec["id"],
        "name": "Élodie Martin",
        "status": "active",
        "tags": ["b"],
        "n": 1,
        "_rev": 2,
    }
    assert any_store.get("parties", rec["id"]) == new
    with any_store.transaction() as tx:
        with pytest.raises(ValueError, match="id"):
            tx.update("parties", rec["id"], {"id": "other"}, expect_rev=2)
        assert (
            tx.update("parties", rec["id"], {"id": rec["id"], "_rev": 99, "n": 2}, expect_rev=2)["_rev"] == 3
        )


def test_replace_drops_the_keys_not_given(any_store: RecordStore) -> None:
    with any_store.transaction() as tx:
        rec = tx.insert("notes", {"text": "a", "extra": True})
    with any_store.transaction() as tx:
        new = tx.replace("notes", {"id": rec["id"], "text": "b", "_rev": 1}, expect_rev=1)
        with pytest.raises(ValueError):
            tx.replace("notes", {"text": "no id"}, expect_rev=1)
    assert new == {"id": rec["id"], "text": "b", "_rev": 2}
    assert any_store.get("notes", rec["id"]) == new


def test_a_stale_revision_is_a_conflict_and_any_rev_merges(any_store: RecordStore) -> None:
    with any_store.transaction() as tx:
        rec = tx.insert("notes", {"text": "a"})
        tx.update("notes", rec["id"], {"text": "b"}, expect_rev=1)
    with any_store.transaction() as tx, pytest.raises(Conflict, match="version 2 enregistrée, 1 lue"):
        tx.update("notes", rec["id"], {"text": "stale"}, expect_rev=1)
    with any_store.transaction() as tx:
        for bad in (True, "2", None):
            with pytest.raises(TypeError):
                tx.update("notes", rec["id"], {"text": "x"}, expect_rev=bad)  # type: ignore[arg-type]
        with pytest.raises(Conflict):
            tx.delete("notes", rec["id"], expect_rev=1)
        merged = tx.update("notes", rec["id"], {"webhook": "signed"}, expect_rev=ANY_REV)
    assert merged == {"id": rec["id"], "text": "b", "webhook": "signed", "_rev": 3}


def test_missing_records_are_not_found(any_store: RecordStore) -> None:
    assert any_store.get("notes", "nobody") is None
    assert any_store.get("notes", "0001-000001") is None
    with any_store.transaction() as tx:
        rec = tx.insert("notes", {"text": "a"})
        for action in (
            lambda: tx.update("notes", "nobody", {"x": 1}, expect_rev=1),
            lambda: tx.replace("notes", {"id": "nobody"}, expect_rev=ANY_REV),
            lambda: tx.delete("notes", "nobody", expect_rev=ANY_REV),
            lambda: tx.update("never_written", "nobody", {"x": 1}, expect_rev=ANY_REV),
        ):
            with pytest.raises(NotFoundError, match="n'existe pas"):
                action()
    with any_store.transaction() as tx:
        tx.delete("notes", rec["id"], expect_rev=1)
    assert any_store.get("notes", rec["id"]) is None
    with any_store.transaction() as tx, pytest.raises(NotFoundError):
        tx.update("notes", rec["id"], {"x": 1}, expect_rev=ANY_REV)


def test_get_many_keeps_the_callers_order_and_skips_the_missing(any_store: RecordStore) -> None:
    with any_store.transaction() as tx:
        ids = [tx.insert("notes", {"n": i})["id"] for i in range(3)]
    found = any_store.get_many("notes", [ids[2], "nobody", ids[0]])
    assert list(found) == [ids[2], ids[0]]
    assert found[ids[0]]["n"] == 0
    assert any_store.get_many("never_written", ids) == {}


def test_records_read_are_private_copies(any_store: RecordStore) -> None:
    """Changing what a read returned never changes what the store holds. `get` hands out deep copies; lists
    (select, listing windows) may hand out shared records that refuse top-level changes instead (the embedded
    store's cached rows: their nested values are the caller's to leave alone)."""
    with any_store.transaction() as tx:
        written = tx.insert("parties", {"name": "Alice", "status": "active", "tags": ["a"]})
        written["tags"].append("changed-after-insert")
    stored = {"id": written["id"], "name": "Alice", "status": "active", "tags": ["a"], "_rev": 1}
    deep = [
        any_store.get("parties", written["id"]),
        any_store.get_many("parties", [written["id"]])[written["id"]],
    ]
    shallow = [any_store.select("parties")[0], any_store.listing("parties").window(0, 1)[0]]
    for rec in deep + shallow:
        assert rec is not None
        with contextlib.suppress(TypeError):
            rec["name"] = "Mallory"
        if any(rec is d for d in deep):
            rec["tags"].append("x")
        assert any_store.get("parties", written["id"]) == stored
    assert any_store.select("parties") == [stored]


def test_only_plain_json_is_stored(any_store: RecordStore) -> None:
    with any_store.transaction() as tx:
        with pytest.raises(TypeError):
            tx.insert("notes", {"when": datetime(2026, 1, 1)})
        with pytest.raises(TypeError):
            tx.insert("notes", ["not", "a", "dict"])  # type: ignore[arg-type]
        rec = tx.insert("notes", {"nested": {"a": [1, 2.5, None, True, "é"]}, "big": 2**53})
    assert any_store.get("notes", rec["id"]) == rec


def test_invalid_table_names_are_refused(any_store: RecordStore) -> None:
    with any_store.transaction() as tx:
        for name in ("Notes", "../x", "", "a b"):
            with pytest.raises(ValueError):
                tx.insert(name, {"x": 1})
