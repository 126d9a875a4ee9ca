"""Fixtures shared by every test: real files in temp dirs, the sandbox served over real HTTP on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import uvicorn

from lsc_tui.sandbox.app import create_app
from lsc_tui.sandbox.context import SandboxContext
from lsc_tui.sandbox.core import load_accounts

pytest_plugins = ("tests.postgres_server",)  # a real PostgreSQL for the contract and TUI tests


@dataclass
class ServedSandbox:
    """A sandbox behind uvicorn on a random loopback port; `ctx` lets a test set faults or advance the clock."""

    base_url: str
    accounts: dict[str, Any]
    ctx: SandboxContext
    app: Any

    @property
    def yousign_url(self) -> str:
        return f"{self.base_url}/yousign/v3"

    @property
    def esign_url(self) -> str:
        return f"{self.base_url}/esign"

    @property
    def ar24_url(self) -> str:
        return f"{self.base_url}/ar24/api/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_sandbox(accounts: dict[str, Any] | None = None, **kwargs: Any) -> Iterator[ServedSandbox]:
    accounts = accounts if accounts is not None else load_accounts(None)
    kwargs.setdefault("control", True)  # tests drive signers and recipients through the control routes
    app = create_app(accounts=accounts, **kwargs)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("sandbox did not start")
        time.sleep(0.01)
    try:
        yield ServedSandbox(f"http://127.0.0.1:{port}", accounts, app.state.ctx, app)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.ctx.webhooks.close()


@pytest.fixture
def sandbox() -> Iterator[ServedSandbox]:
    """A fresh sandbox (fresh random accounts, no faults) per test."""
    yield from serve_sandbox()
