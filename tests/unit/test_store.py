"""The store on real files in a temp dir: records, revisions, transactions, shards, damage and odd directories.

Several `Store` objects on one directory stand in for several processes here (each has its own cache); the
tests with real processes are in tests/integration/test_store_processes.py.
"""

from __future__ import annotations

import copy
import os
import stat
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from tinydb import TinyDB

from lsc_tui.store import (
    Conflict,
    CorruptFileError,
    NotFoundError,
    OrjsonStorage,
    Store,
    StoreError,
    migrations,
)
from lsc_tui.store import db as store_db


def party(i: int) -> dict[str, Any]:
    return {"name": f"Tiers {i:03d}", "status": "active" if i % 2 else "draft", "rank": i, "tags": ["a", "b"]}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(root: Path) -> Store:
    return Store.open(root, shard_size=10)


def shard_files(root: Path, table: str) -> list[Path]:
    return sorted(p for p in (root / "tables" / table).glob("[0-9]*.json"))


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file() and p.name != ".lock"
    }


# ------------------------------------------------------------------------------------------------ records


def test_insert_get_update_delete_roundtrip(store: Store) -> None:
    with store.transaction() as tx:
        saved = tx.insert("parties", party(1))
    assert saved["_rev"] == 1 and isinstance(saved["id"], str)
    assert store.get("parties", saved["id"]) == saved

    with store.transaction() as tx:
        updated = tx.update("parties", saved["id"], {"status": "archived"}, expect_rev=1)
    assert updated["_rev"] == 2 and updated["status"] == "archived" and updated["name"] == saved["name"]
    assert store.get("parties", saved["id"]) == updated

    with store.transaction() as tx:
        tx.delete("parties", saved["id"], expect_rev=2)
    assert store.get("parties", saved["id"]) is None
    assert store.count("parties") == 0


def test_returned_records_are_copies(store: Store) -> None:
    with store.transaction() as tx:
        saved = tx.insert("parties", party(1))
    saved["tags"].append("mutated")
    got = store.get("parties", saved["id"])
    assert got is not None
    got["tags"].append("mutated")
    got["name"] = "changed"
    assert store.get("parties", saved["id"]) == {**party(1), "id": saved["id"], "_rev": 1}


def test_listed_records_are_shared_and_refuse_changes(store: Store) -> None:
    with store.transaction() as tx:
        tx.insert("parties", party(1))
    listed = store.all("parties")[0]
    assert isinstance(listed, dict) and listed["name"] == "Tiers 001"
    for change in (
        lambda: listed.__setitem__("name", "x"),
        lambda: listed.update(name="x"),
        lambda: listed.pop("name"),
        lambda: listed.setdefault("new", 1),
    ):
        with pytest.raises(TypeError, match="read-only"):
            change()
    mine = dict(listed)
    mine["name"] = "x"
    assert copy.deepcopy(listed) == listed and type(copy.deepcopy(listed)) is dict
    assert orjson.loads(orjson.dumps(listed)) == listed
    assert store.find("parties", lambda r: True)[0]["name"] == "Tiers 001"


def test_ids_are_unique_and_never_reused_after_delete(store: Store) -> None:
    with store.transaction() as tx:
        first = tx.insert_many("parties", [party(i) for i in range(25)])
    ids = [r["id"] for r in first]
    assert len(set(ids)) == 25
    with store.transaction() as tx:
        tx.delete("parties", ids[-1])
    with store.transaction() as tx:
        again = tx.insert("parties", party(99))
    assert again["id"] not in ids


def test_caller_chosen_ids(store: Store) -> None:
    with store.transaction() as tx:
        tx.insert("entities", {"name": "Résidence A"}, id="ENT-A")
        tx.insert_many("entities", [{"id": f"ENT-{i}", "name": f"R{i}"} for i in range(30)])
    assert store.get("entities", "ENT-A") == {"id": "ENT-A", "name": "Résidence A", "_rev": 1}
    assert store.get("entities", "ENT-29")["name"] == "R29"  # type: ignore[index]
    other = Store.open(store.root)  # a cold cache finds them through the shards' id maps
    assert other.get("entities", "ENT-17")["name"] == "R17"  # type: ignore[index]
    with pytest.raises(Conflict, match="ENT-A"), other.transaction() as tx:
        tx.insert("entities", {"name": "doublon"}, id="ENT-A")
    with other.transaction() as tx:
        tx.update("entities", "ENT-17", {"name": "R17 bis"})
        tx.delete("entities", "ENT-A")
        assert tx.get("entities", "ENT-A") is None
    assert store.get("entities", "ENT-17")["name"] == "R17 bis"  # type: ignore[index]
    assert store.get("entities", "ENT-A") is None
    with pytest.raises(ValueError, match="reserved"), store.transaction() as tx:
        tx.insert("entities", {"name": "x"}, id="0001-000001")


