"""The sandbox served the way an integrator starts it (`python -m lsc_tui sandbox`), in a child process.

Shared by the provider benchmarks: a provider runs on another machine, so the sandbox's CPU must not compete
with the measured client for this process's GIL.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from lsc_tui.sandbox.core import write_secret_json


class ServedSandbox:
    """Fresh accounts in a 0600 file, a free loopback port, an injected latency; ready once `ready_path` answers."""

    def __init__(self, accounts: dict[str, Any], latency_ms: float, ready_path: str) -> None:
        self.all_accounts = accounts
        self._dir = tempfile.TemporaryDirectory()
        self._accounts_path = Path(self._dir.name) / "accounts.json"
        write_secret_json(self._accounts_path, accounts)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.latency_ms = latency_ms
        self.ready_path = ready_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ServedSandbox:
        command = [sys.executable, "-m", "lsc_tui", "sandbox", "--port", str(self.port)]
        command += ["--accounts", str(self._accounts_path), "--latency", str(self.latency_ms), "--control"]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        self.process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(self.base + self.ready_path, timeout=1).raise_for_status()
                return self
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError("sandbox did not start")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self._dir.cleanup()

    def cpu_seconds(self) -> float:
        """CPU the sandbox process has used so far (user + system), from /proc."""
        assert self.process is not None
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
