"""The one httpx client factory: timeouts, bounded concurrency, retries that never duplicate, redacted logs.

Retry rules (why): 429 and 503 mean the provider did *not* act, so they are always retried, honouring
`Retry-After`. A connection error or timeout may hide a request the provider *did* commit, so it is retried
only when the caller says the call is idempotent (it carries an external_id / reference the provider dedups on).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from lsc_tui.providers.base import ProviderUnavailable, RateLimited
from lsc_tui.providers.logs import install_redaction, redact
from lsc_tui.providers.pacing import Pacer

log = logging.getLogger("lsc_tui.providers")

__all__ = ["Caller", "RetryPolicy", "make_client", "redact"]


@dataclass(frozen=True)
class RetryPolicy:
    """`max_delay` bounds our own backoff; a provider's Retry-After is honoured up to `max_retry_after`
    (retrying sooner than asked only earns another 429)."""

    attempts: int = 5
    base_delay: float = 0.2
    max_delay: float = 8.0
    jitter: float = 0.2
    max_retry_after: float = 90.0

    def backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, max(self.max_retry_after, self.max_delay)) + random.uniform(
                0, self.jitter
            )
        return min(self.base_delay * 2**attempt, self.max_delay) + random.uniform(0, self.jitter)


TRANSPORT_ERRORS = (httpx.TransportError,)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


async def _log_request(request: httpx.Request) -> None:
    if log.isEnabledFor(logging.DEBUG):  # redacting costs a few regex passes: not for a line nobody logs
        log.debug("→ %s %s", request.method, redact(str(request.url)))


async def _log_response(response: httpx.Response) -> None:
    if log.isEnabledFor(logging.DEBUG):
        log.debug(
            "← %s %s %s", response.status_code, response.request.method, redact(str(response.request.url))
        )


class _NoCookies(httpx.Cookies):
    def extract_cookies(self, response: httpx.Response) -> None:
        """Nothing kept: see `ApiClient`."""


class ApiClient(httpx.AsyncClient):
    """An httpx client that keeps no cookie. Every provider call carries its own token or signature, and no
    documented answer sets a cookie that must come back; keeping them built two urllib wrappers per response
    for the cookie jar, a tenth of the client's CPU per call in a batch of 1,000 (bench_signatures.py)."""

    _ignored = _NoCookies()

    @property  # type: ignore[override]
    def cookies(self) -> httpx.Cookies:
        return self._ignored


def make_client(
    base_url: str,
    *,
    headers: dict[str, str] | None = None,
    timeout: float = 20.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> httpx.AsyncClient:
    """One AsyncClient per provider. `transport` lets the demo mount the sandbox in-process (ASGITransport).
    Making one also puts the redacting filter on httpx's and httpcore's loggers (providers/logs.py)."""
    client = ApiClient(
        base_url=base_url,
        headers=headers or {},
        timeout=httpx.Timeout(timeout, connect=5.0),
        transport=transport,
        event_hooks={"request": [_log_request], "response": [_log_response]},
        limits=httpx.Limits(max_connections=20, max_keepalive_connections=20),
    )
    install_redaction()
    return client


class Caller:
    """Sends requests through a client with the retry rules above and a semaphore bounding concurrency."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        provider: str,
        *,
        policy: RetryPolicy | None = None,
        concurrency: int = 8,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        pacer: Pacer | None = None,
    ) -> None:
        """`pacer` keeps the calls under the provider's documented quota (providers/pacing.py)."""
        self.client = client
        self.provider = provider
        self.policy = policy or RetryPolicy()
        self.semaphore = asyncio.Semaphore(concurrency)
        self._sleep = sleep
        self.pacer = pacer

    async def request(
        self,
        method: str,
        url: str,
        *,
        idempotent: bool,
        build: Callable[[], dict[str, Any]] | None = None,
        urgent: bool = False,
        **kwargs: Any,
    ) -> httpx.Response:
        """Send with retries. `build` rebuilds per-attempt arguments (AR24's date + signature must be fresh).
        `urgent`: the next page of a listing that reads one page at a time does not queue behind the reads it
        started (one request more than `concurrency`, never more: a listing has one page in flight)."""
        last_retry_after: float | None = None
        for attempt in range(self.policy.attempts):
            if self.pacer is not None:  # before `build`: a signed date must not age while we wait
                await self.pacer.wait()
            try:
                if urgent:
                    response = await self._send(method, url, build, kwargs)
                else:
                    async with self.semaphore:
                        response = await self._send(method, url, build, kwargs)
            except TRANSPORT_ERRORS as exc:
                if not idempotent or attempt == self.policy.attempts - 1:
                    raise ProviderUnavailable(detail=type(exc).__name__, provider=self.provider) from exc
                await self._sleep(self.policy.backoff(attempt, None))
                continue
            if response.status_code in (429, 503):
                last_retry_after = _retry_after(response)
                if attempt == self.policy.attempts - 1:
                    break
                await self._sleep(self.policy.backoff(attempt, last_retry_after))
                continue
            if response.status_code >= 500 and idempotent and attempt < self.policy.attempts - 1:
                await self._sleep(self.policy.backoff(attempt, None))
                continue
            return response
        if response.status_code == 429:  # a 503 carrying Retry-After is still an outage, not a quota
            raise RateLimited(retry_after=last_retry_after, provider=self.provider)
        raise ProviderUnavailable(detail=f"HTTP {response.status_code}", provider=self.provider)

    async def _send(
        self, method: str, url: str, build: Callable[[], dict[str, Any]] | None, kwargs: dict[str, Any]
    ) -> httpx.Response:
        """Build the request once it has its slot, then send it. Built before, a batch of 40 calls signed and
        encoded all 40 before the first went out: 13 ms of the client's CPU ahead of any latency
        (bench_otp_validation.py), and each signed date aged while it queued."""
        args = dict(kwargs)
        if build is not None:
            args.update(build())
        request = self.client.build_request(method, url, **args)
        if "files" in args:
            # A multipart body streams out part by part: ten socket writes (and ten reads at the other
            # end) per PDF sent. Joined first, it goes in one: a third of the client's CPU per ESign send.
            request.read()
        return await self.client.send(request)