def test_update_merges_and_replace_drops_keys(store: Store) -> None:
    with store.transaction() as tx:
        rec = tx.insert("parties", party(1))
    with store.transaction() as tx:
        merged = tx.update("parties", rec["id"], {"email": "a@b.fr"})
    assert merged["name"] == rec["name"] and merged["email"] == "a@b.fr" and merged["_rev"] == 2
    with store.transaction() as tx:
        replaced = tx.replace("parties", {"id": rec["id"], "_rev": 2, "name": "Seul"})
    assert replaced == {"id": rec["id"], "name": "Seul", "_rev": 3}
    assert list(replaced) == ["id", "name", "_rev"]


def test_stale_revision_raises_conflict_and_writes_nothing(store: Store) -> None:
    with store.transaction() as tx:
        rec = tx.insert("parties", party(1))
    other = Store.open(store.root)
    with other.transaction() as tx:
        tx.update("parties", rec["id"], {"name": "saved first"}, expect_rev=1)
    before = snapshot(store.root)
    with (
        pytest.raises(Conflict, match=r"modifié par un autre utilisateur.*0001\.json"),
        store.transaction() as tx,
    ):
        tx.insert("audit", {"action": "x"})
        tx.update("parties", rec["id"], {"name": "too late"}, expect_rev=1)
    assert snapshot(store.root) == before
    # a record read earlier and saved back whole carries its own _rev: the stale copy is refused too
    with pytest.raises(Conflict), store.transaction() as tx:
        tx.replace("parties", {**rec, "name": "stale"})
    with pytest.raises(Conflict), store.transaction() as tx:
        tx.delete("parties", rec["id"], expect_rev=1)
    assert store.get("parties", rec["id"])["name"] == "saved first"  # type: ignore[index]


def test_missing_record_raises_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError, match="0001-000042"), store.transaction() as tx:
        tx.update("parties", "0001-000042", {"x": 1})
    with pytest.raises(NotFoundError, match="nope"), store.transaction() as tx:
        tx.delete("parties", "nope")
    assert store.get("parties", "nope") is None
    assert store.get("parties", "0007-000001") is None


def test_find_count_all_page(store: Store) -> None:
    with store.transaction() as tx:
        tx.insert_many("parties", [party(i) for i in range(45)])
    assert len(store.all("parties")) == 45
    assert store.count("parties") == 45
    assert store.count("parties", lambda r: r["status"] == "active") == 22
    assert [r["rank"] for r in store.find("parties", lambda r: r["rank"] < 3)] == [0, 1, 2]
    rows, total = store.page(
        "parties",
        pred=lambda r: r["status"] == "draft",
        key=lambda r: r["rank"],
        reverse=True,
        offset=2,
        limit=3,
    )
    assert total == 23 and [r["rank"] for r in rows] == [40, 38, 36]
    rows, total = store.page("parties", offset=40)
    assert total == 45 and [r["rank"] for r in rows] == [40, 41, 42, 43, 44]  # insertion order by default
    assert store.all("nothing_yet") == [] and store.count("nothing_yet") == 0
    assert store.page("nothing_yet") == ([], 0)


def test_records_must_be_plain_json(store: Store) -> None:
    with pytest.raises(TypeError, match="plain JSON"), store.transaction() as tx:
        tx.insert("parties", {"at": datetime(2026, 1, 1)})
    with pytest.raises(ValueError, match="table name"):
        store.all("../etc")


# ----------------------------------------------------------------------------------------- transactions


def test_exception_rolls_back_everything(store: Store) -> None:
    with store.transaction() as tx:
        kept = tx.insert("parties", party(1))
    before = snapshot(store.root)
    with pytest.raises(RuntimeError, match="boom"), store.transaction() as tx:
        tx.insert_many("parties", [party(i) for i in range(30)])
        tx.update("parties", kept["id"], {"name": "changed"})
        tx.insert("audit", {"action": "x"})
        assert tx.get("parties", kept["id"])["name"] == "changed"  # type: ignore[index]
        raise RuntimeError("boom")
    assert snapshot(store.root) == before
    assert store.count("parties") == 1 and store.get("parties", kept["id"]) == kept
    assert Store.open(store.root).count("parties") == 1


