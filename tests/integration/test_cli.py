"""The CLI contract as scripts and later work rely on it: real processes, real directories."""

from __future__ import annotations

import json
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
