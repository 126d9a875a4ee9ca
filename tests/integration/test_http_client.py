"""The providers' HTTP client (providers/http.py): what it keeps between calls."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from lsc_tui.providers.http import make_client


async def set_cookie(_request: Request) -> JSONResponse:
    response = JSONResponse({"ok": True})
    response.set_cookie("session", "abc123")
    return response


async def echo(request: Request) -> JSONResponse:
    return JSONResponse({"cookie": request.headers.get("cookie")})


async def test_a_cookie_set_by_a_provider_is_never_sent_back() -> None:
    """Every call carries its own token or signature: a cookie kept and sent back would be state nobody
    asked for (and keeping them cost a tenth of the client's CPU per call)."""
    app = Starlette(routes=[Route("/set", set_cookie), Route("/echo", echo)])
    client = make_client("http://provider.test", transport=httpx.ASGITransport(app=app))
    async with client:
        first = await client.get("/set")
        assert first.headers.get("set-cookie", "").startswith("session=abc123")
        assert (await client.get("/echo")).json() == {"cookie": None}
