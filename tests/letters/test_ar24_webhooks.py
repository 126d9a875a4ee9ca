"""AR24's status callbacks end to end (ar24.md §11): the address of `lsc-tui webhooks serve` set once by an
administrator goes as `webhook` on every POST mail; the sandbox, as AR24, calls the real receiver served on
127.0.0.1 and the letter moves in the store with no polling. AR24 signs nothing, so a callback is trusted by
its source address and the secret token in its path: a wrong token, an unknown address, a replay or stale news
change nothing."""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from lsc_tui.domain.consents import ValidationMode
from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.providers.factory import Providers
from lsc_tui.services import ar24_webhooks, letter_tracking, letter_validation, letters_demo
from lsc_tui.services.batches import Collector
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import Forbidden, ValidationFailed
from lsc_tui.services.webhook_server import create_app
from lsc_tui.store import RecordStore
from tests.conftest import ServedSandbox
from tests.fixtures import context
from tests.integration.ar24_kit import control
from tests.letters.letters_kit import code, letters_ctx, mails


@dataclasses.dataclass
class Receiver:
    url: str
    app: object


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def receiver(store: RecordStore, tmp_path: Path) -> Iterator[Receiver]:
    """`lsc-tui webhooks serve` on a loopback port, with its own context (as its own process would have)."""
    served_ctx = dataclasses.replace(
        context(store, "claire", data_dir=Path(store.location)), providers=Providers()
    )
    app = create_app(served_ctx)
    port = _port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "webhook receiver did not start"
        time.sleep(0.01)
    try:
        yield Receiver(f"http://127.0.0.1:{port}", app)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


async def validated(ctx: AppContext, sandbox: ServedSandbox) -> list[str]:
    await letters_demo.upload_seeded(ctx)
    ids = [x.id for x in letter_validation.pending(ctx)]
    report = await letter_validation.validate(ctx, ids, code(sandbox), Collector())
    assert report.all_ok, report.failed
    return ids


async def settle(sandbox: ServedSandbox) -> None:
    """Every callback due at the sandbox's clock has been answered (the receiver applies before answering)."""
    assert await asyncio.to_thread(sandbox.ctx.webhooks.settle)


@pytest.mark.parametrize("mode", list(ValidationMode))
async def test_callbacks_move_letters_without_polling(
    store: RecordStore, sandbox: ServedSandbox, receiver: Receiver, mode: ValidationMode
) -> None:
    ctx = letters_ctx(store, sandbox, mode)
    saved = ar24_webhooks.save(ctx, receiver.url + "/", expect_rev=None)
    assert saved.base_url == receiver.url and saved.url_masked.startswith(receiver.url + "/ar24/")
    token = ar24_webhooks.callback_url(ctx)
    assert token is not None and token.rsplit("/", 1)[1] not in saved.url_masked  # shown masked only

    ids = await validated(ctx, sandbox)
    assert {m.get("_webhook") for m in mails(sandbox)} == {token}  # on every POST mail
    letters = ctx.repos.letters.get_many(ids)
    first, second = letters[ids[0]], letters[ids[1]]
    await control(sandbox, f"mail/{first.remote_id}/send")
    await control(sandbox, f"mail/{first.remote_id}/accept")
    await control(sandbox, f"mail/{second.remote_id}/send")
    await control(sandbox, f"mail/{second.remote_id}/refuse")
    await settle(sandbox)

    after = ctx.repos.letters.get_many([first.id, second.id])
    assert after[first.id].status is LetterStatus.AR and after[first.id].ar_date
    assert after[second.id].status is LetterStatus.REFUSED and after[second.id].refused_date
    assert after[first.id].sending_date  # the « sent » callback came first, with its date
    assert sandbox.ctx.calls["GET /ar24/api/user/mail"] == 0  # no polling: AR24 told us
    deliveries = (await control_get(sandbox))["deliveries"]
    answered = [d for d in deliveries if d["attempts"]]
    assert answered and all(d["delivered"] for d in answered if d["event_id"].endswith((":AR", ":refused")))
    proof = await letter_tracking.download_proof(ctx, first.id)
    assert "-ar." in proof.name  # the AR's proof, not the deposit's the letter held before


