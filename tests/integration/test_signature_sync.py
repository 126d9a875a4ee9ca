""" "Récupérer les signatures du nuage" (MISSION S7) at the provider boundary: `changes(cursor)` reports what
changed since the last sync and nothing else, and costs no more than the changed requests plus the listing
pages — counted by the sandbox (`ctx.calls`), not estimated. YouSign's quota is kept by the client's pacer;
without it, a 429 is waited out as long as the sandbox's Retry-After says."""

from __future__ import annotations

from datetime import timedelta

from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.providers.base import RemoteSignature
from lsc_tui.providers.esign import ESignClient
from lsc_tui.providers.factory import build_providers
from lsc_tui.providers.http import RetryPolicy
from lsc_tui.providers.pacing import YOUSIGN_PRODUCTION, YOUSIGN_SANDBOX, RateLimit
from lsc_tui.providers.sync import SyncCursor
from lsc_tui.providers.yousign import YouSignClient
from tests.conftest import ServedSandbox
from tests.integration.signature_kit import FAST, VirtualSleep, control, esign_key, order, yousign_key

LIST = "GET /yousign/v3/signature_requests"
PATIENT = RetryPolicy(attempts=6, base_delay=0.01, max_delay=1.0, jitter=0.0, max_retry_after=120)


def yousign(sandbox: ServedSandbox, **kw: object) -> YouSignClient:
    kw.setdefault("policy", FAST)
    return YouSignClient(sandbox.yousign_url, yousign_key(sandbox.accounts), **kw)  # type: ignore[arg-type]


def api_calls(sandbox: ServedSandbox, prefix: str) -> int:
    return sum(count for call, count in sandbox.ctx.calls.items() if call.split(" ", 1)[1].startswith(prefix))


def by_id(found: list[RemoteSignature]) -> dict[str, RemoteSignature]:
    return {r.remote_id: r for r in found}


def act(sandbox: ServedSandbox, sent: RemoteSignature, action: str, body: dict | None = None) -> None:
    control(sandbox.base_url, f"/yousign/_sandbox/signature_requests/{sent.remote_id}/signers/"
            f"{sent.signers[0].remote_id}/{action}", body)  # fmt: skip


async def test_a_sync_costs_the_changed_requests_plus_the_listing_pages(sandbox: ServedSandbox) -> None:
    client = yousign(sandbox)
    client.page_size = 5
    try:
        sent = [await client.send(order(f"sync-{n}")) for n in range(12)]  # N = 12 pending files
        first, cursor = await client.changes(None)  # never synced: everything, once
        assert sorted(by_id(first)) == sorted(s.remote_id for s in sent)
        act(sandbox, sent[0], "sign")
        act(sandbox, sent[1], "decline", {"reason": "Le loyer est faux."})
        await client.cancel(sent[2].remote_id, "other", "Signé sur papier")
        before = api_calls(sandbox, "/yousign/v3/")
        changed, cursor = await client.changes(cursor)
        cost = api_calls(sandbox, "/yousign/v3/") - before
        pages = 3  # 12 requests, 5 a page
        assert {r.remote_id: r.status for r in changed} == {
            sent[0].remote_id: SignatureStatus.SIGNED,
            sent[1].remote_id: SignatureStatus.DECLINED,
            sent[2].remote_id: SignatureStatus.CANCELLED,
        }
        assert (
            by_id(changed)[sent[1].remote_id].reason == "Le loyer est faux."
        )  # read from the request itself
        assert cost == pages + 1 <= len(changed) + pages  # the listing, and the declined request read again
        before = api_calls(sandbox, "/yousign/v3/")
        nothing, cursor = await client.changes(cursor)
        assert nothing == [] and api_calls(sandbox, "/yousign/v3/") - before == pages
        newcomer = await client.send(order("sync-new"))
        later, cursor = await client.changes(cursor)
        assert [(r.remote_id, r.status) for r in later] == [(newcomer.remote_id, SignatureStatus.PENDING)]
    finally:
        await client.aclose()


