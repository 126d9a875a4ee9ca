"""« Envoyer » (S5) through the service, over real HTTP to the served sandbox: the pre-flight first, then one
result per file; a provider failing mid-batch loses nothing and a re-run finishes without a duplicate."""

from __future__ import annotations

from datetime import timedelta
from itertools import combinations
from pathlib import Path

import httpx
import pytest

from lsc_tui.domain.boxes import overlaps
from lsc_tui.domain.models import Placement
from lsc_tui.domain.roles import Role
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.services import signature_files, signature_prepare, signature_send
from lsc_tui.services.batches import Collector
from lsc_tui.services.context import AppContext
from lsc_tui.store import ANY_REV
from tests.conftest import ServedSandbox
from tests.integration.signature_flow_kit import (
    OutageAfter,
    make_events,
    wired,
    yousign_requests,
)


def lease_file(ctx: AppContext) -> str:
    lease = next(e.id for e in ctx.repos.events.all() if e.title.startswith("Bail colocation"))
    return signature_prepare.expedite(ctx, [lease]).ids[0]


async def test_the_co_tenancy_lease_is_stopped_on_a_phone_then_sent_with_every_box(
    tmp_path: Path, sandbox: ServedSandbox
) -> None:
    ctx = wired(tmp_path, sandbox)
    request_id = lease_file(ctx)
    [checked] = signature_send.preflight(ctx, [request_id])
    [problem] = checked.problems
    assert (problem.signer, problem.field, problem.fix) == (1, "phone", "+33608904123")
    assert "Hugo Fontaine (Colocataires)" in problem.message
    fixed = signature_files.accept_fix(ctx, request_id, problem, expect_rev=checked.request.rev)
    hugo = ctx.repos.parties.require(checked.request.signers[1].party_id)
    assert hugo.mobile == "+33608904123"  # the party's file is corrected too: the next letter will not stop
    fixed = signature_files.set_note(ctx, request_id, "Merci de signer avant vendredi.", expect_rev=fixed.rev)
    assert signature_send.preflight(ctx, [request_id])[0].problems == ()
    progress = Collector()
    report = await signature_send.send_requests(ctx, [request_id], progress)
    assert report.all_ok and [r.message for r in progress.report.results] == ["Attente signature"]
    sent = ctx.repos.signatures.require(request_id)
    assert sent.status is SignatureStatus.PENDING and sent.sent_at and sent.expires_at
    [remote] = yousign_requests(sandbox, sent.reference)
    assert sent.remote_id == remote["id"] and remote["status"] == "ongoing"
    assert remote["email_custom_note"] == "Merci de signer avant vendredi."
    assert [s.remote_id for s in sent.signers] == [s["id"] for s in remote["signers"]]
    assert {s["info"]["phone_number"] for s in remote["signers"]} >= {"+33608904123"}
    modes = [s["signature_authentication_mode"] for s in remote["signers"]]
    assert modes == ["otp_sms"] * 5 + ["otp_email"]  # the manager has no mobile: an email code (YouSign)
    fields = [
        Placement(Role.FREE_SLOT, f["page"], f["x"], f["y"], f["width"], f["height"])
        for s in remote["signers"] for f in s["fields"]
    ]  # fmt: skip
    assert len(fields) == 9  # 3 co-tenants × 2 pages, 2 guarantors, the manager
    assert not any(overlaps(a, b) for a, b in combinations(fields, 2))


async def test_a_provider_failing_mid_batch_loses_nothing_and_a_rerun_finishes_without_duplicates(
    tmp_path: Path, sandbox: ServedSandbox
) -> None:
    outage = OutageAfter(activations=3)
    ctx = wired(tmp_path, sandbox, transport=outage)
    ids = signature_prepare.expedite(ctx, make_events(ctx, 7)).ids
    signature_send.CONCURRENCY, saved = (
        1,
        signature_send.CONCURRENCY,
    )  # one at a time: which ones fail is known
    try:
        first = await signature_send.send_requests(ctx, ids, Collector())
    finally:
        signature_send.CONCURRENCY = saved
    assert (first.succeeded, len(first.failed)) == (3, 4)
    assert all("relancez l'envoi" in r.message for r in first.failed)
    statuses = [ctx.repos.signatures.require(i).status for i in ids]
    assert statuses == [SignatureStatus.PENDING] * 3 + [SignatureStatus.SENDING] * 4  # nothing lost
    outage.restore()
    again = await signature_send.send_requests(ctx, ids, Collector())
    assert again.all_ok, again.results
    assert {r.message for r in again.results[:3]} == {"déjà envoyée (Attente signature)"}
    files = [ctx.repos.signatures.require(i) for i in ids]
    assert {f.status for f in files} == {SignatureStatus.PENDING}
    for f in files:
        [remote] = yousign_requests(sandbox, f.reference)  # exactly one request per file at the provider
        assert remote["id"] == f.remote_id and remote["status"] == "ongoing"


