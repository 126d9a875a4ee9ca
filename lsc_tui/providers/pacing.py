"""Staying under a provider's documented request quota, so that a sync of a thousand files never meets a 429.

YouSign allows 60 requests a minute and 1,200 an hour in production, 30 and 200 in its sandbox (yousign.md §1)
and documents no Retry-After: a client that just retries on 429 burns its hour. The pacer counts the calls it
let through in sliding windows and makes the next one wait until a slot frees. Its clock and sleep are
injected so that tests run on the sandbox's virtual clock.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

Sleep = Callable[[float], Awaitable[Any]]


@dataclass(frozen=True)
class RateLimit:
    per_minute: int
    per_hour: int


YOUSIGN_PRODUCTION = RateLimit(per_minute=60, per_hour=1200)
YOUSIGN_SANDBOX = RateLimit(per_minute=30, per_hour=200)


class Pacer:
    def __init__(
        self, limit: RateLimit, *, clock: Callable[[], float] | None = None, sleep: Sleep | None = None
    ) -> None:
        self.limit = limit
        self._clock = clock or time.monotonic
        self._sleep = sleep or asyncio.sleep
        self._calls: deque[float] = deque()
        self._lock = asyncio.Lock()
        self.waited = 0.0  # seconds spent waiting, for a progress line ("quota : pause de 40 s")

    async def wait(self) -> None:
        """Return when one more call keeps both windows within the limit; that call is counted."""
        async with self._lock:
            while True:
                now = self._clock()
                while self._calls and self._calls[0] <= now - 3600:
                    self._calls.popleft()
                in_minute = sum(1 for t in self._calls if t > now - 60)
                if in_minute < self.limit.per_minute and len(self._calls) < self.limit.per_hour:
                    self._calls.append(now)
                    return
                frees: list[float] = []
                if in_minute >= self.limit.per_minute:
                    frees.append(self._calls[len(self._calls) - self.limit.per_minute] + 60)
                if len(self._calls) >= self.limit.per_hour:
                    frees.append(self._calls[0] + 3600)
                pause = max(0.01, min(frees) - now)
                self.waited += pause
                await self._sleep(pause)