async def test_the_listing_window_follows_the_oldest_open_request(sandbox: ServedSandbox) -> None:
    """Once everything old is finished, a sync no longer lists it; a request reactivated after that is
    followed through `watch`, read on its own (one call), until it changes."""
    client = yousign(sandbox)
    try:
        old = await client.send(order("window-old"))
        act(sandbox, old, "sign")
        expired = await client.send(order("window-expired"))
        control(sandbox.base_url, f"/yousign/_sandbox/signature_requests/{expired.remote_id}/expire")
        _, cursor = await client.changes(None)
        sandbox.ctx.clock.advance(days=10)
        fresh = await client.send(order("window-new"))
        changed, cursor = await client.changes(cursor)
        assert [r.remote_id for r in changed] == [fresh.remote_id]
        window = SyncCursor.decode(cursor)
        assert (
            window is not None
            and window.floor == (sandbox.ctx.clock.now().date() - timedelta(days=1)).isoformat()
        )
        assert window.open == {fresh.remote_id}  # the finished ones are out of the next listing
        await client.reactivate(expired.remote_id, sandbox.ctx.clock.now().date() + timedelta(days=5))
        one_read = f"GET /yousign/v3/signature_requests/{expired.remote_id}"
        quiet, cursor = await client.changes(cursor, watch={expired.remote_id})
        assert (
            quiet == [] and sandbox.ctx.calls[one_read] == 1
        )  # outside the window: read on its own, pending
        act(sandbox, expired, "sign")
        done, cursor = await client.changes(cursor)  # open again, so back in the window: no `watch` needed
        assert [(r.remote_id, r.status) for r in done] == [(expired.remote_id, SignatureStatus.SIGNED)]
        assert sandbox.ctx.calls[one_read] == 1
    finally:
        await client.aclose()


async def test_a_lost_or_foreign_cursor_means_a_full_sync(sandbox: ServedSandbox) -> None:
    client = yousign(sandbox)
    try:
        sent = await client.send(order("cursor-1"))
        for cursor in (None, "", "not-a-cursor", "eyJ2IjogOX0="):
            found, _ = await client.changes(cursor)
            assert [r.remote_id for r in found] == [sent.remote_id]
    finally:
        await client.aclose()


async def test_esign_changes_follow_updated_since(sandbox: ServedSandbox) -> None:
    esign = ESignClient(sandbox.esign_url, esign_key(sandbox.accounts), policy=FAST)
    esign.page_size = 2
    try:
        sent = [await esign.send(order(f"es-{n}")) for n in range(5)]
        first, cursor = await esign.changes(None)
        assert sorted(by_id(first)) == sorted(s.remote_id for s in sent)
        sandbox.ctx.clock.advance(seconds=5)
        control(sandbox.base_url, f"/esign/_sandbox/envelopes/{sent[3].remote_id}/signers/"
                f"{sent[3].signers[0].remote_id}/withdraw", {"reason": "Je ne loue plus."})  # fmt: skip
        before = api_calls(sandbox, "/esign/v1/")
        changed, cursor = await esign.changes(cursor)
        assert [(r.remote_id, r.status, r.reason) for r in changed] == [
            (sent[3].remote_id, SignatureStatus.DECLINED, "Je ne loue plus.")
        ]
        assert api_calls(sandbox, "/esign/v1/") - before == 1  # one page: only what changed is listed
        again, _ = await esign.changes(cursor)
        assert again == []  # the boundary instant is not reported twice
    finally:
        await esign.aclose()


