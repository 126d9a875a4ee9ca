"""The demo's signature files made real at the sandbox, so that every one of them behaves like a real file.

The seed (services/demo.py) writes files in every status; here, once, when a demo folder is made, each one that
could really have been sent is sent to the sandbox (autopilot off: they stay as seeded) and its signers act
through the sandbox's control routes — sign, decline with the seeded reason, or the request is cancelled or
expired — then one sync brings back what a real one would: signed PDFs, return events, reasons. A seeded file
the provider would refuse (a name with « & », a signer to complete) stays as seeded, never sent.
"""

from __future__ import annotations

import asyncio
import dataclasses
from concurrent.futures import ThreadPoolExecutor

import httpx

from lsc_tui.config import secrets_for
from lsc_tui.documents.archive import store_file
from lsc_tui.domain.models import SignatureRequest
from lsc_tui.domain.preflight import check_request
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.providers.base import RemoteSignature, SignatureProvider
from lsc_tui.providers.factory import SANDBOX_URLS, build_providers
from lsc_tui.services import deliveries, rendering, signature_prepare, signature_send, signature_sync
from lsc_tui.services.context import AppContext
from lsc_tui.store import ANY_REV

SEEDED = {
    SignatureStatus.PENDING,
    SignatureStatus.SIGNED,
    SignatureStatus.DECLINED,
    SignatureStatus.CANCELLED,
    SignatureStatus.EXPIRED,
}
CONTROL = SANDBOX_URLS["yousign"].removesuffix("/v3") + "/_sandbox/signature_requests"


def seed_sandbox(ctx: AppContext, transport: httpx.AsyncBaseTransport) -> int:
    """Send the seeded files through `transport` (a sandbox without autopilot); returns how many."""
    providers = build_providers(secrets_for(ctx.data_dir).effective(), transport)
    seeding = dataclasses.replace(ctx, providers=providers)
    with ThreadPoolExecutor(1) as thread:  # its own event loop, whether or not the caller runs one
        return thread.submit(asyncio.run, _seed(seeding, transport)).result()


async def _seed(ctx: AppContext, transport: httpx.AsyncBaseTransport) -> int:
    client = ctx.providers.yousign
    assert client is not None, "the demo's secrets name a YouSign sandbox key"
    sent = 0
    async with httpx.AsyncClient(transport=transport) as http:
        try:
            for request in ctx.repos.signatures.all():
                request, pdf = _with_document(ctx, request)
                if request.status in SEEDED and await _send(ctx, client, http, request, pdf):
                    sent += 1
            await signature_sync.sync(ctx)
        finally:
            await ctx.providers.aclose()
    return sent


def _with_document(ctx: AppContext, request: SignatureRequest) -> tuple[SignatureRequest, bytes]:
    """The PDF a file gets when it is prepared (signature_prepare), rendered from its event and kept, whatever
    the seeded status: without it an « À envoyer » file could not be sent, and its fiche flagged every box."""
    render = rendering.render_event_pdf(ctx, request.event_id)
    stored = store_file(ctx.data_dir, signature_prepare.ARCHIVE, request.reference, render.pdf.data)
    pages = tuple((p.width_pt, p.height_pt) for p in render.pdf.pages)
    with ctx.write() as w:
        request = w.signatures.update(
            request.id, expect_rev=request.rev, pdf_path=stored.path, pdf_sha256=stored.sha256, pages=pages
        )
    return request, render.pdf.data


async def _send(
    ctx: AppContext, client: SignatureProvider, http: httpx.AsyncClient, request: SignatureRequest, pdf: bytes
) -> bool:
    signers = list(request.signers)
    for problem in check_request(request, provider="yousign", pages=request.pages):
        if problem.signer is None or not problem.fix:
            return False  # as the provider would refuse it: it stays as seeded, never sent
        signers[problem.signer] = signers[problem.signer].evolve(**{problem.field: problem.fix})
    if signers != list(request.signers):
        with ctx.write() as w:
            request = w.signatures.update(request.id, expect_rev=request.rev, signers=tuple(signers))
    remote = await client.send(signature_send.order_for(request, pdf, client))
    with ctx.write() as w:  # back to « Attente signature » with its ids: the sync below brings the outcome
        signers = [
            s.evolve(remote_id=r.remote_id).to_record()
            for s, r in zip(request.signers, remote.signers, strict=False)
        ]
        saved = w.signatures.change(
            request.id,
            {"status": "pending", "remote_id": remote.remote_id, "signers": signers},
            expect_rev=ANY_REV,
        )
        deliveries.record_invitations(ctx, w, saved, remote)  # the « Rapport des envois » lists them
    await _act(http, client, request.status, request.reason, remote)
    return True


async def _act(
    http: httpx.AsyncClient,
    client: SignatureProvider,
    status: SignatureStatus,
    reason: str,
    remote: RemoteSignature,
) -> None:
    base = f"{CONTROL}/{remote.remote_id}"
    if status is SignatureStatus.SIGNED:
        for signer in remote.signers:
            (await http.post(f"{base}/signers/{signer.remote_id}/sign")).raise_for_status()
    elif status is SignatureStatus.DECLINED:
        url = f"{base}/signers/{remote.signers[0].remote_id}/decline"
        (await http.post(url, json={"reason": reason or "Refus sans motif."})).raise_for_status()
    elif status is SignatureStatus.CANCELLED:
        await client.cancel(remote.remote_id, "other", reason)
    elif status is SignatureStatus.EXPIRED:
        (await http.post(f"{base}/expire")).raise_for_status()
