"""The embedded store's own promises, on real files in a temp dir: the catalog as commit point, immutable shard
files, group-shared modes, damage refused by name, the schema-1 upgrade and its journal checked name by name.

What both backends promise (revisions, transactions, listings…) is in tests/contract/.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import orjson
import pytest
from tinydb import TinyDB

from lsc_tui.store import ANY_REV, CorruptFileError, EmbeddedStore, StoreError
from lsc_tui.store.embedded import cache as cache_module
from lsc_tui.store.embedded.tinydb_view import OrjsonStorage
from lsc_tui.store.tables import TableSpec

SPECS = {"letters": TableSpec("letters", indexed=("status",), summary=("status",))}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(root: Path) -> EmbeddedStore:
    return EmbeddedStore.open(root, create=True, shard_size=10, specs=SPECS)


def fill(store: EmbeddedStore, n: int, table: str = "letters") -> list[dict[str, Any]]:
    with store.transaction() as tx:
        return [tx.insert(table, {"i": i, "status": "to_valid" if i % 3 else "AR"}) for i in range(n)]


def catalog(root: Path) -> dict[str, Any]:
    return orjson.loads((root / "catalog.json").read_bytes())


def shard_path(root: Path, table: str, number: int) -> Path:
    return root / "tables" / table / catalog(root)["tables"][table]["shards"][str(number)]["file"]


# ---- commits ------------------------------------------------------------------------------------------


def test_an_update_writes_one_new_shard_file_and_never_rewrites_one(store: EmbeddedStore, root: Path) -> None:
    rows = fill(store, 95)  # 10 shards
    before = {p.name: p.stat().st_ino for p in (root / "tables" / "letters").iterdir()}
    with store.transaction() as tx:
        tx.update("letters", rows[42]["id"], {"status": "AR"}, expect_rev=1)
    after = {p.name: p.stat().st_ino for p in (root / "tables" / "letters").iterdir()}
    new = set(after) - set(before)
    assert len(new) == 1 and next(iter(new)).startswith("0005.")  # record 43 lives in shard 5
    assert all(after[name] == ino for name, ino in before.items())  # no file changed in place


def test_superseded_files_are_kept_one_commit_then_collected(store: EmbeddedStore, root: Path) -> None:
    row = fill(store, 1)[0]
    names = []
    for rev in (1, 2, 3):
        with store.transaction() as tx:
            tx.update("letters", row["id"], {"n": rev}, expect_rev=rev)
        names.append(shard_path(root, "letters", 1).name)
    on_disk = sorted(os.listdir(root / "tables" / "letters"))
    assert on_disk == sorted(names[-2:])  # current and previous; older ones collected
    previous = orjson.loads((root / "catalog.json.bak").read_bytes())
    assert previous["tables"]["letters"]["shards"]["1"]["file"] == names[-2]


def test_shards_are_tinydb_databases(store: EmbeddedStore, root: Path) -> None:
    fill(store, 3)
    db = TinyDB(shard_path(root, "letters", 1), storage=OrjsonStorage)
    assert len(db.table("_default")) == 3
    assert db.table("_meta").get(doc_id=1)["table"] == "letters"


def test_files_and_folders_are_group_shared_whatever_the_umask(root: Path) -> None:
    old = os.umask(0o077)
    try:
        store = EmbeddedStore.open(root, create=True)
        fill(store, 2)
    finally:
        os.umask(old)
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        if path.is_dir():
            assert mode == 0o2770, (path, oct(mode))
        else:
            assert mode == 0o660, (path, oct(mode))


def test_counts_by_status_come_from_the_catalog_without_parsing_a_shard(
    store: EmbeddedStore, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(store, 30)
    fresh = EmbeddedStore.open(root, specs=SPECS)

    def refuse(*_a: Any, **_k: Any) -> None:
        raise AssertionError("a shard was parsed")

    monkeypatch.setattr("lsc_tui.store.embedded.store.load_shard", refuse)
    assert fresh.count("letters") == 30
    assert fresh.count_by("letters", "status") == {"AR": 10, "to_valid": 20}


def test_a_reader_two_commits_behind_reads_the_new_files(store: EmbeddedStore, root: Path) -> None:
    row = fill(store, 1)[0]
    reader = EmbeddedStore.open(root, specs=SPECS)
    assert reader.get("letters", row["id"])["_rev"] == 1
    writer = EmbeddedStore.open(root, specs=SPECS)
    for rev in (1, 2, 3):  # the files the reader knew are collected meanwhile
        with writer.transaction() as tx:
            tx.update("letters", row["id"], {"n": rev}, expect_rev=rev)
    assert reader.get("letters", row["id"])["_rev"] == 4


def test_opening_while_others_commit_is_not_taken_for_a_missing_file(
    store: EmbeddedStore, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The opening reads the catalog, then stats its files: commits landing in between collect files that
    catalog named (seen with four writers at once, and any staff opening the app while colleagues work)."""
    row = fill(store, 1)[0]
    writer = EmbeddedStore.open(root, specs=SPECS)
    check_files = cache_module.check_files
    commits = iter([1, 2, 3])

    def behind(tables: Path, catalog: Any) -> Any:
        for rev in commits:  # once, between this opening's catalog read and its stats
            with writer.transaction() as tx:
                tx.update("letters", row["id"], {"n": rev}, expect_rev=rev)
        return check_files(tables, catalog)

    monkeypatch.setattr("lsc_tui.store.embedded.store.check_files", behind)
    opened = EmbeddedStore.open(root, specs=SPECS)
    assert opened.get("letters", row["id"])["_rev"] == 4


