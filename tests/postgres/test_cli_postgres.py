"""The command line on a PostgreSQL store: init, users, and `store migrate` from an embedded demo (counts equal
on both sides; a second run changes nothing)."""

from __future__ import annotations

import getpass
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit


def lsc(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lsc_tui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "LSC_TUI_USER": "claire", **env},
    )


def test_init_and_users_on_postgres(pg_url: str, tmp_path: Path) -> None:
    me = getpass.getuser()
    files = tmp_path / "files"
    # the test server trusts every connection: the password is ignored there, and must never be printed
    with_password = pg_url.replace("postgres@", "postgres:s3cret-pw@", 1)
    made = lsc("init", "--store", with_password, "--data", str(files), "--admin", me)
    assert made.returncode == 0, made.stderr
    assert "Store créé" in made.stdout and "s3cret-pw" not in made.stdout + made.stderr
    added = lsc("users", "add", "julien", "--store", pg_url, "--data", str(files))
    assert added.returncode == 0, added.stderr
    listed = lsc(
        "users", "list", "--data", str(files), LSC_TUI_STORE=pg_url
    )  # the environment names the base
    assert sorted(line.split("\t")[0] for line in listed.stdout.splitlines()) == sorted([me, "julien"])


def test_migrate_an_embedded_demo_twice(pg_url: str, tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    assert lsc("demo", "--data", str(demo), "--seed-only").returncode == 0
    first = lsc("store", "migrate", "--from", str(demo), "--to", pg_url)
    assert first.returncode == 0, first.stderr
    counts = {line.split()[0]: line.split()[1:3] for line in first.stdout.splitlines() if line.strip()}
    assert counts["parties"] == ["60", "60"] and counts["letters"] == ["21", "21"]
    assert all(a == b for a, b in counts.values())
    second = lsc("store", "migrate", "--from", str(demo), "--to", pg_url)
    assert second.returncode == 0 and second.stdout == first.stdout


def test_a_database_that_does_not_exist_is_one_french_line(pg_url: str, tmp_path: Path) -> None:
    """Nothing but our sentence on the terminal: the driver's pool logs its failed attempts, and a log line
    printed by Python's last-resort handler would also land in the middle of the TUI's screen."""
    missing = urlsplit(pg_url)._replace(path="/lsc_no_such_base").geturl()
    done = lsc("users", "list", "--store", missing, "--data", str(tmp_path / "files"))
    assert done.returncode == 2
    assert done.stderr.splitlines() == [done.stderr.strip()]
    assert done.stderr.startswith("lsc-tui : La base PostgreSQL") and "injoignable" in done.stderr
