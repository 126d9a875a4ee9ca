"""Webhooks the fake providers send: one queue of deliveries, retried on the providers' own schedules.

- YouSign (yousign.md §8): JSON body, `X-Yousign-Signature-256: sha256=<HMAC-SHA256(secret, raw body)>`,
  `X-Yousign-Retry` (0 = first try), `X-Yousign-Issued-At`, `User-Agent: Yousign Webhook Bot`; a non-2xx answer
  or a timeout (1 s first, 10 s after) is retried after 2 min, 6 min, 30 min, 1 h, 5 h, 18 h, 1 day, 2 days.
- ESign (our contract, beside esign.md): the same shape with `X-ESign-Signature-256` / `X-ESign-Retry`,
  retried after 1 min, 5 min, 30 min, 2 h, 12 h.
- AR24 (ar24.md §11): form-urlencoded `id_mail`, `new_state`, `proof_url`, the state's date, no signature;
  anything but HTTP 200 is retried every 15 min, 48 attempts at most, timeout growing 2.5 s → 11 s.

Retries are due on the *sandbox* clock, so a test moves a delivery on by advancing the clock (no waiting);
a background thread, alive only while something is queued, attempts what is due. `settle()` lets a test
wait (bounded) until everything due now has been attempted. Nothing here touches a provider's state:
providers call `emit` with a finished body, the thread only does HTTP.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx

from lsc_tui.sandbox.core import Clock

POLL_S = 0.05  # the sandbox clock may jump at any time: look again this often while something is queued


@dataclass(frozen=True)
class RetryPlan:
    """When a failed delivery is tried again (seconds after the previous attempt) and how long it may take."""

    delays_s: tuple[float, ...]
    timeouts_s: tuple[float, ...]  # per attempt; the last one holds for later attempts
    accepted: tuple[int, ...] = tuple(range(200, 300))

    def timeout(self, attempt: int) -> float:
        return self.timeouts_s[min(attempt, len(self.timeouts_s) - 1)]


HOUR = 3600.0
YOUSIGN = RetryPlan(
    delays_s=(120, 360, 1800, HOUR, 5 * HOUR, 18 * HOUR, 24 * HOUR, 48 * HOUR), timeouts_s=(1.0, 10.0)
)
ESIGN = RetryPlan(delays_s=(60, 300, 1800, 2 * HOUR, 12 * HOUR), timeouts_s=(5.0,))
AR24 = RetryPlan(
    delays_s=(900.0,) * 47,
    timeouts_s=(2.5,) * 9 + (4.5,) * 10 + (6.5,) * 10 + (8.5,) * 10 + (11.0,),
    accepted=(200,),
)


def signature_header(raw_body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()


@dataclass
class Delivery:
    provider: str
    event_id: str
    url: str
    body: bytes
    headers: dict[str, str]
    plan: RetryPlan
    retry_header: str | None
    due: datetime
    attempts: list[dict[str, Any]] = field(default_factory=list)
    done: bool = False  # delivered, or given up after the last retry

    def view(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "url": self.url,
            "attempts": self.attempts,
            "delivered": bool(self.attempts) and self.attempts[-1].get("ok", False),
            "next_at": None if self.done else self.due.isoformat(),
        }


class Webhooks:
    """Every delivery of every provider of one sandbox, with the thread that sends them."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.deliveries: list[Delivery] = []
        self._lock = threading.Condition()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._busy = False
        self._closed = False

    # -- what providers call

    def emit_json(
        self, provider: str, url: str, payload: dict[str, Any], secret: str, plan: RetryPlan, prefix: str
    ) -> Delivery:
        """Queue a signed JSON event (YouSign's shape; `prefix` names the headers: `X-Yousign`, `X-ESign`)."""
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            f"{prefix}-Signature-256": signature_header(body, secret),
            "User-Agent": "Yousign Webhook Bot" if prefix == "X-Yousign" else "ESign Webhook Bot",
        }
        return self._queue(
            Delivery(provider, payload["event_id"], url, body, headers, plan, prefix, self.clock.now())
        )

    def emit_form(
        self, provider: str, url: str, fields: dict[str, str], event_id: str, plan: RetryPlan
    ) -> Delivery:
        """Queue a form-urlencoded callback (AR24's shape, no signature)."""
        headers = {"Content-Type": "application/x-www-form-urlencoded", "User-Agent": "AR24 Webhook"}
        body = urlencode(fields).encode("ascii")
        return self._queue(Delivery(provider, event_id, url, body, headers, plan, None, self.clock.now()))

    def for_provider(self, provider: str) -> list[dict[str, Any]]:
        with self._lock:
            return [d.view() for d in self.deliveries if d.provider == provider]

    # -- driving the queue

    def wake(self) -> None:
        """Look at the queue now (the clock was moved, or something was queued)."""
        self._wake.set()

    def settle(self, timeout: float = 10.0) -> bool:
        """Wait until every delivery due at the sandbox clock's now has been attempted; False on timeout."""
        self.wake()
        with self._lock:
            return self._lock.wait_for(lambda: not self._busy and not self._due(), timeout=timeout)

    def close(self) -> None:
        self._closed = True
        self.wake()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _queue(self, delivery: Delivery) -> Delivery:
        with self._lock:
            self.deliveries.append(delivery)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="sandbox-webhooks", daemon=True)
                self._thread.start()
        self.wake()
        return delivery

    def _due(self) -> list[Delivery]:
        now = self.clock.now()
        return [d for d in self.deliveries if not d.done and d.due <= now]

    def _run(self) -> None:
        with httpx.Client(follow_redirects=False) as http:
            while not self._closed:
                with self._lock:
                    due = self._due()
                    if not due and all(d.done for d in self.deliveries):
                        self._thread = None
                        self._lock.notify_all()
                        return
                    self._busy = bool(due)
                for delivery in due:
                    self._attempt(http, delivery)
                with self._lock:
                    self._busy = False
                    self._lock.notify_all()
                self._wake.wait(POLL_S)
                self._wake.clear()

    def _attempt(self, http: httpx.Client, delivery: Delivery) -> None:
        number = len(delivery.attempts)
        headers = dict(delivery.headers)
        if delivery.retry_header:
            headers[f"{delivery.retry_header}-Retry"] = str(number)
            headers[f"{delivery.retry_header}-Issued-At"] = str(int(self.clock.now().timestamp()))
        outcome: dict[str, Any] = {"at": self.clock.now().isoformat(), "attempt": number}
        try:
            answer = http.post(
                delivery.url, content=delivery.body, headers=headers, timeout=delivery.plan.timeout(number)
            )
            outcome.update(status=answer.status_code, ok=answer.status_code in delivery.plan.accepted)
        except httpx.HTTPError as exc:
            outcome.update(error=type(exc).__name__, ok=False)
        with self._lock:
            delivery.attempts.append(outcome)
            if outcome["ok"] or number >= len(delivery.plan.delays_s):
                delivery.done = True
            else:
                delivery.due = self.clock.now() + timedelta(seconds=delivery.plan.delays_s[number])


def new_event_id() -> str:
    return str(uuid.uuid4())


def subscription(accounts: dict[str, Any], provider: str) -> dict[str, Any]:
    """The provider account's webhook subscription (`accounts[provider]["webhook"]`), made on first use:
    an id, a description, a 32-character secret (YouSign's size) and the URL, None until configured."""
    section = accounts.setdefault(provider, {})
    hook = section.setdefault("webhook", {})
    hook.setdefault("id", str(uuid.uuid4()))
    hook.setdefault("description", "lsc-tui sandbox")
    hook.setdefault("secret", secrets.token_hex(16))
    hook.setdefault("url", None)
    return hook
