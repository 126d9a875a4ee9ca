"""A transport made on its first request: the demo's in-process sandbox is not imported before Accueil.

It does not subclass `httpx.AsyncBaseTransport`: httpx only calls a transport's methods, and importing httpx
costs the demo's start about 40 ms that Accueil does not need (the clients import it when first made).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx


class LazyTransport:
    """Duck-types `httpx.AsyncBaseTransport` (request, enter, exit, close)."""

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

    async def __aenter__(self) -> LazyTransport:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._inner is not None:
            await self._inner.aclose()
