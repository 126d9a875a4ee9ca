"""`lsc-tui sandbox` as an integrator runs it: serves the three providers, prints their URLs, stops on Ctrl-C.

Its generated accounts hold keys and OTP secrets: they go to the user's data dir (0600), never to the folder
the command was started from, and the control routes (OTP codes, acting for signers) stay off unless asked.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_listening(port: int, proc: subprocess.Popen[str], timeout: float = 15.0) -> None:
    """The banner is printed just before uvicorn binds: poll the port (bounded), fail if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read()  # type: ignore[union-attr]
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.02)
    raise AssertionError(f"nothing listens on {port} after {timeout} s")


def start(tmp_path: Path, *args: str) -> tuple[subprocess.Popen[str], int, list[str]]:
    """The command in a child process, started from an empty folder, with its data dir under tmp_path."""
    port = free_port()
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    env = {**os.environ, "LSC_TUI_DATA": str(tmp_path / "data")}
    command = [sys.executable, "-m", "lsc_tui", "sandbox", "--port", str(port), *args]
    proc = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    lines = [proc.stdout.readline() for _ in range(6)]  # type: ignore[union-attr]
    return proc, port, lines


def stop(proc: subprocess.Popen[str]) -> int:
    proc.send_signal(signal.SIGINT)
    return proc.wait(timeout=15)


def test_sandbox_serves_prints_urls_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    proc, port, lines = start(tmp_path, "--state", str(tmp_path / "state.json"))
    try:
        assert any(f"http://127.0.0.1:{port}/yousign/v3" in line for line in lines), lines
        assert any(f"http://127.0.0.1:{port}/ar24/api/" in line for line in lines), lines
        accounts_file = tmp_path / "data" / "sandbox" / "sandbox_accounts.json"
        assert any(str(accounts_file) in line for line in lines), lines  # it says where the secrets are
        assert stat.S_IMODE(accounts_file.stat().st_mode) == 0o600
        assert stat.S_IMODE(accounts_file.parent.stat().st_mode) == 0o700
        assert list((tmp_path / "cwd").iterdir()) == []  # nothing written where the command was started
        key = next(iter(json.loads(accounts_file.read_text())["esign"]["api_keys"]))
        wait_until_listening(port, proc)
        response = httpx.get(
            f"http://127.0.0.1:{port}/esign/v1/account", headers={"X-Api-Key": key}, timeout=5
        )
        assert response.status_code == 200 and "credits_left" in response.json()
        unauthorised = httpx.get(f"http://127.0.0.1:{port}/esign/v1/account", headers={"X-Api-Key": "wrong"})
        assert unauthorised.status_code == 401
        user = json.loads(accounts_file.read_text())["ar24"]["users"][0]["id"]
        assert httpx.get(f"http://127.0.0.1:{port}/ar24/_sandbox/otp/{user}", timeout=5).status_code == 404
    finally:
        code = stop(proc)
    assert code == 0


def test_control_routes_answer_with_the_flag_and_given_accounts_are_used(tmp_path: Path) -> None:
    from lsc_tui.sandbox.core import load_accounts, write_secret_json

    accounts = tmp_path / "mine.json"
    write_secret_json(accounts, load_accounts(None))
    proc, port, lines = start(tmp_path, "--control", "--accounts", str(accounts))
    try:
        wait_until_listening(port, proc)
        user = json.loads(accounts.read_text())["ar24"]["users"][0]["id"]
        shown = httpx.get(f"http://127.0.0.1:{port}/ar24/_sandbox/otp/{user}", timeout=5)
        assert shown.status_code == 200 and len(shown.json()["otp"]) == 6
        assert not (tmp_path / "data").exists()  # the accounts given are used, none generated
        assert any("--control" in line or "contrôle" in line for line in lines), lines
    finally:
        code = stop(proc)
    assert code == 0