def test_transaction_sees_its_own_writes_others_do_not(store: Store) -> None:
    with store.transaction() as tx:
        rec = tx.insert("parties", party(1))
        assert tx.get("parties", rec["id"]) == rec
        assert store.get("parties", rec["id"]) is None  # not committed yet
    assert store.get("parties", rec["id"]) == rec


def test_nested_transaction_joins_and_a_caught_inner_failure_aborts_the_outer(store: Store) -> None:
    with store.transaction() as outer:
        with store.transaction() as inner:
            assert inner is outer
            inner.insert("parties", party(1))
        outer.insert("parties", party(2))
    assert store.count("parties") == 2

    before = snapshot(store.root)
    with pytest.raises(StoreError, match="rien n'a été enregistré"), store.transaction() as outer:
        outer.insert("parties", party(3))
        try:
            with store.transaction() as inner:
                inner.insert("parties", party(4))
                raise ValueError("inner step failed")
        except ValueError:
            pass
    assert snapshot(store.root) == before


def test_closed_transaction_refuses_writes(store: Store) -> None:
    with store.transaction() as tx:
        pass
    with pytest.raises(RuntimeError, match="closed"):
        tx.insert("parties", party(1))


def test_threads_share_one_store(store: Store) -> None:
    def worker(n: int) -> None:
        for i in range(25):
            with store.transaction() as tx:
                tx.insert("parties", party(n * 100 + i))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = [r["id"] for r in store.all("parties")]
    assert len(ids) == len(set(ids)) == 100


# ------------------------------------------------------------------------------------------------ shards


def test_a_write_touches_one_bounded_file(store: Store) -> None:
    with store.transaction() as tx:
        recs = tx.insert_many("parties", [party(i) for i in range(35)])
    files = shard_files(store.root, "parties")
    assert [f.name for f in files] == ["0001.json", "0002.json", "0003.json", "0004.json"]
    for f in files:
        assert len(orjson.loads(f.read_bytes())["_default"]) <= 10
    stamps = {f.name: f.stat().st_mtime_ns for f in files}
    with store.transaction() as tx:
        tx.update("parties", recs[15]["id"], {"name": "changed"})
    changed = [f.name for f in files if f.stat().st_mtime_ns != stamps[f.name]]
    assert changed == ["0002.json"]
    assert not (store.root / "commit.json").exists()


def test_shards_are_tinydb_databases(store: Store) -> None:
    with store.transaction() as tx:
        tx.insert_many("parties", [party(i) for i in range(5)])
    db = TinyDB(shard_files(store.root, "parties")[0], storage=OrjsonStorage)
    assert [d["rank"] for d in db.all()] == [0, 1, 2, 3, 4]
    assert db.get(doc_id=3)["id"] == "0001-000003"  # type: ignore[index]


def test_files_are_private(store: Store) -> None:
    with store.transaction() as tx:
        tx.insert("parties", party(1))
        tx.next_sequence("chrono-2026")
    with store.transaction() as tx:
        tx.insert("parties", party(2))
    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700
    files = [p for p in store.root.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"store.json", ".lock", "sequences.json", "0001.json", "0001.json.bak"}
    for p in files:
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
    for d in [store.root / "tables", store.root / "tables" / "parties"]:
        assert stat.S_IMODE(d.stat().st_mode) == 0o700, d


# -------------------------------------------------------------------------------- damage and crash recovery


def test_corrupt_shard_names_the_file_and_keeps_the_backup(store: Store) -> None:
    with store.transaction() as tx:
        rec = tx.insert("parties", party(1))
    with store.transaction() as tx:
        tx.update("parties", rec["id"], {"name": "v2"})
    shard = shard_files(store.root, "parties")[0]
    bak = shard.with_name(shard.name + ".bak")
    good_previous = bak.read_bytes()
    shard.write_bytes(b"\x00\xffgarbage{{{")

    fresh = Store.open(store.root)
    with pytest.raises(CorruptFileError) as info:
        fresh.all("parties")
    assert str(shard) in info.value.message and "0001.json.bak" in info.value.message
    assert "\n" not in info.value.message
    with pytest.raises(StoreError, match="illisible"), fresh.transaction() as tx:
        tx.update("parties", rec["id"], {"name": "v3"})
    assert bak.read_bytes() == good_previous  # never overwritten by a damaged version
    assert orjson.loads(good_previous)["_default"]["1"]["_rev"] == 1
    with fresh.transaction() as tx:  # other tables still work
        tx.insert("audit", {"action": "x"})


