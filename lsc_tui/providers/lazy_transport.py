"""A transport made on its first request: the demo's in-process sandbox is not imported before Accueil."""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx


class LazyTransport(httpx.AsyncBaseTransport):
    def __init__(self, make: Callable[[], httpx.AsyncBaseTransport]) -> None:
        self._make = make
        self._inner: httpx.AsyncBaseTransport | None = None
        self._lock = threading.Lock()  # the warm-up thread and the first request may race

    def prepare(self) -> httpx.AsyncBaseTransport:
        with self._lock:
            if self._inner is None:
                self._inner = self._make()
            return self._inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        inner = self._inner or self.prepare()
        return await inner.handle_async_request(request)

    async def aclose(self) -> None:
        if self._inner is not None:
            await self._inner.aclose()