def test_every_update_says_which_revision_it_read(store: EmbeddedStore) -> None:
    row = fill(store, 1)[0]
    with store.transaction() as tx, pytest.raises(TypeError):
        tx.update("letters", row["id"], {"n": 1})  # type: ignore[call-arg]
    with store.transaction() as tx:
        assert tx.update("letters", row["id"], {"n": 1}, expect_rev=ANY_REV)["_rev"] == 2


def test_sequences_are_committed_with_the_transaction(store: EmbeddedStore, root: Path) -> None:
    with store.transaction() as tx:
        assert tx.next_sequence("chrono-2026") == 1
    with pytest.raises(RuntimeError), store.transaction() as tx:
        assert tx.next_sequence("chrono-2026") == 2
        raise RuntimeError("rolled back")
    with store.transaction() as tx:
        assert tx.next_sequence("chrono-2026") == 2  # no gap: the failed one took nothing
    assert catalog(root)["sequences"] == {"chrono-2026": 2}


# ---- damage --------------------------------------------------------------------------------------------


def test_a_catalog_naming_a_file_outside_the_store_is_refused(store: EmbeddedStore, root: Path) -> None:
    fill(store, 1)
    data = catalog(root)
    data["tables"]["letters"]["shards"]["1"]["file"] = "../../../etc/passwd"
    (root / "catalog.json").write_bytes(orjson.dumps(data))
    with pytest.raises(CorruptFileError, match="refusé"):
        EmbeddedStore.open(root)


def test_a_shard_replaced_by_a_link_is_refused(store: EmbeddedStore, root: Path, tmp_path: Path) -> None:
    fill(store, 2)
    target = shard_path(root, "letters", 1)
    outside = tmp_path / "outside.json"
    outside.write_bytes(target.read_bytes())
    target.unlink()
    target.symlink_to(outside)
    with pytest.raises(StoreError):
        EmbeddedStore.open(root).select("letters")


def test_a_hand_edited_but_sound_shard_is_accepted(store: EmbeddedStore, root: Path) -> None:
    """A file restored from a backup (new times, same content) is checked record by record, then used."""
    fill(store, 3)
    path = shard_path(root, "letters", 1)
    content = path.read_bytes()
    path.unlink()
    path.write_bytes(content)
    again = EmbeddedStore.open(root, specs=SPECS)
    assert again.count("letters") == 3 and len(again.select("letters")) == 3