async def control_get(sandbox: ServedSandbox) -> dict[str, object]:
    async with httpx.AsyncClient(base_url=f"{sandbox.base_url}/ar24/_sandbox/") as http:
        return (await http.get("webhooks")).json()


async def test_a_bad_or_replayed_callback_changes_nothing(
    store: RecordStore, sandbox: ServedSandbox, receiver: Receiver
) -> None:
    ctx = letters_ctx(store, sandbox)
    ar24_webhooks.save(ctx, receiver.url, expect_rev=None)
    url = ar24_webhooks.callback_url(ctx)
    assert url is not None
    ids = await validated(ctx, sandbox)
    letter = ctx.repos.letters.require(ids[0])
    await control(sandbox, f"mail/{letter.remote_id}/send")
    await control(sandbox, f"mail/{letter.remote_id}/accept")
    await settle(sandbox)
    done = ctx.repos.letters.require(ids[0])
    assert done.status is LetterStatus.AR

    other = ctx.repos.letters.require(ids[1])
    forged = {"id_mail": other.remote_id, "new_state": "refused", "refused_date": "2026-11-24 10:00:00"}
    async with httpx.AsyncClient() as http:
        wrong = await http.post(f"{receiver.url}/ar24/not-the-token", data=forged)
        bare = await http.post(f"{receiver.url}/ar24", data=forged)
        replay = await http.post(url, data={"id_mail": letter.remote_id, "new_state": "AR"})
        stale = await http.post(url, data={"id_mail": letter.remote_id, "new_state": "sent"})
    assert wrong.status_code == 403 and bare.status_code in (403, 404, 405)
    assert replay.status_code == 200 and stale.status_code == 200
    assert ctx.repos.letters.require(ids[1]).rev == other.rev  # the forged refusal did nothing
    assert ctx.repos.letters.require(ids[0]).rev == done.rev  # nor the replay, nor the stale news

    # the right token from an address that is neither AR24's nor this machine's: refused too
    outside = httpx.ASGITransport(app=receiver.app, client=("203.0.113.9", 40000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=outside, base_url="http://hooks.example") as http:
        far = await http.post("/ar24/" + url.rsplit("/", 1)[1], data=forged)
    assert far.status_code == 403
    assert ctx.repos.letters.require(ids[1]).rev == other.rev


def test_only_an_administrator_sets_the_address_and_it_must_be_https(store: RecordStore) -> None:
    admin, staff = context(store, "claire"), context(store, "julien")
    with pytest.raises(Forbidden):
        ar24_webhooks.save(staff, "https://hooks.cabinet-martin.example", expect_rev=None)
    with pytest.raises(ValidationFailed, match="https:// obligatoire"):
        ar24_webhooks.save(admin, "http://hooks.cabinet-martin.example", expect_rev=None)
    assert ar24_webhooks.callback_url(admin) is None  # nothing set: polling only
    saved = ar24_webhooks.save(admin, "https://hooks.cabinet-martin.example/lsc", expect_rev=None)
    url = ar24_webhooks.callback_url(admin)
    assert url is not None and url.startswith("https://hooks.cabinet-martin.example/lsc/ar24/")
    token = url.rsplit("/", 1)[1]
    assert len(token) >= 24 and token not in repr(ar24_webhooks.read(admin))
    again = ar24_webhooks.save(admin, "https://hooks.cabinet-martin.example/new", expect_rev=saved.rev)
    assert ar24_webhooks.callback_url(admin) == f"https://hooks.cabinet-martin.example/new/ar24/{token}"
    ar24_webhooks.save(admin, "", expect_rev=again.rev)
    assert ar24_webhooks.callback_url(admin) is None