class StopAfterFirst(httpx.AsyncBaseTransport):
    """Presses Escape (cancels the progress) as soon as the provider activated the first request."""

    def __init__(self, progress: Collector) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.progress = progress

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.url.path.endswith("/activate"):
            self.progress.cancel()
        return response


async def test_stopping_a_batch_puts_the_files_not_started_back_to_send(
    tmp_path: Path, sandbox: ServedSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    progress = Collector()
    ctx = wired(tmp_path, sandbox, transport=StopAfterFirst(progress))
    ids = signature_prepare.expedite(ctx, make_events(ctx, 4)).ids
    monkeypatch.setattr(signature_send, "CONCURRENCY", 1)
    report = await signature_send.send_requests(ctx, ids, progress)
    statuses = [ctx.repos.signatures.require(i).status for i in ids]
    assert statuses == [SignatureStatus.PENDING] + [SignatureStatus.DRAFT] * 3  # the one in flight finished
    assert report.succeeded == 1 and "arrêt demandé" in report.failed[0].message
    assert len(yousign_requests(sandbox)) == 1


async def test_esign_refusing_for_lack_of_credits_sets_the_file_in_error_with_its_reason(
    tmp_path: Path, sandbox: ServedSandbox
) -> None:
    for account in sandbox.accounts["esign"]["api_keys"].values():
        account["credits_left"] = 1
    ctx = wired(tmp_path, sandbox, provider="esign")
    events = make_events(ctx, 2)
    template = ctx.repos.templates.require(ctx.repos.events.require(events[0]).template_id)
    with ctx.write() as w:  # ESign asks every signer for a mobile with the SMS code: the manager has none
        w.templates.save(template.evolve(skip_sms=True))
    ids = signature_prepare.expedite(ctx, events).ids
    report = await signature_send.send_requests(ctx, ids, Collector())
    assert report.succeeded == 1 and "Crédit de signatures épuisé" in report.failed[0].message
    refused = ctx.repos.signatures.require(report.failed[0].key)
    assert refused.status is SignatureStatus.ERROR and "Crédit" in refused.reason
    assert ctx.repos.signatures.require(report.results[0].key).provider == "esign"


async def test_a_file_another_batch_is_sending_is_left_to_it_then_taken_over(
    tmp_path: Path, sandbox: ServedSandbox
) -> None:
    ctx = wired(tmp_path, sandbox)
    [request_id] = signature_prepare.expedite(ctx, make_events(ctx, 1)).ids
    started = ctx.now().isoformat(timespec="seconds")
    with ctx.write() as w:  # julien's batch marked it a moment ago, in another process
        w.signatures.set_status(
            request_id, SignatureStatus.SENDING, expect_rev=ANY_REV, sending=f"julien 4242 {started}"
        )
    busy = await signature_send.send_requests(ctx, [request_id], Collector())
    assert not busy.all_ok and "envoi en cours par julien" in busy.failed[0].message
    assert yousign_requests(sandbox) == []
    long_ago = (ctx.now() - timedelta(minutes=10)).isoformat(timespec="seconds")
    with ctx.write() as w:  # that batch died long ago: the file is taken over, looked up first, sent once
        w.signatures.change(request_id, {"sending": f"julien 4242 {long_ago}"}, expect_rev=ANY_REV)
    assert (await signature_send.send_requests(ctx, [request_id], Collector())).all_ok
    assert len(yousign_requests(sandbox)) == 1
