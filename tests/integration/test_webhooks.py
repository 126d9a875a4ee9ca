"""Webhooks from the YouSign and ESign sandboxes to a real receiver on 127.0.0.1, checked and parsed by the
provider-side functions the service will use. Retries are due on the sandbox clock: the tests move it."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.providers.esign import ESignClient
from lsc_tui.providers.webhooks import (
    ESIGN_HEADER,
    YOUSIGN_HEADER,
    IgnoredEvent,
    InvalidWebhook,
    MessageEvent,
    WebhookEvent,
    parse_ar24_webhook,
    parse_esign_webhook,
    parse_webhook,
    parse_yousign_webhook,
    verify_webhook,
)
from lsc_tui.providers.yousign import YouSignClient
from tests.conftest import ServedSandbox, serve_sandbox
from tests.integration.signature_kit import FAST, control, esign_key, order, yousign_key
from tests.integration.webhook_receiver import Receiver
from tests.integration.yousign_schema import problems

YOUSIGN_RETRIES = (120, 360, 1800, 3600, 18000, 64800, 86400, 172800)  # yousign.md §8


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as served:
        yield served


@pytest.fixture
def hooked(receiver: Receiver) -> Iterator[ServedSandbox]:
    yield from serve_sandbox(webhook_url=receiver.url)


def secret_of(sandbox: ServedSandbox, provider: str) -> str:
    return sandbox.accounts[provider]["webhook"]["secret"]


async def test_yousign_events_are_signed_shaped_and_parsed(hooked: ServedSandbox, receiver: Receiver) -> None:
    client = YouSignClient(hooked.yousign_url, yousign_key(hooked.accounts), policy=FAST)
    sent = await client.send(order("chrono-hook"))
    await client.aclose()
    control(hooked.base_url, f"/yousign/_sandbox/signature_requests/{sent.remote_id}/signers/"
            f"{sent.signers[0].remote_id}/sign")  # fmt: skip
    assert hooked.ctx.webhooks.settle()
    secret = secret_of(hooked, "yousign")
    names = [json.loads(call.body)["event_name"] for call in receiver.calls]
    assert names == [
        "signature_request.activated",
        "signer.notified",
        "signer.done",
        "signature_request.done",
    ]
    assert len({json.loads(call.body)["event_id"] for call in receiver.calls}) == 4
    for call in receiver.calls:
        assert verify_webhook(call.body, call.headers[YOUSIGN_HEADER], secret)
        assert call.headers["X-Yousign-Retry"] == "0" and call.headers["User-Agent"] == "Yousign Webhook Bot"
        assert problems(json.loads(call.body), "Webhook") == []
    parsed = [parse_yousign_webhook(call.body) for call in receiver.calls]
    assert [type(p) for p in parsed] == [WebhookEvent, MessageEvent, IgnoredEvent, WebhookEvent]
    notified = parsed[1]  # the invitation email (O3): which request and which signer
    assert isinstance(notified, MessageEvent)
    assert (notified.remote_id, notified.signer_id) == (sent.remote_id, sent.signers[0].remote_id)
    done = parsed[-1]
    assert isinstance(done, WebhookEvent)
    assert (done.remote_id, done.status, done.reference) == (
        sent.remote_id,
        SignatureStatus.SIGNED,
        "chrono-hook",
    )
    assert done.occurred_at is not None and done.occurred_at.tzinfo is not None


async def test_a_decline_carries_its_reason(hooked: ServedSandbox, receiver: Receiver) -> None:
    client = YouSignClient(hooked.yousign_url, yousign_key(hooked.accounts), policy=FAST)
    sent = await client.send(order("chrono-hook-no"))
    await client.aclose()
    control(hooked.base_url, f"/yousign/_sandbox/signature_requests/{sent.remote_id}/signers/"
            f"{sent.signers[0].remote_id}/decline", {"reason": "Le loyer est faux."})  # fmt: skip
    assert hooked.ctx.webhooks.settle()
    events = [parse_webhook("yousign", call.body) for call in receiver.calls]
    declined = [e for e in events if isinstance(e, WebhookEvent) and e.status is SignatureStatus.DECLINED]
    assert [(e.remote_id, e.reason) for e in declined] == [(sent.remote_id, "Le loyer est faux.")]


async def test_failed_deliveries_are_retried_on_yousign_schedule_then_given_up() -> None:
    with Receiver(statuses=(500,)) as failing:
        for sandbox in serve_sandbox():
            control(sandbox.base_url, "/yousign/_sandbox/webhook", {"url": failing.url})
            client = YouSignClient(sandbox.yousign_url, yousign_key(sandbox.accounts), policy=FAST)
            sent = await client.send(order("chrono-retry"))
            await client.aclose()
            assert sandbox.ctx.webhooks.settle()
            first = json.loads(failing.calls[0].body)
            assert first["event_name"] == "signature_request.activated" and len(failing.calls) == 2
            sandbox.ctx.clock.advance(seconds=119)  # not yet due: nothing is sent
            assert sandbox.ctx.webhooks.settle() and len(failing.calls) == 2
            for delay in YOUSIGN_RETRIES:
                sandbox.ctx.clock.advance(seconds=delay)
                assert sandbox.ctx.webhooks.settle()
            sandbox.ctx.clock.advance(days=30)  # after the last retry nothing more is ever sent
            assert sandbox.ctx.webhooks.settle()
            activated = [c for c in failing.calls if json.loads(c.body)["event_id"] == first["event_id"]]
            assert [c.headers["X-Yousign-Retry"] for c in activated] == [str(n) for n in range(9)]
            assert {c.body for c in activated} == {failing.calls[0].body}  # same event, same bytes, same id
            state = httpx.get(f"{sandbox.base_url}/yousign/_sandbox/webhook", timeout=5).json()
            first_two = {json.loads(c.body)["event_id"] for c in failing.calls[:2]}
            given_up = [d for d in state["deliveries"] if d["event_id"] in first_two]
            assert len(given_up) == 2 and all(not d["delivered"] and d["next_at"] is None for d in given_up)
            assert sent.remote_id == first["data"]["signature_request"]["id"]


async def test_a_retry_after_a_failure_is_delivered() -> None:
    with Receiver(statuses=(503, 503, 200)) as flaky:
        for sandbox in serve_sandbox(webhook_url=flaky.url):
            key = esign_key(sandbox.accounts)
            client = ESignClient(sandbox.esign_url, key, policy=FAST)
            sent = await client.send(order("chrono-esign-hook"))
            await client.aclose()
            assert sandbox.ctx.webhooks.settle() and [c.answered for c in flaky.calls] == [503]
            sandbox.ctx.clock.advance(seconds=60)
            assert sandbox.ctx.webhooks.settle() and [c.answered for c in flaky.calls] == [503, 503]
            sandbox.ctx.clock.advance(seconds=300)
            assert sandbox.ctx.webhooks.settle() and [c.answered for c in flaky.calls] == [503, 503, 200]
            assert [c.headers["X-ESign-Retry"] for c in flaky.calls] == ["0", "1", "2"]
            secret = secret_of(sandbox, "esign")
            assert all(verify_webhook(c.body, c.headers[ESIGN_HEADER], secret) for c in flaky.calls)
            event = parse_esign_webhook(flaky.calls[-1].body)
            assert isinstance(event, WebhookEvent)
            assert (event.remote_id, event.status, event.reference) == (
                sent.remote_id, SignatureStatus.PENDING, "chrono-esign-hook",
            )  # fmt: skip


async def test_esign_withdrawal_event(hooked: ServedSandbox, receiver: Receiver) -> None:
    client = ESignClient(hooked.esign_url, esign_key(hooked.accounts), policy=FAST)
    sent = await client.send(order("chrono-esign-w"))
    await client.aclose()
    control(hooked.base_url, f"/esign/_sandbox/envelopes/{sent.remote_id}/signers/{sent.signers[0].remote_id}"
            "/withdraw", {"reason": "Je ne loue plus."})  # fmt: skip
    assert hooked.ctx.webhooks.settle()
    events = [parse_esign_webhook(c.body) for c in receiver.calls]
    assert [(e.name, e.status, e.reason) for e in events if isinstance(e, WebhookEvent)] == [
        ("envelope.sent", SignatureStatus.PENDING, ""),
        ("envelope.refused", SignatureStatus.DECLINED, "Je ne loue plus."),
    ]


# ---- the pure functions -----------------------------------------------------------------------------------


def test_verify_refuses_a_tampered_body_a_wrong_secret_and_no_header() -> None:
    body, secret = b'{"event_id":"e1","event_name":"signature_request.done"}', "s" * 32
    import hashlib
    import hmac

    good = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert verify_webhook(body, good, secret)
    assert not verify_webhook(body + b" ", good, secret)
    assert not verify_webhook(body, good, "t" * 32)
    assert not verify_webhook(body, None, secret)
    assert not verify_webhook(body, good.upper(), secret)


def test_unknown_and_malformed_events() -> None:
    unknown = parse_yousign_webhook(b'{"event_id":"e2","event_name":"signer.link_opened","data":{}}')
    assert unknown == IgnoredEvent("yousign", "e2", "signer.link_opened")
    with pytest.raises(InvalidWebhook) as caught:
        parse_yousign_webhook(b"<html>")
    assert "illisible" in caught.value.message
    with pytest.raises(InvalidWebhook):
        parse_esign_webhook(b'{"event_name":"envelope.signed"}')
    assert parse_ar24_webhook(b"id_mail=12&new_state=archived") == IgnoredEvent(
        "ar24", "12:archived", "archived"
    )
    with pytest.raises(InvalidWebhook):
        parse_webhook("docusign", b"{}")
