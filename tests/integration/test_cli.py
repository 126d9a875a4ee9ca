"""The CLI contract as scripts and later work rely on it: real processes, real directories."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from lsc_tui.store import open_store


def lsc(*args: str, env_user: str = "claire") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lsc_tui", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={"LSC_TUI_USER": env_user, "PATH": "/usr/bin:/bin", "HOME": "/tmp"},
    )


def test_demo_seed_only_creates_a_store_and_secrets_not_world_readable(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    result = lsc("demo", "--data", str(demo), "--seed-only")
    assert result.returncode == 0, result.stderr
    assert "Démo prête" in result.stdout
    # secrets: the firm's group may read them (colleagues use the same keys), nobody else; never writable
    for name, expected in (("secrets.json", 0o640), ("sandbox_accounts.json", 0o600)):
        mode = stat.S_IMODE((demo / name).stat().st_mode)
        assert mode == expected, (name, oct(mode))
    accounts = json.loads((demo / "sandbox_accounts.json").read_text())
    secrets = json.loads((demo / "secrets.json").read_text())
    assert secrets["yousign"]["api_key"] in accounts["yousign"]["api_keys"]
    # seeding twice keeps the data (no duplicate agency)
    again = lsc("demo", "--data", str(demo), "--seed-only")
    assert again.returncode == 0, again.stderr

    assert open_store(demo).count("users") == 2


def test_demo_reset_starts_over(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    assert lsc("demo", "--data", str(demo), "--seed-only").returncode == 0
    first = json.loads((demo / "secrets.json").read_text())
    assert lsc("demo", "--data", str(demo), "--seed-only", "--reset").returncode == 0
    assert json.loads((demo / "secrets.json").read_text()) != first  # fresh random keys


def test_reset_refuses_a_directory_that_is_not_a_demo(tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("à garder")
    result = lsc("demo", "--data", str(precious), "--reset", "--seed-only")
    assert result.returncode != 0
    assert (precious / "notes.txt").read_text() == "à garder"
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_data_dir_is_one_clear_line_and_non_zero(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = lsc("--data", str(blocker / "sub"))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lsc-tui : ")
    assert str(blocker) in lines[0]


def test_not_a_store_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "budget.xlsx").write_text("x")
    result = lsc("--data", str(other))
    assert result.returncode != 0
    assert "lsc-tui" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_init_then_users_add_list_remove(tmp_path: Path) -> None:
    import getpass

    me = getpass.getuser()
    folder = tmp_path / "cabinet"
    created = lsc("init", "--data", str(folder), "--admin", me, "--name", "Moi")
    assert created.returncode == 0, created.stderr
    assert f"administrateur : {me}" in created.stdout
    assert stat.S_IMODE(folder.stat().st_mode) == 0o2770
    again = lsc("init", "--data", str(folder), "--admin", me)
    assert again.returncode == 2 and "n'est pas vide" in again.stderr

    added = lsc("users", "add", "julien", "--name", "Julien Roche", "--data", str(folder))
    assert added.returncode == 0, added.stderr
    listed = lsc("--data", str(folder), "users", "list")
    assert sorted(listed.stdout.splitlines()) == sorted(
        ["julien\tgestionnaire\tJulien Roche", f"{me}\tadmin\tMoi"]
    )
    dup = lsc("users", "add", "julien", "--data", str(folder))
    assert dup.returncode == 2 and "existe déjà" in dup.stderr
    removed = lsc("users", "remove", "julien", "--data", str(folder))
    assert removed.returncode == 0, removed.stderr
    last = lsc("users", "remove", me, "--data", str(folder))
    assert last.returncode == 2 and "dernier administrateur" in last.stderr


def test_an_environment_variable_is_not_an_identity_outside_a_demo(tmp_path: Path) -> None:
    folder = tmp_path / "cabinet"
    assert lsc("init", "--data", str(folder), "--admin", "claire").returncode == 0
    forged = subprocess.run(
        [sys.executable, "-m", "lsc_tui", "users", "add", "intrus", "--admin", "--data", str(folder)],
        capture_output=True,
        text=True,
        env={**os.environ, "LSC_TUI_USER": "claire", "USER": "claire", "LOGNAME": "claire"},
    )
    assert forged.returncode == 2 and "Lecture seule" in forged.stderr  # this machine has no account claire


def test_the_command_line_speaks_french() -> None:
    helped = lsc("--help")
    assert helped.returncode == 0
    assert (
        "Usage :" in helped.stdout and "Commandes" in helped.stdout and "Afficher cette aide" in helped.stdout
    )
    wrong = lsc("--bogus")
    assert wrong.returncode == 2 and "Option '--bogus' inconnue" in wrong.stderr and "Erreur" in wrong.stderr