def test_interrupted_multi_file_commit_is_finished_by_the_next_opener(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    with store.transaction() as tx:
        rec = tx.insert("parties", party(1))
    real_publish = store_db.publish
    calls = 0

    def dying_publish(pending: Any, **kw: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise KeyboardInterrupt  # the process stops between two renames
        real_publish(pending, **kw)

    monkeypatch.setattr(store_db, "publish", dying_publish)
    with pytest.raises(KeyboardInterrupt), store.transaction() as tx:
        tx.update("parties", rec["id"], {"name": "both or none"})
        tx.insert("audit", {"action": "tiers.modifier"})
        tx.insert_many("letters", [{"n": i} for i in range(15)])
    monkeypatch.setattr(store_db, "publish", real_publish)
    assert (store.root / "commit.json").exists()

    reopened = Store.open(store.root)
    assert not (store.root / "commit.json").exists()
    assert reopened.get("parties", rec["id"])["name"] == "both or none"  # type: ignore[index]
    assert reopened.count("audit") == 1 and reopened.count("letters") == 15
    assert not [p for p in store.root.rglob("*.tmp")]


def test_stray_temp_files_of_a_dead_writer_are_removed(store: Store) -> None:
    with store.transaction() as tx:
        tx.insert("parties", party(1))
    stray = store.root / "tables" / "parties" / ".0001.json.999.dead.tmp"
    stray.write_bytes(b"half a fi")
    reopened = Store.open(store.root)
    assert not stray.exists() and reopened.count("parties") == 1


# ----------------------------------------------------------------------------------------------- sequences


def test_sequences_increase_survive_reopen_and_are_never_reused(store: Store) -> None:
    with store.transaction() as tx:
        assert [tx.next_sequence("chrono-2026") for _ in range(3)] == [1, 2, 3]
        assert tx.next_sequence("chrono-2027") == 1
    with pytest.raises(RuntimeError), store.transaction() as tx:
        assert tx.next_sequence("chrono-2026") == 4
        raise RuntimeError("the letter could not be saved")
    with Store.open(store.root).transaction() as tx:
        assert tx.next_sequence("chrono-2026") == 5  # 4 was handed out once: a gap, never a duplicate


# -------------------------------------------------------------------------------------- other processes


def test_a_commit_elsewhere_changes_the_token_and_is_refreshed(store: Store) -> None:
    with store.transaction() as tx:
        rec = tx.insert("parties", party(1))
    store.all("parties")
    store.all("audit")
    token = store.version_token()
    assert store.refresh() == set() and store.version_token() == token

    other = Store.open(store.root)
    with other.transaction() as tx:
        tx.update("parties", rec["id"], {"name": "from B"})
    assert store.version_token() != token
    assert store.refresh() == {"parties"}
    assert store.get("parties", rec["id"])["name"] == "from B"  # type: ignore[index]
    assert store.refresh() == set()


def test_same_size_rewrites_within_one_clock_tick_are_seen(store: Store) -> None:
    with store.transaction() as tx:
        rec = tx.insert("parties", {"n": 10})
    other = Store.open(store.root)
    for n in range(11, 60):  # same byte size every time, faster than the kernel's coarse clock
        with store.transaction() as tx:
            tx.update("parties", rec["id"], {"n": n})
        assert other.all("parties")[0]["n"] == n


# ------------------------------------------------------------------------------------ opening directories


def test_open_creates_a_private_directory(tmp_path: Path) -> None:
    root = tmp_path / "a" / "b"
    Store.open(root)
    assert (root / "store.json").exists()
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    with pytest.raises(StoreError, match="n'existe pas"):
        Store.open(tmp_path / "missing", create=False)


def test_open_refuses_an_unwritable_place(tmp_path: Path) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="n'est pas accessible en écriture") as info:
        Store.open(blocker / "sub")
    assert str(blocker / "sub") in info.value.message


def test_open_refuses_a_folder_that_is_not_a_store(tmp_path: Path) -> None:
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "facture.pdf").write_bytes(b"%PDF")
    with pytest.raises(StoreError, match="n'est pas un dossier de données lsc-tui") as info:
        Store.open(tmp_path / "documents")
    assert str(tmp_path / "documents") in info.value.message
    assert sorted(os.listdir(tmp_path / "documents")) == ["facture.pdf"]


