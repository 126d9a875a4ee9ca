"""The provider HTTP caller: a multipart body (a PDF sent for signature) leaves in one piece; retries re-send it
whole; the sandbox reads page sizes of a PDF sent again without parsing it again, and refuses a bad one each time."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from lsc_tui.providers.http import Caller, RetryPolicy
from lsc_tui.sandbox.pdfinfo import UnreadablePdf, page_sizes
from tests.pdf_factory import blank_pdf


class Recorder(httpx.AsyncBaseTransport):
    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.chunks: list[list[bytes]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.chunks.append([chunk async for chunk in request.stream])  # type: ignore[union-attr]
        return httpx.Response(self.statuses.pop(0), json={})


def test_a_multipart_body_leaves_in_one_piece_every_attempt() -> None:
    transport = Recorder([503, 201])

    async def send() -> httpx.Response:
        async with httpx.AsyncClient(base_url="http://provider.test", transport=transport) as client:
            caller = Caller(client, "esign", policy=RetryPolicy(base_delay=0, jitter=0), sleep=asyncio.sleep)
            return await caller.request(
                "POST", "/v1/envelopes", idempotent=True, files={"file": ("bail.pdf", b"%PDF-1.4 x", "application/pdf")},
                data={"meta": "{}"},
            )  # fmt: skip

    assert asyncio.run(send()).status_code == 201
    assert [len(chunks) for chunks in transport.chunks] == [1, 1]
    assert all(
        b'name="file"; filename="bail.pdf"' in c[0] and b"%PDF-1.4 x" in c[0] for c in transport.chunks
    )


def test_page_sizes_of_the_same_pdf_twice_and_a_bad_one_twice() -> None:
    data = blank_pdf([(595.0, 842.0), (842.0, 595.0)])
    first = page_sizes(data)
    assert first == [(595.0, 842.0), (842.0, 595.0)]
    again = page_sizes(bytes(bytearray(data)))
    assert again == first and again is not first  # a list of its own each time
    for _ in range(2):
        with pytest.raises(UnreadablePdf):
            page_sizes(b"%PDF-1.4 not really")
