"""What the two signature fakes (YouSign, ESign) share: the key gate with per-key quotas, the autopilot plan,
the clock and outbox control routes, and small encoding helpers.

Each fake keeps its own error shapes and statuses: only the mechanics live here, so that fixing the quota or
the autopilot once fixes both.
"""

from __future__ import annotations

import base64
import io
import json
import math
import uuid
import zipfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lsc_tui.sandbox.context import SandboxContext
from lsc_tui.sandbox.webhooks import subscription

Handler = Callable[[Request], Awaitable[Response]]

FAR_FUTURE = datetime.max.replace(tzinfo=UTC)
DEFAULT_PER_MINUTE = 6000  # generous: the real sandbox's 30/min would make any benchmark meaningless
DEFAULT_PER_HOUR = 360000

DECLINE_REASONS = (
    "Le montant du loyer ne correspond pas à ce qui était convenu.",
    "Je souhaite relire le document avec mon conseil avant de signer.",
    "Mon adresse est erronée sur le document.",
)


class Refusal(Exception):
    """Raised by a handler to answer an error in its provider's own JSON shape."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status} {body}")
        self.status = status
        self.body = body
        self.headers = headers or {}

    def response(self) -> Response:
        return JSONResponse(self.body, status_code=self.status, headers=self.headers)


def new_id() -> str:
    return str(uuid.uuid4())


def iso(moment: datetime, *, precise: bool = False) -> str:
    return moment.isoformat(timespec="microseconds" if precise else "seconds")


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64decode(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


async def json_object(request: Request) -> dict[str, Any] | None:
    """The request body as a JSON object, `{}` when empty, None when it is not a JSON object."""
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def pdf_response(data: bytes, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(data, media_type="application/pdf", headers=headers)


def zip_response(files: dict[str, bytes], filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(zip_bytes(files), media_type="application/zip", headers=headers)


# ---- quotas ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quota:
    limit_minute: int
    remaining_minute: int
    limit_hour: int
    remaining_hour: int
    retry_after: int | None = None  # set when this request is over the limit


@dataclass
class RateLimiter:
    """Fixed windows per key on the virtual clock, so a test can roll a window by advancing the clock."""

    windows: dict[str, dict[str, int]] = field(default_factory=dict)

    def hit(self, key: str, now: datetime, per_minute: int, per_hour: int) -> Quota:
        ts = now.timestamp()
        minute, hour = int(ts // 60), int(ts // 3600)
        window = self.windows.setdefault(key, {"minute": minute, "m": 0, "hour": hour, "h": 0})
        if window["minute"] != minute:
            window.update(minute=minute, m=0)
        if window["hour"] != hour:
            window.update(hour=hour, h=0)
        retry_after: int | None = None
        if window["m"] >= per_minute:
            retry_after = max(1, math.ceil((minute + 1) * 60 - ts))
        elif window["h"] >= per_hour:
            retry_after = max(1, math.ceil((hour + 1) * 3600 - ts))
        else:
            window["m"] += 1
            window["h"] += 1
        return Quota(
            per_minute,
            max(0, per_minute - window["m"]),
            per_hour,
            max(0, per_hour - window["h"]),
            retry_after,
        )


@dataclass
class Gate:
    """Key check, quota and error shaping in front of every provider route (not the control routes).

    Accounts and limits are read from `ctx.accounts[provider]` on each request, so a test may lower the
    limit of a running sandbox.
    """

    ctx: SandboxContext
    provider: str
    key_of: Callable[[Request], str | None]
    unauthorized: Callable[[], Response]
    too_many: Callable[[int], Response]
    quota_headers: Callable[[Quota], dict[str, str]]
    limiter: RateLimiter = field(default_factory=RateLimiter)

    def section(self) -> dict[str, Any]:
        return self.ctx.accounts.get(self.provider, {})

    def __call__(self, handler: Handler) -> Handler:
        async def guarded(request: Request) -> Response:
            key = self.key_of(request)
            account = self.section().get("api_keys", {}).get(key) if key else None
            if account is None:
                return self.unauthorized()
            limits = self.section().get("rate_limit", {})
            quota = self.limiter.hit(
                key or "",
                self.ctx.clock.now(),
                int(limits.get("per_minute", DEFAULT_PER_MINUTE)),
                int(limits.get("per_hour", DEFAULT_PER_HOUR)),
            )
            if quota.retry_after is not None:
                self.ctx.quota_refusals[self.provider] += 1
                response = self.too_many(quota.retry_after)
            else:
                request.state.key = key
                request.state.account = account
                response = await answering(handler)(request)
            response.headers.update(self.quota_headers(quota))
            return response

        return guarded


def answering(handler: Handler) -> Handler:
    """Turn a `Refusal` raised anywhere in a handler into its JSON answer."""

    async def answer(request: Request) -> Response:
        try:
            return await handler(request)
        except Refusal as refusal:
            return refusal.response()

    return answer


# ---- autopilot ---------------------------------------------------------------------------------------------


def autopilot_plan(ctx: SandboxContext, actor_id: str) -> dict[str, Any] | None:
    """When a signer is asked to act, decide now what they will do and when (None: autopilot off)."""
    pilot = ctx.autopilot
    if not pilot.enabled:
        return None
    at = ctx.clock.now() + timedelta(seconds=pilot.delay())
    signs = pilot.signs()
    return {
        "at": iso(at, precise=True),
        "actor": actor_id,
        "action": "sign" if signs else "decline",
        "reason": "" if signs else pilot.rng.choice(DECLINE_REASONS),
    }


def split_due(
    plans: list[dict[str, Any]], now: datetime
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(due in time order, still waiting)."""
    due = sorted((p for p in plans if datetime.fromisoformat(p["at"]) <= now), key=lambda p: p["at"])
    return due, [p for p in plans if datetime.fromisoformat(p["at"]) > now]


