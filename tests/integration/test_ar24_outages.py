"""AR24 when the network or AR24 itself fails, and AR24's webhook calls: the retry layer waits on the
sandbox's clock (VirtualSleep), retries only what cannot duplicate a letter, and each callback is retried
every 15 minutes until the receiver answers 200."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.providers.ar24 import Ar24Client
from lsc_tui.providers.base import ProviderUnavailable
from lsc_tui.providers.http import Caller, RetryPolicy
from lsc_tui.providers.webhooks import WebhookEvent, parse_ar24_webhook
from lsc_tui.sandbox.core import FaultSpec
from tests.conftest import ServedSandbox
from tests.integration.ar24_kit import ALICE, FAST, control, make_client, order, user_of
from tests.integration.signature_kit import VirtualSleep
from tests.integration.webhook_receiver import Receiver


@pytest.fixture
async def client(sandbox: ServedSandbox) -> AsyncIterator[Ar24Client]:
    ar24 = make_client(sandbox)
    yield ar24
    await ar24.aclose()


@pytest.fixture
def uid(sandbox: ServedSandbox) -> str:
    return str(user_of(sandbox)["id"])


async def test_429_is_retried_after_retry_after(sandbox: ServedSandbox, uid: str) -> None:
    """The wait runs on the sandbox's clock (VirtualSleep): the Retry-After is honoured, nothing sleeps."""
    limited = FaultSpec(rates={"429": 1.0}, retry_after=7, limit=1)
    sandbox.ctx.faults = limited
    sleep = VirtualSleep(sandbox.ctx.clock)
    ar24 = make_client(sandbox, policy=RetryPolicy(attempts=3, base_delay=0.01, max_delay=30, jitter=0.0),
                       sleep=sleep)  # fmt: skip
    try:
        assert (await ar24.test_access(uid)).remote_id == uid
    finally:
        await ar24.aclose()
    assert limited.log == [("429", "GET", "/ar24/api/user")]
    assert sleep.waits == [7]


async def test_persistent_503_and_maintenance_are_provider_unavailable(
    sandbox: ServedSandbox, client: Ar24Client, uid: str
) -> None:
    outage = FaultSpec(rates={"503": 1.0}, retry_after=0)
    sandbox.ctx.faults = outage
    with pytest.raises(ProviderUnavailable):
        await client.test_access(uid)
    assert outage.injected == FAST.attempts
    sandbox.ctx.faults = FaultSpec()
    await control(sandbox, "maintenance", {"on": True})
    with pytest.raises(ProviderUnavailable, match="maintenance"):
        await client.test_access(uid)
    await control(sandbox, "maintenance", {"on": False})
    assert (await client.test_access(uid)).remote_id == uid


async def test_a_dropped_answer_is_not_retried_by_a_non_idempotent_call(sandbox: ServedSandbox) -> None:
    """The drop is a transport error (no HTTP answer at all): the retry layer gives up on a call that could
    have acted — send_once, not the retry layer, decides what to do next."""
    sandbox.ctx.faults = FaultSpec(rates={"drop": 1.0}, limit=1)
    async with httpx.AsyncClient(base_url=sandbox.ar24_url) as http:
        with pytest.raises(ProviderUnavailable) as caught:
            await Caller(http, "ar24", policy=FAST).request("GET", "user", idempotent=False)
    assert caught.value.detail == "RemoteProtocolError"
    assert sandbox.ctx.faults.log == [("drop", "GET", "/ar24/api/user")]


async def test_the_letters_webhook_follows_each_status_and_is_retried(
    sandbox: ServedSandbox, client: Ar24Client, uid: str
) -> None:
    with Receiver(statuses=(500, 200)) as receiver:
        attachment = await client.upload(uid, "convocation.pdf", order("WH-1").pdf)
        letter = await client.send_once(uid, order("WH-1", ALICE, kind="simple"), [attachment],
                                        webhook=receiver.url)  # fmt: skip
        assert sandbox.ctx.webhooks.settle() and [c.answered for c in receiver.calls] == [500]
        sandbox.ctx.clock.advance(seconds=899)  # AR24 retries every 15 minutes
        assert sandbox.ctx.webhooks.settle() and len(receiver.calls) == 1
        sandbox.ctx.clock.advance(seconds=1)
        assert sandbox.ctx.webhooks.settle() and [c.answered for c in receiver.calls] == [500, 200]
        await control(sandbox, f"mail/{letter.remote_id}/send")
        await control(sandbox, f"mail/{letter.remote_id}/accept")
        assert sandbox.ctx.webhooks.settle()
        events = [parse_ar24_webhook(call.body) for call in receiver.calls]
    assert all(isinstance(e, WebhookEvent) for e in events)
    assert [(e.remote_id, e.status) for e in events if isinstance(e, WebhookEvent)] == [
        (letter.remote_id, LetterStatus.WAITING),
        (letter.remote_id, LetterStatus.WAITING),
        (letter.remote_id, LetterStatus.SENT),
        (letter.remote_id, LetterStatus.AR),
    ]
    assert events[0] == events[1]  # a retry is the same event (same id_mail + new_state)
    accepted = events[-1]
    assert isinstance(accepted, WebhookEvent) and accepted.occurred_at is not None
    assert b"proof_url=" in receiver.calls[-1].body
    assert receiver.calls[0].headers["Content-Type"] == "application/x-www-form-urlencoded"
