"""What the YouSign and ESign integration tests share: real PDFs, orders, keys, control-route calls,
a virtual sleep and a transport that loses one answer after the sandbox committed the request."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
from fpdf import FPDF
from pypdf import PdfReader

from lsc_tui.providers.base import Box, SignatureOrder, SignerSpec
from lsc_tui.providers.http import RetryPolicy

FAST = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05, jitter=0.0)
A4 = (595.28, 841.89)
PDF_DATE = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)  # fpdf2 stamps the creation time: fix it, or bytes drift


def make_pdf(pages: int = 2, size: tuple[float, float] = A4) -> bytes:
    """The same pages give the same bytes, whenever they are built (hashes compared across a second tick)."""
    pdf = FPDF(unit="pt", format=size)
    pdf.set_creation_date(PDF_DATE)
    pdf.set_font("helvetica", size=12)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.cell(0, 20, f"Bail d'habitation - page {number}")
    return bytes(pdf.output())


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def page_text(pdf: bytes, page: int) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[page - 1].extract_text()


def signer(
    *,
    first_name: str = "Léa",
    last_name: str = "Martin",
    email: str = "lea.martin@example.fr",
    phone: str | None = "+33608904123",
    boxes: tuple[Box, ...] = (Box(page=2, x=350, y=700, width=170, height=74),),
) -> SignerSpec:
    return SignerSpec(first_name, last_name, email, phone, boxes)


def order(
    reference: str = "chrono-2026-000123", *signers: SignerSpec, pages: int = 2, **kw: Any
) -> SignatureOrder:
    return SignatureOrder(
        reference=reference,
        title="Bail 12 rue X",
        pdf=make_pdf(pages),
        filename="bail.pdf",
        signers=signers or (signer(),),
        **kw,
    )


def yousign_key(accounts: dict[str, Any], scope: str = "full") -> str:
    return next(k for k, v in accounts["yousign"]["api_keys"].items() if v["scope"] == scope)


def esign_key(accounts: dict[str, Any]) -> str:
    return next(iter(accounts["esign"]["api_keys"]))


def control(base_url: str, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
    """Call a sandbox control route (no key, never faulted); fails the test on an error."""
    response = httpx.post(f"{base_url}{path}", json=body or {}, timeout=10)
    response.raise_for_status()
    return response


def outbox(base_url: str, provider: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{base_url}/{provider}/_sandbox/outbox", timeout=10)
    response.raise_for_status()
    return response.json()["messages"]


class VirtualSleep:
    """Stands in for asyncio.sleep: records each wait and moves the sandbox clock by it instead."""

    def __init__(self, clock: Any) -> None:
        self.clock = clock
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.clock.advance(seconds=seconds)


class LosingTransport(httpx.AsyncBaseTransport):
    """Sends every request for real; for the first `count` matching ones, the sandbox commits but the
    answer is thrown away and a read error raised, as when a connection dies on the way back."""

    def __init__(self, matches: Callable[[httpx.Request], bool], count: int = 1) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.matches = matches
        self.left = count
        self.lost: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if self.left > 0 and self.matches(request):
            self.left -= 1
            await response.aread()
            await response.aclose()
            self.lost.append(f"{request.method} {request.url.path}")
            raise httpx.ReadError("response lost after the provider committed", request=request)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()
