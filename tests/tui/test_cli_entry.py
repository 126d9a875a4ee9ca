"""The TUI's entry points in the CLI: `demo otp` takes --data on either side, and the keymap file's path."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest

from lsc_tui import config


def lsc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lsc_tui", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={"LSC_TUI_USER": "claire", "PATH": "/usr/bin:/bin", "HOME": "/tmp"},
    )


def test_demo_otp_takes_data_before_or_after_otp(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    assert lsc("demo", "--data", str(demo), "--seed-only").returncode == 0
    for args in (("demo", "--data", str(demo), "otp"), ("demo", "otp", "--data", str(demo))):
        result = lsc(*args)
        assert result.returncode == 0, (args, result.stderr)
        assert re.match(r"\d{6}   \(clé OTP de ", result.stdout), result.stdout


def test_demo_otp_without_a_demo_says_so_in_one_line(tmp_path: Path) -> None:
    result = lsc("demo", "otp", "--data", str(tmp_path / "nothing"))
    assert result.returncode != 0
    assert result.stderr.startswith("lsc-tui : pas de démo dans") and len(result.stderr.splitlines()) == 1


def test_keymap_path_is_in_the_config_dir_unless_overridden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LSC_TUI_KEYMAP", raising=False)
    assert config.keymap_path() == platformdirs.user_config_path("lsc-tui") / "keymap.toml"
    monkeypatch.setenv("LSC_TUI_KEYMAP", "/srv/lsc/keymap-julien.toml")
    assert config.keymap_path() == Path("/srv/lsc/keymap-julien.toml")