async def test_the_pacer_keeps_yousigns_quota(sandbox: ServedSandbox) -> None:
    client = yousign(sandbox)
    try:
        for n in range(8):
            await client.send(order(f"quota-{n}"))
    finally:
        await client.aclose()
    sandbox.accounts["yousign"]["rate_limit"] = {"per_minute": 3, "per_hour": 1000}  # read on each request
    sandbox.ctx.clock.advance(seconds=60)  # the sends were a minute ago: a fresh window for the sync
    sleep = VirtualSleep(sandbox.ctx.clock)
    paced = yousign(sandbox, sleep=sleep, rate_limit=RateLimit(3, 1000),
                    clock=lambda: sandbox.ctx.clock.now().timestamp())  # fmt: skip
    paced.page_size = 2
    try:
        found, _ = await paced.changes(None)
    finally:
        await paced.aclose()
    assert len(found) == 8 and sandbox.ctx.calls[LIST] >= 4
    assert sandbox.ctx.quota_refusals["yousign"] == 0  # never met a 429
    assert len(sleep.waits) == 1  # 4 pages, 3 a minute: it waited once for a slot instead


async def test_without_the_pacer_a_429_is_waited_out(sandbox: ServedSandbox) -> None:
    client = yousign(sandbox)
    try:
        for n in range(6):
            await client.send(order(f"quota-{n}"))
    finally:
        await client.aclose()
    sandbox.accounts["yousign"]["rate_limit"] = {"per_minute": 2, "per_hour": 1000}
    sandbox.ctx.clock.advance(seconds=60)
    sleep = VirtualSleep(sandbox.ctx.clock)
    eager = yousign(sandbox, sleep=sleep, policy=PATIENT)
    eager.page_size = 2
    try:
        found, _ = await eager.changes(None)
    finally:
        await eager.aclose()
    assert len(found) == 6
    assert sandbox.ctx.quota_refusals["yousign"] == len(sleep.waits) > 0
    assert all(wait > PATIENT.max_delay for wait in sleep.waits)  # the Retry-After, not our own backoff


async def test_the_factory_paces_yousign_as_documented_for_each_environment() -> None:
    real = build_providers({"yousign": {"api_key": "k1"}})
    trial = build_providers({"yousign": {"api_key": "k2", "base_url": "https://api-sandbox.yousign.app/v3"}})
    local = build_providers({"yousign": {"api_key": "k3", "base_url": "sandbox"}})
    try:
        assert real.yousign is not None and real.yousign.rate_limit == YOUSIGN_PRODUCTION
        assert trial.yousign is not None and trial.yousign.rate_limit == YOUSIGN_SANDBOX
        assert local.yousign is not None and local.yousign.rate_limit is None  # our sandbox: no quota to keep
    finally:
        for providers in (real, trial, local):
            await providers.aclose()


async def test_each_change_is_told_before_the_listing_ends(sandbox: ServedSandbox) -> None:
    """A sync starts downloading a signed PDF while the next listing page is on its way (pages come one after
    the other: a cursor), so the listing's pages and the downloads overlap instead of adding up."""
    client = yousign(sandbox)
    client.page_size = 5
    try:
        sent = {s.remote_id: s for s in [await client.send(order(f"early-{n}")) for n in range(12)]}
        listed, cursor = await client.changes(None)  # never synced: all 12, in the listing's order
        # one on the first page, one on the last (sent within one second, they list in their ids' order)
        first, last = sent[listed[0].remote_id], sent[listed[-1].remote_id]
        act(sandbox, first, "sign")
        act(sandbox, last, "sign")
        told: dict[str, int] = {}

        def on_change(remote: RemoteSignature) -> None:
            told[remote.remote_id] = sandbox.ctx.calls[LIST]

        before = sandbox.ctx.calls[LIST]
        changed, _ = await client.changes(cursor, on_change=on_change)
        pages = sandbox.ctx.calls[LIST] - before
        assert pages == 3 and set(told) == {r.remote_id for r in changed} == {first.remote_id, last.remote_id}
        assert min(told.values()) - before < pages  # told while the listing was still going
    finally:
        await client.aclose()
