"""`lsc-tui webhooks serve`: the HTTP endpoint YouSign, ESign and AR24 call when something happens.

    POST /yousign   YouSign v3 (X-Yousign-Signature-256)      POST /esign   ESign (X-ESign-Signature-256)
    POST /ar24/<token>  AR24 callbacks (form fields, no signature: from AR24's address or this machine, with
                    the secret token of Compte AR24's notification address — services/ar24_webhooks.py)
    GET  /health    « ok » for a monitoring probe

The answer goes back once the notification is checked (YouSign allows a second and sends one event after the
other); a worker applies the events in batches (downloads in parallel, one transaction per batch), each event
written with its change, so a replay changes nothing; an event whose signed PDF could not be downloaded is
tried again a few minutes later (and the next sync would bring it anyway). AR24's callbacks go to the
registered-letter module (`lsc_tui.services.letter_tracking.apply_event`), deduplicated the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import ipaddress
import logging
import threading
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from lsc_tui.domain.errors import ExplainedError
from lsc_tui.providers.webhooks import AR24_SOURCE_IP, IgnoredEvent, InvalidWebhook, parse_ar24_webhook
from lsc_tui.services import ar24_webhooks, signature_webhooks
from lsc_tui.services.context import AppContext
from lsc_tui.store.repositories.webhook_events import APPLIED, ReceivedEvent

log = logging.getLogger("lsc_tui.webhooks")
BATCH = 200
RETRY_SECONDS = 300.0
"""Events left waiting (a PDF that could not be downloaded) are tried again this often."""


class Receiver:
    """The queue between the endpoint and the store: events in order, applied in batches by one worker."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.queue: asyncio.Queue[ReceivedEvent] = asyncio.Queue()
        self.queued: set[str] = set()
        """Keys of the events received and not yet written: a replay meanwhile changes nothing either."""
        self.retry: list[ReceivedEvent] = []
        self.applied = 0
        self._idle = threading.Event()  # read from other threads: a test, the benchmark
        self._idle.set()
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        self._tasks = [asyncio.create_task(self._work()), asyncio.create_task(self._retry())]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _put(self, event: ReceivedEvent) -> None:
        self._idle.clear()
        self.queue.put_nowait(event)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until every event received so far has been applied (tests and the benchmark, from their own
        thread); False on timeout."""
        return self._idle.wait(timeout)

    async def handle(self, provider: str, raw: bytes, signature: str | None) -> Response:
        receipt = await asyncio.to_thread(signature_webhooks.check, self.ctx, provider, raw, signature)
        event = receipt.event
        if event is not None:
            key = ReceivedEvent.key(event.provider, event.event_id)
            if key in self.queued:
                return JSONResponse({"message": signature_webhooks.ALREADY})
            self.queued.add(key)
            self._put(event)
        return JSONResponse({"message": receipt.message}, status_code=receipt.status)

    async def _work(self) -> None:
        while True:
            batch = [await self.queue.get()]
            while not self.queue.empty() and len(batch) < BATCH:
                batch.append(self.queue.get_nowait())
            try:
                report, later = await signature_webhooks.apply_received(self.ctx, batch)
                for error in report.errors:
                    log.warning("%s", error)
            except ExplainedError as exc:  # the store or a provider failed: tried again later
                log.error("notifications non appliquées : %s", exc.message)
                later = batch
            self.applied += len(batch) - len(later)
            self.retry += later
            for event in batch:
                if event not in later:
                    self.queued.discard(ReceivedEvent.key(event.provider, event.event_id))
            if self.queue.empty():
                self._idle.set()

    async def _retry(self) -> None:
        while True:
            await asyncio.sleep(RETRY_SECONDS)
            events, self.retry = self.retry, []
            for event in events:
                self._put(event)


def _trusted_ar24(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return host == AR24_SOURCE_IP or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def _ar24(ctx: AppContext, request: Request) -> Response:
    if not _trusted_ar24(request):
        return JSONResponse({"message": "Rappel AR24 refusé : adresse d'origine inconnue."}, 403)
    token = str(request.path_params.get("token") or "")
    if not await asyncio.to_thread(ar24_webhooks.token_ok, ctx.data_dir, token):
        return JSONResponse({"message": "Rappel AR24 refusé : jeton absent ou inconnu."}, 403)
    try:
        tracking = importlib.import_module("lsc_tui.services.letter_tracking")
    except ImportError:
        return JSONResponse({"message": "Module des lettres recommandées absent : rappel à refaire."}, 503)
    try:
        event = parse_ar24_webhook(await request.body())
    except InvalidWebhook as exc:
        return JSONResponse({"message": exc.message}, 400)
    if isinstance(event, IgnoredEvent):
        return JSONResponse({"message": "Rappel reçu (sans effet)."})
    key = ReceivedEvent.key("ar24", event.event_id)
    if await asyncio.to_thread(ctx.repos.webhook_events.get, key) is not None:  # AR24 has no id: mail+state
        return JSONResponse({"message": "Rappel déjà reçu : rien n'a changé."})
    # applied first, recorded after: AR24's apply_event is idempotent, so a crash in between only repeats it
    outcome = await asyncio.to_thread(tracking.apply_callback, ctx, event)
    if outcome == tracking.UNKNOWN:  # its sending is not written yet here: AR24 calls again in 15 minutes
        return JSONResponse({"message": "Lettre pas encore enregistrée ici : rappel à refaire."}, 409)
    received = ReceivedEvent("ar24", event.event_id, event.name, ctx.now_iso(), event.remote_id,
                             status=event.status.value, state=APPLIED, outcome=outcome)  # fmt: skip

    def record() -> None:
        with ctx.write() as w:
            w.webhook_events.receive(received)

    await asyncio.to_thread(record)
    return JSONResponse({"message": "Rappel reçu."})


def create_app(ctx: AppContext) -> Starlette:
    """The ASGI app of `lsc-tui webhooks serve`; `app.state.receiver` lets a test wait for the worker."""
    receiver = Receiver(ctx)

    async def yousign(request: Request) -> Response:
        return await receiver.handle(
            "yousign", await request.body(), request.headers.get("X-Yousign-Signature-256")
        )

    async def esign(request: Request) -> Response:
        return await receiver.handle(
            "esign", await request.body(), request.headers.get("X-ESign-Signature-256")
        )

    async def ar24(request: Request) -> Response:
        return await _ar24(ctx, request)

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await receiver.start()
        try:
            yield
        finally:
            await receiver.stop()
            await ctx.providers.aclose()

    app = Starlette(
        routes=[
            Route("/yousign", yousign, methods=["POST"]),
            Route("/esign", esign, methods=["POST"]),
            Route("/ar24", ar24, methods=["POST"]),
            Route("/ar24/{token}", ar24, methods=["POST"]),
            Route("/health", health, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    app.state.receiver = receiver
    return app
