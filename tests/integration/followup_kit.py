"""What the follow-up tests (S9, S10, O3) share: files made and sent against the served sandbox, signed there,
and service calls run on their own event loop with fresh clients (as each screen action has)."""

from __future__ import annotations

import asyncio
from typing import Any

from lsc_tui.config import secrets_for
from lsc_tui.providers.factory import build_providers
from lsc_tui.services import signature_prepare, signature_send
from lsc_tui.services.batches import Collector
from lsc_tui.services.context import AppContext
from tests.conftest import ServedSandbox
from tests.integration.signature_flow_kit import make_events, yousign_requests
from tests.integration.signature_kit import FAST, control


def send(ctx: AppContext, count: int, **template: object) -> list[str]:
    """`count` files made and sent; `template` fields set on the lease template first."""
    if template:
        chosen = next(t for t in ctx.repos.templates.all() if t.name == "Bail d'habitation — locataire seul")
        with ctx.write() as w:
            w.templates.change(chosen.id, dict(template), expect_rev=chosen.rev)
    ids = signature_prepare.expedite(ctx, make_events(ctx, count)).ids
    report = asyncio.run(run(ctx, signature_send.send_requests, ids, Collector()))
    assert report.all_ok, report.results
    return ids


async def run(ctx: AppContext, job, *args, **kwargs):  # type: ignore[no-untyped-def]
    """One service call on its own event loop, with fresh clients (as each screen action has)."""
    ctx.providers = build_providers(secrets_for(ctx.data_dir).effective(), policy=FAST)
    try:
        return await job(ctx, *args, **kwargs)
    finally:
        await ctx.providers.aclose()


def sign_all(sandbox: ServedSandbox, sr: dict[str, Any]) -> None:
    for signer in sr["signers"]:
        control(
            sandbox.base_url, f"/yousign/_sandbox/signature_requests/{sr['id']}/signers/{signer['id']}/sign"
        )


def remote(ctx: AppContext, sandbox: ServedSandbox, request_id: str) -> dict[str, Any]:
    request = ctx.repos.signatures.require(request_id)
    [sr] = [sr for sr in yousign_requests(sandbox) if sr["id"] == request.remote_id]
    return sr
