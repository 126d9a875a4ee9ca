"""One ASGI app serving the three fake providers under fixed prefixes (/yousign/v3, /esign, /ar24/api)."""

from __future__ import annotations

import ipaddress
import os
from typing import Any

from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Mount
from starlette.types import ASGIApp, Receive, Scope, Send

from lsc_tui.sandbox import ar24, esign, yousign
from lsc_tui.sandbox.context import SandboxContext, context_from
from lsc_tui.sandbox.core import FaultMiddleware, FaultSpec, load_accounts
from lsc_tui.sandbox.webhooks import subscription


class StateSync:
    """Before each request: count it, pick up other processes' changes and apply what is due; after a write:
    save. The counts (`ctx.calls`) let a test say what a sync really cost."""

    def __init__(self, app: ASGIApp, ctx: SandboxContext) -> None:
        self.app = app
        self.ctx = ctx

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if "/_sandbox" not in path:
            self.ctx.calls[f"{scope.get('method', 'GET')} {path}"] += 1
        self.ctx.refresh()
        try:
            await self.app(scope, receive, send)
        finally:
            if scope.get("method", "GET") != "GET" or "/_sandbox" in scope.get("path", ""):
                self.ctx.persist()


def is_loopback(client: tuple[str, int] | None) -> bool:
    if not client:
        return False
    try:
        return ipaddress.ip_address(client[0]).is_loopback
    except ValueError:
        return False


class ControlGate:
    """`/_sandbox/...` shows OTP codes, SMS codes in the outbox and acts for signers and recipients: it exists
    only in an app made for a demo or a test (`control=True`) and only for a caller on this machine. Anything
    else answers the 404 of an unknown route, so that a sandbox served on a network reveals nothing."""

    def __init__(self, app: ASGIApp, ctx: SandboxContext) -> None:
        self.app = app
        self.ctx = ctx

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        guarded = scope["type"] == "http" and "/_sandbox" in scope.get("path", "")
        if guarded and not (self.ctx.control and is_loopback(scope.get("client"))):
            await JSONResponse({"message": "Not Found"}, status_code=404)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def create_app(
    accounts_path: str | os.PathLike[str] | None = None,
    state_path: str | os.PathLike[str] | None = None,
    faults: FaultSpec | None = None,
    autopilot: bool = False,
    accounts: dict[str, Any] | None = None,
    control: bool = False,
    webhook_url: str | None = None,
) -> Starlette:
    """Build the sandbox. `app.state.ctx` exposes the context (tests swap `ctx.faults`, read `ctx.outbox`).
    `control` opens the `/_sandbox` routes to loopback callers: the demo and the tests turn it on.
    `webhook_url` subscribes the YouSign and ESign accounts' webhooks to that URL (also settable later through
    `POST /<provider>/_sandbox/webhook`); AR24 calls the `webhook` given with each letter instead."""
    ctx = context_from(
        accounts if accounts is not None else load_accounts(accounts_path), state_path, faults, autopilot
    )
    ctx.control = control
    if webhook_url is not None:
        for provider in ("yousign", "esign"):
            subscription(ctx.accounts, provider)["url"] = webhook_url
    routes = [
        Mount("/yousign/v3", app=yousign.build(ctx)),
        Mount("/yousign", app=yousign.build_control(ctx)),
        Mount("/esign", app=esign.build(ctx)),
        Mount("/ar24", app=ar24.build(ctx)),
    ]
    app = Starlette(routes=routes)
    app.state.ctx = ctx
    ctx.refresh()
    app.add_middleware(FaultMiddleware, holder=ctx)
    app.add_middleware(StateSync, ctx=ctx)
    app.add_middleware(ControlGate, ctx=ctx)
    return app
