"""`lsc-tui webhooks serve` (S7, webhooks first) served over real HTTP, called by the sandbox as YouSign and
ESign call it: a signed file applied from its notification; a wrong signature gets 401 and changes nothing; a
replay changes nothing; a notification for a request we do not hold is acknowledged and changes nothing."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from lsc_tui.config import secrets_for
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.providers.factory import build_providers
from lsc_tui.services import signature_prepare, signature_send
from lsc_tui.services.batches import Collector
from lsc_tui.services.context import AppContext
from lsc_tui.services.webhook_server import Receiver, create_app
from tests.conftest import ServedSandbox
from tests.integration.signature_flow_kit import make_events, wired
from tests.integration.signature_kit import FAST, control


@dataclasses.dataclass
class Hooked:
    ctx: AppContext  # the test's own context (its own clients, on the test's event loop)
    url: str
    receiver: Receiver
    sandbox: ServedSandbox
    secret: str

    def settle(self) -> None:
        assert self.sandbox.ctx.webhooks.settle() and self.receiver.wait_idle()


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(tmp_path: Path, sandbox: ServedSandbox, provider: str) -> Iterator[Hooked]:
    port = _port()
    url = f"http://127.0.0.1:{port}"
    hook = httpx.post(
        f"{sandbox.base_url}/{provider}/_sandbox/webhook", json={"url": f"{url}/{provider}"}
    ).json()
    secret = hook["subscription"]["secret"]
    ctx = wired(tmp_path, sandbox, provider=provider, webhook_secret=secret)
    served = dataclasses.replace(
        ctx, providers=build_providers(secrets_for(ctx.data_dir).effective(), policy=FAST)
    )
    app = create_app(served)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "webhook receiver did not start"
        time.sleep(0.01)
    try:
        yield Hooked(ctx, url, app.state.receiver, sandbox, secret)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def yousign_hooked(tmp_path: Path, sandbox: ServedSandbox) -> Iterator[Hooked]:
    yield from serve(tmp_path, sandbox, "yousign")


@pytest.fixture
def esign_hooked(tmp_path: Path, sandbox: ServedSandbox) -> Iterator[Hooked]:
    yield from serve(tmp_path, sandbox, "esign")


async def one_sent(hooked: Hooked) -> str:
    ids = signature_prepare.expedite(hooked.ctx, make_events(hooked.ctx, 1)).ids
    assert (await signature_send.send_requests(hooked.ctx, ids, Collector())).all_ok
    await asyncio.to_thread(hooked.settle)
    return ids[0]


def sign_all(hooked: Hooked, request_id: str, provider: str = "yousign") -> None:
    request = hooked.ctx.repos.signatures.require(request_id)
    kind = "signature_requests" if provider == "yousign" else "envelopes"
    for signer in request.signers:
        control(hooked.sandbox.base_url,
                f"/{provider}/_sandbox/{kind}/{request.remote_id}/signers/{signer.remote_id}/sign")  # fmt: skip


def deliveries(hooked: Hooked, name: str) -> list[Any]:
    return [d for d in hooked.sandbox.ctx.webhooks.deliveries if json.loads(d.body)["event_name"] == name]


async def test_a_signature_arrives_by_webhook_with_its_pdf_and_return_event(yousign_hooked: Hooked) -> None:
    hooked = yousign_hooked
    request_id = await one_sent(hooked)
    sign_all(hooked, request_id)
    await asyncio.to_thread(hooked.settle)
    signed = hooked.ctx.repos.signatures.require(request_id)
    assert signed.status is SignatureStatus.SIGNED and signed.signed_sha256 and signed.return_event_id
    [done] = deliveries(hooked, "signature_request.done")
    key = f"yousign:{json.loads(done.body)['event_id']}"
    assert hooked.ctx.repos.webhook_events.require(key).outcome.startswith("Signé")


async def test_wrong_signature_401_replay_and_unknown_request_change_nothing(yousign_hooked: Hooked) -> None:
    hooked = yousign_hooked
    request_id = await one_sent(hooked)
    [activated] = deliveries(hooked, "signature_request.activated")
    before = hooked.ctx.repos.signatures.require(request_id)
    seen = hooked.ctx.repos.webhook_events.count()
    async with httpx.AsyncClient(base_url=hooked.url) as http:
        forged = {**activated.headers, "X-Yousign-Signature-256": "sha256=" + "0" * 64}
        bad = await http.post("/yousign", content=activated.body, headers=forged)
        assert bad.status_code == 401 and "invalide" in bad.json()["message"]
        tampered = activated.body.replace(b'"ongoing"', b'"done"')
        assert (await http.post("/yousign", content=tampered, headers=activated.headers)).status_code == 401
        replay = await http.post("/yousign", content=activated.body, headers=activated.headers)
        assert replay.status_code == 200 and "déjà reçue" in replay.json()["message"]
        body = json.loads(activated.body)
        body["event_id"] = "evt-unknown-1"
        body["event_name"] = "signature_request.done"
        body["data"]["signature_request"].update(id="00000000-0000-4000-8000-000000000000", external_id="x-1")
        raw = json.dumps(body).encode()
        signature = "sha256=" + hmac.new(hooked.secret.encode(), raw, hashlib.sha256).hexdigest()
        unknown = await http.post("/yousign", content=raw, headers={"X-Yousign-Signature-256": signature})
        assert unknown.status_code == 200
    await asyncio.to_thread(hooked.receiver.wait_idle)
    assert hooked.ctx.repos.webhook_events.count() == seen + 1
    assert hooked.ctx.repos.webhook_events.require("yousign:evt-unknown-1").outcome == "demande inconnue"
    after = hooked.ctx.repos.signatures.require(request_id)
    assert (after.rev, after.status) == (before.rev, SignatureStatus.PENDING)


async def test_esign_notifications_are_applied_the_same_way(esign_hooked: Hooked) -> None:
    hooked = esign_hooked
    template = next(t for t in hooked.ctx.repos.templates.all() if t.name.startswith("Bail d'habitation"))
    with hooked.ctx.write() as w:  # ESign asks every signer for a mobile with SMS: the manager has none
        w.templates.save(template.evolve(skip_sms=True))
    request_id = await one_sent(hooked)
    sign_all(hooked, request_id, "esign")
    await asyncio.to_thread(hooked.settle)
    assert hooked.ctx.repos.signatures.require(request_id).status is SignatureStatus.SIGNED
