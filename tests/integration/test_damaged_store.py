"""A demo store damaged on purpose, opened by the real command: one French line naming the file, a non-zero
exit code, no traceback and none of the records' contents on the screen (issue #7 §1–§2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from lsc_tui.cli.demo import seed_demo

PERSONAL = ("Fontaine", "Moreau", "hugo.", "@exemple")  # names and emails of the demo's parties


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pristine") / "demo"
    seed_demo(root)
    return root


@pytest.fixture
def demo(pristine: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo"
    subprocess.run(["cp", "-a", str(pristine), str(copy)], check=True)
    return copy


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lsc_tui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "LSC_TUI_USER": "claire"},
        stdin=subprocess.DEVNULL,
    )


def shard(demo: Path, table: str) -> Path:
    catalog = json.loads((demo / "catalog.json").read_text())
    name = catalog["tables"][table]["shards"]["1"]["file"]
    return demo / "tables" / table / name


def rewrite(path: Path, change: Callable[[dict], None]) -> None:
    data = orjson.loads(path.read_bytes())
    change(data)
    path.write_bytes(orjson.dumps(data))


def first_record(data: dict) -> dict:
    return next(iter(data["_default"].values()))


def truncate(d: Path) -> Path:
    p = shard(d, "parties")
    p.write_bytes(p.read_bytes()[:200])
    return p


def empty(d: Path) -> Path:
    p = shard(d, "parties")
    p.write_text("{}")
    return p


def bad_utf8(d: Path) -> Path:
    p = shard(d, "parties")
    p.write_bytes(p.read_bytes().replace(b"Fontaine", b"Font\xff\xfeine"))
    return p


def delete(d: Path) -> Path:
    p = shard(d, "parties")
    p.unlink()
    return p


def garbage_catalog(d: Path) -> Path:
    p = d / "catalog.json"
    p.write_text("<<<garbage")
    return p


def delete_table_folder(d: Path) -> Path:
    p = d / "tables" / "letters"
    subprocess.run(["rm", "-rf", str(p)], check=True)
    return p


def unknown_status(d: Path) -> Path:
    p = shard(d, "letters")
    rewrite(p, lambda x: first_record(x).update(status="perdu"))
    return p


def missing_id(d: Path) -> Path:
    p = shard(d, "parties")
    rewrite(p, lambda x: first_record(x).pop("id"))
    return p


def records_removed(d: Path) -> Path:
    p = shard(d, "parties")
    rewrite(p, lambda x: x["_default"].pop("1"))
    return p


def truncated_secrets(d: Path) -> Path:
    p = d / "secrets.json"
    p.write_text('{"yousign": {"api_k')
    return p


#: damage → (what it does, words the one line must contain besides the file's name)
DAMAGES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "truncated shard": (truncate, "illisible"),
    "shard emptied to {}": (empty, "vidé"),
    "invalid UTF-8": (bad_utf8, "illisible"),
    "shard deleted": (delete, "manque"),
    "garbage catalog": (garbage_catalog, "illisible"),
    "table folder deleted": (delete_table_folder, "manque"),
    "record with an unknown status": (unknown_status, "statut inconnu"),
    "record without an id": (missing_id, "sans identifiant"),
    "records removed by hand": (records_removed, "au lieu des"),
    "truncated secrets": (truncated_secrets, "secrets"),
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_damaged_store_is_refused_with_one_line_naming_the_file(demo: Path, damage: str) -> None:
    make, words = DAMAGES[damage]
    damaged = make(demo)
    result = run("--data", str(demo), "users", "list")
    assert result.returncode == 2, (damage, result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, (damage, result.stderr)
    assert lines[0].startswith("lsc-tui : ") and words in lines[0], (damage, lines[0])
    assert str(damaged.name) in lines[0], (damage, lines[0])
    assert "Traceback" not in result.stderr and not any(p in result.stderr for p in PERSONAL)
    assert result.stdout == ""


def test_the_tui_command_itself_refuses_a_damaged_store_before_drawing(demo: Path) -> None:
    shard(demo, "events").write_text("{}")
    result = run("--data", str(demo))
    assert (
        result.returncode == 2 and result.stderr.startswith("lsc-tui : ") and "Traceback" not in result.stderr
    )


def test_an_emptied_shard_never_hands_out_used_ids_again(demo: Path) -> None:
    """Today's defect: after `{}` all 60 parties vanished and the next insert reused id 0001-000001."""
    from lsc_tui.store import StoreError, open_store

    shard(demo, "parties").write_text("{}")
    with pytest.raises(StoreError, match="vidé"):
        open_store(demo)


def test_a_missing_data_folder_says_how_to_create_one(tmp_path: Path) -> None:
    result = run("--data", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "lsc-tui init --data" in result.stderr and "n'existe pas" in result.stderr
    assert not (tmp_path / "nowhere").exists()


def test_demo_on_a_file_and_a_demo_cut_mid_seed(tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    result = run("demo", "--data", str(a_file), "--seed-only")
    assert result.returncode == 2 and "est un fichier" in result.stderr and "Traceback" not in result.stderr

    cut = tmp_path / "cut"
    cut.mkdir()
    (cut / ".lsc-tui-demo").write_text("seeding\n")  # the marker a seeding writes first
    (cut / "store.json").write_text("{}")
    result = run("demo", "--data", str(cut), "--seed-only")
    assert result.returncode == 2 and "--reset" in result.stderr
    result = run("demo", "--data", str(cut), "--seed-only", "--reset")
    assert result.returncode == 0, result.stderr
    assert "Démo prête" in result.stdout
