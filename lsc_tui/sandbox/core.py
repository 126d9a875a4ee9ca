"""What the three fake providers share: a virtual clock, fault injection, an outbox, accounts, persistence.

Kept provider-neutral so that each provider module only speaks its own API.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class Clock:
    """Real time plus an offset that control routes push forward (15 days → negligence)."""

    def __init__(self, offset_seconds: float = 0.0) -> None:
        self.offset_seconds = offset_seconds

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.offset_seconds)

    def advance(self, *, days: float = 0, seconds: float = 0) -> datetime:
        self.offset_seconds += days * 86400 + seconds
        return self.now()


@dataclass
class OutboxMessage:
    """An email or SMS the provider 'sent' (for the email report, O3)."""

    provider: str
    channel: str  # "email" | "sms"
    to: str
    subject: str
    body: str
    at: str
    ref: str = ""
    status: str = "sent"  # "bounced": the address cannot receive mail (see `undeliverable`)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def undeliverable(address: str) -> bool:
    """The fakes' bounce: a mailbox under a domain starting with `bounce.` (e.g. `x@bounce.example`) never
    receives mail, so a test or a demo can show an email the provider could not deliver."""
    return address.strip().lower().rpartition("@")[2].startswith("bounce.")


class Outbox:
    def __init__(self) -> None:
        self.messages: list[OutboxMessage] = []

    def send(
        self, clock: Clock, provider: str, channel: str, to: str, subject: str, body: str, ref: str = ""
    ) -> bool:
        """Record the message; False when it bounced (email to an undeliverable address)."""
        bounced = channel == "email" and undeliverable(to)
        status = "bounced" if bounced else "sent"
        self.messages.append(
            OutboxMessage(provider, channel, to, subject, body, clock.now().isoformat(), ref, status)
        )
        return not bounced

    def for_provider(self, provider: str) -> list[dict[str, Any]]:
        return [m.as_dict() for m in self.messages if m.provider == provider]


FAULT_KINDS = ("429", "500", "503", "timeout", "late", "drop")


@dataclass
class FaultSpec:
    """Parsed from `--faults "429=0.1,500=0.05,503=0.05,timeout=0.02,drop=0.05,retry_after=1"`.

    `drop` commits the request then closes the connection without a response (proves idempotency).
    `timeout` stalls for `timeout_s` before answering, without acting. `late` acts, then stalls `timeout_s`
    before its answer (a client timing out first has lost an answer the provider committed).
    Control routes (`/_sandbox/`) are never faulted.
    Tests may aim a fault: `paths` (exact request paths, trailing "/" ignored), `suffixes` and `methods` restrict which
    requests can be faulted (empty = all), and `limit` stops injecting after that many faults (`injected`
    counts them, `log` says which: (kind, method, path)), so "drop the first POST mail, once" is
    deterministic and a test can prove the fault really happened. Latency applies to every request.
    """

    rates: dict[str, float] = field(default_factory=dict)
    retry_after: int = 1
    timeout_s: float = 30.0
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    seed: int | None = None
    paths: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()  # paths ending so (`/activate`, whatever the request id)
    methods: tuple[str, ...] = ()
    limit: int | None = None
    injected: int = 0
    log: list[tuple[str, str, str]] = field(default_factory=list)

    def targets(self, scope: Scope) -> bool:
        """Whether this request may be faulted (aim and limit); latency is not concerned."""
        if self.limit is not None and self.injected >= self.limit:
            return False
        if self.methods and scope.get("method", "GET").upper() not in {m.upper() for m in self.methods}:
            return False
        path = scope.get("path", "").rstrip("/")
        if self.suffixes and not path.endswith(self.suffixes):
            return False
        if self.paths:
            return path in {p.rstrip("/") for p in self.paths}
        return True

    @classmethod
    def parse(cls, spec: str | None, latency_ms: float = 0.0, jitter_ms: float = 0.0) -> FaultSpec:
        rates: dict[str, float] = {}
        extra: dict[str, float] = {}
        for part in (spec or "").split(","):
            if not part.strip():
                continue
            key, _, value = part.partition("=")
            key = key.strip()
            if key in {"retry_after", "timeout_s", "seed"}:
                extra[key] = float(value)
            elif key in FAULT_KINDS:
                rates[key] = float(value)
            else:
                raise ValueError(
                    f"unknown fault {key!r} (429, 500, 503, timeout, late, drop, retry_after, timeout_s, seed)"
                )
        return cls(
            rates=rates,
            retry_after=int(extra.get("retry_after", 1)),
            timeout_s=extra.get("timeout_s", 30.0),
            latency_ms=latency_ms,
            jitter_ms=jitter_ms,
            seed=int(extra["seed"]) if "seed" in extra else None,
        )


class FaultMiddleware:
    """ASGI middleware injecting latency and faults in front of every provider route but the control ones.

    `faults` is read on every request, so tests may swap `app.state.faults` while the server runs.
    """

    def __init__(self, app: ASGIApp, holder: Any) -> None:
        self.app = app
        self.holder = holder  # any object with a `.faults: FaultSpec` attribute
        self._rng = random.Random()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or "/_sandbox" in scope.get("path", ""):
            await self.app(scope, receive, send)
            return
        faults: FaultSpec = self.holder.faults
        if faults.seed is not None and not getattr(self, "_seeded", False):
            self._rng.seed(faults.seed)
            self._seeded = True
        delay = faults.latency_ms + (self._rng.random() * faults.jitter_ms if faults.jitter_ms else 0.0)
        if delay:
            await asyncio.sleep(delay / 1000)
        roll = self._rng.random()
        acc = 0.0
        for kind in FAULT_KINDS:
            acc += faults.rates.get(kind, 0.0)
            if roll < acc and faults.targets(scope):
                faults.injected += 1
                faults.log.append((kind, scope.get("method", "GET"), scope.get("path", "")))
                await self._fault(kind, faults, scope, receive, send)
                return
        await self.app(scope, receive, send)

    async def _fault(self, kind: str, faults: FaultSpec, scope: Scope, receive: Receive, send: Send) -> None:
        if kind == "429":
            await JSONResponse(
                {"message": "Too many requests"},
                status_code=429,
                headers={"Retry-After": str(faults.retry_after)},
            )(scope, receive, send)
        elif kind in {"500", "503"}:
            headers = {"Retry-After": str(faults.retry_after)} if kind == "503" else {}
            await JSONResponse({"message": "Sandbox injected fault"}, status_code=int(kind), headers=headers)(
                scope, receive, send
            )
        elif kind == "timeout":
            await asyncio.sleep(faults.timeout_s)
            await Response(status_code=504)(scope, receive, send)
        elif kind == "late":
            answer: list[Message] = []

            async def hold(message: Message) -> None:
                answer.append(message)

            await self.app(scope, receive, hold)
            await asyncio.sleep(faults.timeout_s)
            for message in answer:
                await send(message)
        else:  # drop: let the app commit, then swallow its answer and abort the connection

            async def swallow(message: Message) -> None:
                return None

            await self.app(scope, receive, swallow)
            # Start a response then die: a server only closes the socket mid-response; an exception before
            # the start would become a clean HTTP 500 (uvicorn), which is not a dropped response.
            await send(
                {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"64")]}
            )
            raise ConnectionAbortedError("sandbox dropped the response after committing")


def load_accounts(path: str | os.PathLike[str] | None) -> dict[str, Any]:
    """Accounts JSON: {"yousign": {...}, "esign": {...}, "ar24": {...}} (schemas: each provider module's
    `default_accounts` docstring). No file → fresh accounts with random secrets: none lives in the repo."""
    if path:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    from lsc_tui.sandbox import ar24, esign, yousign

    return {
        "yousign": yousign.default_accounts(),
        "esign": esign.default_accounts(),
        "ar24": ar24.default_accounts(),
    }


def write_secret_json(path: str | os.PathLike[str], data: dict[str, Any]) -> None:
    """Write a file holding secrets: created 0600 before any byte is written."""
    p = Path(path)
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2)
    os.chmod(p, 0o600)


class StateFile:
    """Persists each provider's state as JSON (atomic replace), so every demo command sees the same provider."""

    def __init__(self, path: str | os.PathLike[str] | None) -> None:
        self.path = Path(path) if path else None
        self._lock = threading.Lock()

    def load(self) -> dict[str, Any]:
        if self.path and self.path.exists():
            try:
                return json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return {}
        return {}

    def save(self, state: dict[str, Any]) -> None:
        if not self.path:
            return
        with self._lock:
            tmp = self.path.with_suffix(self.path.suffix + f".{os.getpid()}.{time.monotonic_ns()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # personal data: owner only
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(json.dumps(state, ensure_ascii=False, default=str))
            os.replace(tmp, self.path)
