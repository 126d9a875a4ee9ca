"""« Récupérer les signatures du nuage » (S7) through the service, signers driven by the sandbox's control
routes: the signed PDF kept byte for byte with a return event linked both ways, a declined file with its
reason, a file left « Envoi en cours » by a crash found by its reference; a second sync changes nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx

from lsc_tui.documents.archive import read_file
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.services import signature_files, signature_prepare, signature_send, signature_sync
from lsc_tui.services.batches import Collector
from lsc_tui.services.context import AppContext
from lsc_tui.store import ANY_REV
from tests.conftest import ServedSandbox
from tests.integration.signature_flow_kit import make_events, wired, yousign_requests
from tests.integration.signature_kit import control


async def sent_files(ctx: AppContext, count: int) -> list[str]:
    ids = signature_prepare.expedite(ctx, make_events(ctx, count)).ids
    assert (await signature_send.send_requests(ctx, ids, Collector())).all_ok
    return ids


def act(
    sandbox: ServedSandbox, ctx: AppContext, request_id: str, action: str, body: dict | None = None
) -> None:
    """Every signer of the file signs (or the first declines), as at YouSign's signing page."""
    request = ctx.repos.signatures.require(request_id)
    signers = request.signers if action == "sign" else request.signers[:1]
    for signer in signers:
        control(sandbox.base_url, f"/yousign/_sandbox/signature_requests/{request.remote_id}/signers/"
                f"{signer.remote_id}/{action}", body)  # fmt: skip


async def test_a_signed_file_gets_its_pdf_a_return_event_and_a_second_sync_changes_nothing(
    tmp_path: Path, sandbox: ServedSandbox
) -> None:
    ctx = wired(tmp_path, sandbox)
    [request_id] = await sent_files(ctx, 1)
    act(sandbox, ctx, request_id, "sign")
    report = await signature_sync.sync(ctx)
    assert [(c.request_id, c.after) for c in report.changes] == [(request_id, SignatureStatus.SIGNED)]
    signed = ctx.repos.signatures.require(request_id)
    assert signed.status.code == "2" and signed.received_at and signed.remote_id
    [remote] = yousign_requests(sandbox, signed.reference)
    kept = read_file(ctx.data_dir, signed.signed_pdf_path, sha256=signed.signed_sha256)
    async with httpx.AsyncClient() as http:  # byte for byte what the provider hands out
        headers = {"Authorization": f"Bearer {next(iter(sandbox.accounts['yousign']['api_keys']))}"}
        url = f"{sandbox.yousign_url}/signature_requests/{remote['id']}/documents/download"
        given = (await http.get(url, params={"version": "completed"}, headers=headers)).content
    assert kept == given and hashlib.sha256(kept).hexdigest() == signed.signed_sha256
    returned = ctx.repos.events.require(signed.return_event_id)
    history = ctx.repos.templates.historisation()
    assert history is not None and returned.template_id == history.id
    assert returned.signature_request_id == request_id and returned.state == "filed"
    assert returned.attachments == (f"documents/{signed.signed_pdf_path}",)
    assert ctx.repos.events.require(signed.event_id).state == "filed"
    assert [s.status for s in signed.signers] == ["signed", "signed"]
    again = await signature_sync.sync(ctx)
    assert (
        again.changes == [] and again.summary() == "Signatures à jour : rien n'a changé chez le prestataire."
    )
    assert ctx.repos.signatures.require(request_id).rev == signed.rev
    view = signature_files.save_signed_pdf(ctx, request_id, str(tmp_path / "copie.pdf"))
    assert (
        (tmp_path / "copie.pdf").read_bytes() == kept and view.pages and view.saved_to.endswith("copie.pdf")
    )


async def test_declined_with_its_reason_expired_and_cancelled_are_mapped(
    tmp_path: Path, sandbox: ServedSandbox
) -> None:
    ctx = wired(tmp_path, sandbox)
    declined, expired, cancelled, quiet = await sent_files(ctx, 4)
    act(sandbox, ctx, declined, "decline", {"reason": "Le loyer ne correspond pas au bail convenu."})
    control(sandbox.base_url,
            f"/yousign/_sandbox/signature_requests/{ctx.repos.signatures.require(expired).remote_id}/expire")  # fmt: skip
    assert ctx.providers.yousign is not None
    await ctx.providers.yousign.cancel(
        ctx.repos.signatures.require(cancelled).remote_id, "other", "Sur papier"
    )
    report = await signature_sync.sync(ctx)
    after = {c.request_id: c.after for c in report.changes}
    assert after == {
        declined: SignatureStatus.DECLINED,
        expired: SignatureStatus.EXPIRED,
        cancelled: SignatureStatus.CANCELLED,
    }
    assert ctx.repos.signatures.require(declined).reason == "Le loyer ne correspond pas au bail convenu."
    assert ctx.repos.signatures.require(quiet).status is SignatureStatus.PENDING
    assert "3 fiches mises à jour" in report.summary()


async def test_a_file_left_sending_by_a_crash_is_found_by_its_reference(
    tmp_path: Path, sandbox: ServedSandbox
) -> None:
    ctx = wired(tmp_path, sandbox)
    [request_id] = signature_prepare.expedite(ctx, make_events(ctx, 1)).ids
    request = ctx.repos.signatures.require(request_id)
    pdf = read_file(ctx.data_dir, request.pdf_path, sha256=request.pdf_sha256)
    assert ctx.providers.yousign is not None
    await ctx.providers.yousign.send(signature_send.order_for(request, pdf, ctx.providers.yousign))
    with ctx.write() as w:  # the app died between the provider's answer and our write
        w.signatures.set_status(request_id, SignatureStatus.SENDING, expect_rev=ANY_REV)
    report = await signature_sync.sync(ctx)
    assert [(c.before, c.after) for c in report.changes] == [
        (SignatureStatus.SENDING, SignatureStatus.PENDING)
    ]
    found = ctx.repos.signatures.require(request_id)
    assert found.remote_id == yousign_requests(sandbox, request.reference)[0]["id"] and found.sent_at


class NoDownloads(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.blocked = True

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.blocked and request.url.path.endswith("/documents/download"):
            return httpx.Response(500, json={"type": "error", "detail": "boom"}, request=request)
        return await self.inner.handle_async_request(request)


async def test_a_signed_pdf_that_could_not_be_downloaded_is_asked_for_again(
    tmp_path: Path, sandbox: ServedSandbox
) -> None:
    transport = NoDownloads()
    ctx = wired(tmp_path, sandbox, transport=transport)
    [request_id] = await sent_files(ctx, 1)
    act(sandbox, ctx, request_id, "sign")
    first = await signature_sync.sync(ctx)
    assert first.changes == [] and "PDF signé non reçu" in first.errors[0]
    assert ctx.repos.signatures.require(request_id).status is SignatureStatus.PENDING
    transport.blocked = False
    second = await signature_sync.sync(ctx)
    assert [c.after for c in second.changes] == [SignatureStatus.SIGNED]
