"""Both signature clients under faults: lost answers, quotas, outages. Real HTTP to the served sandbox;
waits run on the sandbox's virtual clock (VirtualSleep), so nothing here sleeps for real."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from copy import deepcopy
from pathlib import Path

import httpx
import pytest

from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.providers.base import ProviderUnavailable, RateLimited
from lsc_tui.providers.esign import ESignClient
from lsc_tui.providers.http import RetryPolicy
from lsc_tui.providers.yousign import YouSignClient
from lsc_tui.sandbox.core import FaultSpec, load_accounts
from tests.conftest import ServedSandbox, serve_sandbox
from tests.integration.signature_kit import (
    FAST,
    LosingTransport,
    VirtualSleep,
    control,
    esign_key,
    order,
    yousign_key,
)

PATIENT = RetryPolicy(attempts=5, base_delay=0.01, max_delay=120.0, jitter=0.0)  # honours long Retry-After


def yousign_client(sandbox: ServedSandbox, **kw: object) -> YouSignClient:
    kw.setdefault("policy", FAST)
    return YouSignClient(sandbox.yousign_url, yousign_key(sandbox.accounts), **kw)  # type: ignore[arg-type]


def esign_client(sandbox: ServedSandbox, **kw: object) -> ESignClient:
    kw.setdefault("policy", FAST)
    return ESignClient(sandbox.esign_url, esign_key(sandbox.accounts), **kw)  # type: ignore[arg-type]


def yousign_requests(sandbox: ServedSandbox, reference: str) -> list[dict]:
    return [sr for sr in sandbox.ctx.providers["yousign"].requests.values() if sr["external_id"] == reference]


def ends_with(suffix: str, method: str = "POST") -> Callable[[httpx.Request], bool]:
    return lambda request: request.method == method and request.url.path.endswith(suffix)


# ---- lost answers never duplicate a request -------------------------------------------------------------------


async def test_yousign_create_answer_dropped_by_the_server(sandbox: ServedSandbox) -> None:
    sandbox.ctx.faults = FaultSpec(
        rates={"drop": 1.0}, paths=("/yousign/v3/signature_requests",), methods=("POST",), limit=1
    )
    client = yousign_client(sandbox)
    sent = await client.send(order("chrono-drop"))
    await client.aclose()
    assert sandbox.ctx.faults.log == [("drop", "POST", "/yousign/v3/signature_requests")]
    [only] = yousign_requests(sandbox, "chrono-drop")
    assert (only["id"], only["status"]) == (sent.remote_id, "ongoing")
    assert sent.status is SignatureStatus.PENDING


@pytest.mark.parametrize("step", ["/signature_requests", "/documents", "/signers", "/activate"])
async def test_yousign_any_lost_answer_leaves_one_request(sandbox: ServedSandbox, step: str) -> None:
    transport = LosingTransport(ends_with(step))
    client = yousign_client(sandbox, transport=transport)
    sent = await client.send(order("chrono-lost"))
    again = await client.send(order("chrono-lost"))  # a resumed batch sends the same reference again
    await client.aclose()
    assert transport.lost and transport.lost[0].endswith(step)
    [only] = yousign_requests(sandbox, "chrono-lost")
    assert only["status"] == "ongoing"
    assert sent.remote_id == again.remote_id == only["id"]
    assert len(only["signers"]) == 1 and len(only["_documents"]) == 1


async def test_esign_create_answer_dropped_by_the_server(sandbox: ServedSandbox) -> None:
    sandbox.ctx.faults = FaultSpec(
        rates={"drop": 1.0}, paths=("/esign/v1/envelopes",), methods=("POST",), limit=1
    )
    client = esign_client(sandbox)
    sent = await client.send(order("chrono-drop"))
    await client.aclose()
    assert sandbox.ctx.faults.log == [("drop", "POST", "/esign/v1/envelopes")]
    envelopes = [
        e for e in sandbox.ctx.providers["esign"].envelopes.values() if e["reference"] == "chrono-drop"
    ]
    assert [e["id"] for e in envelopes] == [sent.remote_id]
    assert sent.signers[0].email == "lea.martin@example.fr"


# ---- quotas ----------------------------------------------------------------------------------------------------


@pytest.fixture
def tight_yousign() -> Iterator[ServedSandbox]:
    accounts = deepcopy(load_accounts(None))
    accounts["yousign"]["rate_limit"] = {"per_minute": 3, "per_hour": 1000}
    yield from serve_sandbox(accounts=accounts)


async def test_yousign_quota_is_waited_out(tight_yousign: ServedSandbox) -> None:
    """Five calls against three a minute: the client waits the announced Retry-After, then succeeds."""
    sleep = VirtualSleep(tight_yousign.ctx.clock)
    client = yousign_client(tight_yousign, policy=PATIENT, sleep=sleep)
    sent = await client.send(order("chrono-quota"))
    await client.aclose()
    assert sent.status is SignatureStatus.PENDING
    assert len(yousign_requests(tight_yousign, "chrono-quota")) == 1
    assert tight_yousign.ctx.quota_refusals["yousign"] == len(sleep.waits) > 0  # each 429 really answered
    assert all(1 <= wait <= 60 for wait in sleep.waits)


async def test_yousign_headers_and_429_body(tight_yousign: ServedSandbox) -> None:
    key = yousign_key(tight_yousign.accounts)
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=tight_yousign.yousign_url, headers=headers, timeout=10) as http:
        remaining = [
            http.get("/signature_requests").headers["x-ratelimit-remaining-minute"] for _ in range(3)
        ]
        refused = http.get("/signature_requests")
    assert remaining == ["2", "1", "0"]
    assert refused.status_code == 429 and refused.json() == {"message": "Too many requests"}
    assert 1 <= int(refused.headers["Retry-After"]) <= 60


async def test_esign_429_retry_after_is_honoured(sandbox: ServedSandbox) -> None:
    sandbox.ctx.faults = FaultSpec(rates={"429": 1.0}, retry_after=7, limit=2)
    sleep = VirtualSleep(sandbox.ctx.clock)
    client = esign_client(sandbox, policy=PATIENT, sleep=sleep)
    sent = await client.send(order("chrono-429"))
    await client.aclose()
    assert sent.status is SignatureStatus.PENDING
    assert sandbox.ctx.faults.log == [("429", "POST", "/esign/v1/envelopes")] * 2
    assert len(sleep.waits) == 2 and all(wait >= 7 for wait in sleep.waits)


async def test_persistent_429_is_rate_limited(sandbox: ServedSandbox) -> None:
    sandbox.ctx.faults = FaultSpec(rates={"429": 1.0}, retry_after=3)
    for client in (yousign_client(sandbox, sleep=VirtualSleep(sandbox.ctx.clock)),
                   esign_client(sandbox, sleep=VirtualSleep(sandbox.ctx.clock))):  # fmt: skip
        with pytest.raises(RateLimited) as caught:
            await client.status("whatever")
        assert caught.value.retry_after == 3
        await client.aclose()
    # YouSign's status reads the request and its signers (2 calls), ESign's one: each tried FAST.attempts times
    assert [kind for kind, _, _ in sandbox.ctx.faults.log] == ["429"] * (3 * FAST.attempts)


# ---- outages ---------------------------------------------------------------------------------------------------


async def test_persistent_503_is_provider_unavailable(sandbox: ServedSandbox) -> None:
    sandbox.ctx.faults = FaultSpec(rates={"503": 1.0}, retry_after=1)
    for client in (yousign_client(sandbox, sleep=VirtualSleep(sandbox.ctx.clock)),
                   esign_client(sandbox, sleep=VirtualSleep(sandbox.ctx.clock))):  # fmt: skip
        with pytest.raises(ProviderUnavailable) as caught:
            await client.send(order("chrono-down"))
        assert "ne répond pas" in caught.value.message
        await client.aclose()
    assert {kind for kind, _, _ in sandbox.ctx.faults.log} == {"503"}
    assert yousign_requests(sandbox, "chrono-down") == []
    assert sandbox.ctx.providers["esign"].envelopes == {}


async def test_transient_500_on_reads_is_retried(sandbox: ServedSandbox) -> None:
    client = yousign_client(sandbox)
    sent = await client.send(order("chrono-500"))
    sandbox.ctx.faults = FaultSpec(rates={"500": 1.0}, limit=2)
    assert (await client.status(sent.remote_id)).status is SignatureStatus.PENDING
    await client.aclose()
    assert [kind for kind, _, _ in sandbox.ctx.faults.log] == ["500", "500"]


async def test_server_drop_then_sign_still_ends_signed(sandbox: ServedSandbox) -> None:
    """After a lost activation answer, the request found again is the one the signer signs."""
    transport = LosingTransport(ends_with("/activate"))
    client = yousign_client(sandbox, transport=transport)
    sent = await client.send(order("chrono-lost-sign"))
    assert len(transport.lost) == 1 and transport.lost[0].endswith("/activate")
    signer_id = sent.signers[0].remote_id
    control(
        sandbox.base_url, f"/yousign/_sandbox/signature_requests/{sent.remote_id}/signers/{signer_id}/sign"
    )
    assert (await client.status(sent.remote_id)).status is SignatureStatus.SIGNED
    await client.aclose()


# ---- restarts --------------------------------------------------------------------------------------------------


async def test_state_survives_a_sandbox_restart(tmp_path: Path) -> None:
    """The demo restarts the sandbox between commands: requests, envelopes and PDFs must come back."""
    accounts, state = load_accounts(None), tmp_path / "state.json"
    first = serve_sandbox(accounts=accounts, state_path=state)
    sandbox = next(first)
    yousign, esign = yousign_client(sandbox), esign_client(sandbox)
    sent_y, sent_e = await yousign.send(order("chrono-keep")), await esign.send(order("chrono-keep"))
    await yousign.aclose()
    await esign.aclose()
    first.close()

    second = serve_sandbox(accounts=accounts, state_path=state)
    sandbox = next(second)
    base = sandbox.base_url
    control(
        base,
        f"/yousign/_sandbox/signature_requests/{sent_y.remote_id}/signers/{sent_y.signers[0].remote_id}/sign",
    )
    control(base, f"/esign/_sandbox/envelopes/{sent_e.remote_id}/signers/{sent_e.signers[0].remote_id}/sign")
    yousign, esign = yousign_client(sandbox), esign_client(sandbox)
    assert (await yousign.status(sent_y.remote_id)).status is SignatureStatus.SIGNED
    assert (await esign.status(sent_e.remote_id)).status is SignatureStatus.SIGNED
    assert (await yousign.signed_pdf(sent_y.remote_id)).startswith(b"%PDF")
    assert (await esign.signed_pdf(sent_e.remote_id)).startswith(b"%PDF")
    await yousign.aclose()
    await esign.aclose()
    second.close()