class PlannedState:
    """Records (signature requests, envelopes) kept as JSON, which the clock moves on while they are live:
    first the autopilot plans due before expiry, then expiry itself, then any periodic chore.

    `tick` runs before every request, so it must not scan thousands of records each time: the state keeps the
    earliest moment anything is due, and whoever schedules something calls `schedule(record)`.
    Subclasses name their live status and expiry key and say how a plan is performed and a record expires.
    """

    records_key = "records"
    live_status = ""
    expires_key = ""

    def __init__(self, ctx: SandboxContext) -> None:
        self.ctx = ctx
        self.records: dict[str, dict[str, Any]] = {}
        self._wake: datetime | None = None  # None: unknown, the next tick scans

    def dump(self) -> dict[str, Any]:
        return {self.records_key: self.records}

    def load(self, data: dict[str, Any]) -> None:
        self.records = dict(data.get(self.records_key, {}))
        self._wake = None

    def now(self) -> datetime:
        return self.ctx.clock.now()

    def schedule(self, record: dict[str, Any]) -> None:
        """Call after giving a live record a plan, an expiry or a chore."""
        if self._wake is not None:
            self._wake = min(self._wake, self._next_moment(record))

    def tick(self) -> None:
        now = self.now()
        if self._wake is not None and now < self._wake:
            return
        wake = FAR_FUTURE
        for record in self.records.values():
            if record["status"] == self.live_status:
                self._advance(record, now)
            if record["status"] == self.live_status:
                wake = min(wake, self._next_moment(record))
        self._wake = wake

    def _advance(self, record: dict[str, Any], now: datetime) -> None:
        expires = datetime.fromisoformat(record[self.expires_key])
        due, record["_plans"] = split_due(record["_plans"], min(now, expires))
        for plan in due:
            if record["status"] == self.live_status:
                self.perform(record, plan)
        if record["status"] == self.live_status and now >= expires:
            self.expire(record)
        if record["status"] == self.live_status:
            self.chores(record, now)

    def _next_moment(self, record: dict[str, Any]) -> datetime:
        moments = [datetime.fromisoformat(record[self.expires_key])]
        moments += [datetime.fromisoformat(plan["at"]) for plan in record["_plans"]]
        chore = self.chores_due(record)
        return min([*moments, chore] if chore else moments)

    def perform(self, record: dict[str, Any], plan: dict[str, Any]) -> None:
        raise NotImplementedError

    def expire(self, record: dict[str, Any]) -> None:
        raise NotImplementedError

    def chores(self, record: dict[str, Any], now: datetime) -> None:
        """Periodic work on a live record (YouSign's automatic reminders); nothing by default."""

    def chores_due(self, record: dict[str, Any]) -> datetime | None:
        """When `chores` next has work for this record; None: never."""
        return None


# ---- control routes shared by both fakes -------------------------------------------------------------------


def control_routes(ctx: SandboxContext, provider: str) -> list[Route]:
    """`/_sandbox/clock` (GET, POST {"advance_days", "advance_seconds"}) and `/_sandbox/outbox` (GET)."""

    async def clock(request: Request) -> Response:
        if request.method == "POST":
            body = await json_object(request) or {}
            try:
                days = float(body.get("advance_days", 0))
                seconds = float(body.get("advance_seconds", 0))
            except (TypeError, ValueError):
                return JSONResponse({"error": "advance_days and advance_seconds must be numbers"}, 400)
            ctx.clock.advance(days=days, seconds=seconds)
            for state in ctx.providers.values():
                state.tick()
            ctx.webhooks.wake()
        return JSONResponse({"now": iso(ctx.clock.now())})

    async def outbox(request: Request) -> Response:
        return JSONResponse({"messages": ctx.outbox.for_provider(provider)})

    async def webhook(request: Request) -> Response:
        """GET: the subscription and every delivery; POST {"url", "secret"?}: subscribe (url null: stop)."""
        hook = subscription(ctx.accounts, provider)
        if request.method == "POST":
            body = await json_object(request) or {}
            url, secret = body.get("url"), body.get("secret")
            if (url is not None and not isinstance(url, str)) or (
                secret is not None and not isinstance(secret, str)
            ):
                return JSONResponse({"error": "url and secret must be strings"}, 400)
            hook["url"] = url
            if secret:
                hook["secret"] = secret
        return JSONResponse({"subscription": hook, "deliveries": ctx.webhooks.for_provider(provider)})

    return [
        Route("/_sandbox/clock", clock, methods=["GET", "POST"]),
        Route("/_sandbox/outbox", outbox, methods=["GET"]),
        Route("/_sandbox/webhook", webhook, methods=["GET", "POST"]),
    ]


def control_error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)
