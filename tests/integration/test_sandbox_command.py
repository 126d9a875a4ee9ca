"""`lsc-tui sandbox` as an integrator runs it: serves the three providers, prints their URLs, stops on Ctrl-C."""

from __future__ import annotations

import json
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


def test_sandbox_serves_prints_urls_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lsc_tui",
            "sandbox",
            "--port",
            str(port),
            "--state",
            str(tmp_path / "state.json"),
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = [proc.stdout.readline() for _ in range(4)]  # type: ignore[union-attr]
        assert any(f"http://127.0.0.1:{port}/yousign/v3" in line for line in lines), lines
        assert any(f"http://127.0.0.1:{port}/ar24/api/" in line for line in lines), lines
        accounts_file = tmp_path / "sandbox_accounts.json"
        assert stat.S_IMODE(accounts_file.stat().st_mode) == 0o600
        key = next(iter(json.loads(accounts_file.read_text())["esign"]["api_keys"]))
        wait_until_listening(port, proc)
        response = httpx.get(
            f"http://127.0.0.1:{port}/esign/v1/account", headers={"X-Api-Key": key}, timeout=5
        )
        assert response.status_code == 200 and "credits_left" in response.json()
        unauthorised = httpx.get(f"http://127.0.0.1:{port}/esign/v1/account", headers={"X-Api-Key": "wrong"})
        assert unauthorised.status_code == 401
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=15)
    assert code == 0