def test_open_refuses_a_newer_schema(root: Path) -> None:
    Store.open(root)
    manifest = root / "store.json"
    manifest.write_bytes(orjson.dumps({**orjson.loads(manifest.read_bytes()), "schema": 99}))
    with pytest.raises(StoreError, match=r"créé par une version plus récente \(schéma 99\)"):
        Store.open(root)


def test_open_migrates_an_older_schema_once(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(root).transaction() as tx:
        tx.insert("parties", {"nom": "Dupont"})
    ran: list[int] = []

    def rename_field(s: Store) -> None:
        ran.append(1)
        with s.transaction() as tx:
            for r in s.all("parties"):
                tx.replace("parties", {"id": r["id"], "name": r["nom"]})

    class NewerStore(Store):
        SCHEMA_VERSION = 2

    monkeypatch.setitem(migrations.MIGRATIONS, 1, rename_field)
    with pytest.raises(StoreError, match="doit être mis à jour"):
        NewerStore.open(root, readonly=True)
    upgraded = NewerStore.open(root)
    assert [r["name"] for r in upgraded.all("parties")] == ["Dupont"]
    NewerStore.open(root)
    assert ran == [1]
    assert orjson.loads((root / "store.json").read_bytes())["schema"] == 2
    with pytest.raises(StoreError, match="version plus récente"):
        Store.open(root)

    class TooNew(Store):
        SCHEMA_VERSION = 3

    with pytest.raises(StoreError, match="aucune migration"):
        TooNew.open(root)


def test_readonly_store_reads_but_refuses_writes(root: Path) -> None:
    with pytest.raises(StoreError, match="n'existe pas"):
        Store.open(root, readonly=True)
    with Store.open(root).transaction() as tx:
        tx.insert("parties", party(1))
    before = snapshot(root)
    ro = Store.open(root, readonly=True)
    assert ro.count("parties") == 1
    with pytest.raises(StoreError, match="lecture seule"), ro.transaction():
        pass
    assert snapshot(root) == before


# ------------------------------------------------------------------------------------------ home screen counts


def test_counts_by_status_come_from_the_summary_without_parsing_shards(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    with store.transaction() as tx:
        recs = tx.insert_many(
            "letters", [{"status": "sent" if i % 3 else "draft", "n": i} for i in range(45)]
        )
        tx.insert("letters", {"n": 99})  # no status at all
    expected = {"sent": 30, "draft": 15, None: 1}
    assert store.count_by("letters", "status") == expected

    read: list[str] = []
    real_read_json = store_db.read_json
    monkeypatch.setattr(store_db, "read_json", lambda p: read.append(p.name) or real_read_json(p))
    fresh = Store.open(store.root)
    assert fresh.count_by("letters", "status") == expected
    assert fresh.count("letters") == 46
    assert read == ["store.json", "summary.json"]

    with store.transaction() as tx:  # another "process" changes one shard
        tx.update("letters", recs[0]["id"], {"status": "sent"})
    assert fresh.count_by("letters", "status") == {"sent": 31, "draft": 14, None: 1}
    assert fresh.count_by("letters", "n") == {**{i: 1 for i in range(45)}, 99: 1}  # not summarised: parsed


def test_a_stale_or_damaged_summary_is_not_trusted(store: Store) -> None:
    with store.transaction() as tx:
        recs = tx.insert_many("letters", [{"status": "draft"} for _ in range(25)])
    summary = store.root / "tables" / "letters" / "summary.json"
    old = summary.read_bytes()
    with store.transaction() as tx:
        tx.update("letters", recs[12]["id"], {"status": "sent"})
    summary.write_bytes(old)  # as if the summary write had been lost in a crash
    assert Store.open(store.root).count_by("letters", "status") == {"draft": 24, "sent": 1}
    summary.write_bytes(b"garbage")
    assert Store.open(store.root).count_by("letters", "status") == {"draft": 24, "sent": 1}
    summary.unlink()
    assert Store.open(store.root).count("letters") == 25