def test_check_reads_every_record(store: EmbeddedStore, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fill(store, 12)
    seen: list[bool] = []
    real = cache_module.parse_shard

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(kwargs["strict"])
        return real(*args, **kwargs)

    monkeypatch.setattr(cache_module, "parse_shard", spy)
    EmbeddedStore.open(root, specs=SPECS).verify(deep=True)
    assert seen == [True, True]


def test_open_refuses_what_is_not_a_store(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(StoreError, match="n'est pas un dossier de données"):
        EmbeddedStore.open(tmp_path, create=True)
    with pytest.raises(StoreError, match="est un fichier"):
        EmbeddedStore.open(tmp_path / "notes.txt")
    with pytest.raises(StoreError, match="lsc-tui init"):
        EmbeddedStore.open(tmp_path / "missing")


def test_a_newer_schema_and_readonly_writes_are_refused(store: EmbeddedStore, root: Path) -> None:
    ro = EmbeddedStore.open(root, readonly=True)
    with pytest.raises(StoreError, match="lecture seule"), ro.transaction():
        pass
    (root / "store.json").write_bytes(orjson.dumps({"format": "lsc-tui-store", "schema": 99}))
    with pytest.raises(StoreError, match="plus récente"):
        EmbeddedStore.open(root)


# ---- upgrade from schema 1 ----------------------------------------------------------------------------


def schema1(root: Path, journal: list[list[str]] | None = None) -> None:
    """A store as the previous version left it: shard files rewritten in place, sequences.json, a journal."""
    (root / "tables" / "parties").mkdir(parents=True)
    docs = {str(i): {"id": f"0001-{i:06d}", "name": f"P{i}", "status": "x", "_rev": 1} for i in range(1, 4)}
    meta = {"1": {"table": "parties", "shard": 1, "next": 4, "ids": {}}}
    (root / "tables" / "parties" / "0001.json").write_bytes(orjson.dumps({"_default": docs, "_meta": meta}))
    (root / "tables" / "parties" / "summary.json").write_text("{}")
    (root / "sequences.json").write_text('{"chrono-2026": 41}')
    (root / "store.json").write_bytes(orjson.dumps({"format": "lsc-tui-store", "schema": 1}))
    if journal is not None:
        (root / "commit.json").write_bytes(orjson.dumps({"writes": journal}))


def test_a_schema_1_store_is_upgraded_in_place_keeping_ids_and_counters(root: Path) -> None:
    pending = {"_default": {"1": {"id": "0001-000001", "name": "P1 bis", "_rev": 2}}}
    pending["_meta"] = {"1": {"table": "parties", "shard": 1, "next": 2, "ids": {}}}  # type: ignore[dict-item]
    schema1(root, journal=[["tables/parties/.0001.json.99.ab.tmp", "tables/parties/0001.json"]])
    (root / "tables" / "parties" / ".0001.json.99.ab.tmp").write_bytes(orjson.dumps(pending))
    store = EmbeddedStore.open(root)
    assert store.get("parties", "0001-000001")["name"] == "P1 bis"  # the interrupted commit was finished
    with store.transaction() as tx:
        assert tx.next_sequence("chrono-2026") == 42
        assert tx.insert("parties", {"name": "new"})["id"] == "0001-000002"
    assert not (root / "commit.json").exists() and not (root / "sequences.json").exists()


@pytest.mark.parametrize(
    "evil",
    [
        ["../../outside.json", "tables/parties/0001.json"],
        ["tables/parties/.x.tmp", "/etc/hostname"],
        ["tables/parties/.x.tmp", "tables/../../outside.json"],
        ["tables/link/.x.tmp", "tables/link/0001.json"],
    ],
)
def test_a_journal_naming_a_file_outside_the_tables_touches_nothing(
    root: Path, tmp_path: Path, evil: list[str]
) -> None:
    schema1(root, journal=[evil])
    outside = tmp_path / "outside.json"
    outside.write_text("precious")
    (root / "tables" / "link").symlink_to(tmp_path)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    with pytest.raises(CorruptFileError, match="hors des tables"):
        EmbeddedStore.open(root)
    assert outside.read_text() == "precious"
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and p.name != ".lock"}
    assert after == before  # only the lock file was created
