"""The sandbox's control routes (`/<provider>/_sandbox/...`) show OTP codes and act for signers and recipients:
they answer only when the app was made for a demo or a test (`create_app(control=True)`), and only to a caller
on loopback. Anything else gets the 404 an unknown route gets."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from lsc_tui.sandbox.app import create_app
from lsc_tui.sandbox.core import load_accounts

LOOPBACK = ("127.0.0.1", 40001)
LOOPBACK_V6 = ("::1", 40002)
REMOTE = ("203.0.113.9", 40003)


def routes(accounts: dict[str, Any]) -> list[tuple[str, str]]:
    user = accounts["ar24"]["users"][0]["id"]
    return [
        ("GET", f"/ar24/_sandbox/otp/{user}"),
        ("GET", "/ar24/_sandbox/outbox"),
        ("GET", "/yousign/_sandbox/outbox"),
        ("POST", "/yousign/_sandbox/clock"),
        ("GET", "/esign/_sandbox/outbox"),
    ]


async def statuses(control: bool, client: tuple[str, int]) -> list[int]:
    accounts = load_accounts(None)
    transport = httpx.ASGITransport(app=create_app(accounts=accounts, control=control), client=client)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.local") as http:
        return [(await http.request(method, path, json={})).status_code for method, path in routes(accounts)]


@pytest.mark.parametrize("client", [LOOPBACK, LOOPBACK_V6])
async def test_control_routes_answer_on_loopback_when_enabled(client: tuple[str, int]) -> None:
    assert await statuses(True, client) == [200] * 5


@pytest.mark.parametrize(("control", "client"), [(False, LOOPBACK), (True, REMOTE), (False, REMOTE)])
async def test_control_routes_are_404_otherwise(control: bool, client: tuple[str, int]) -> None:
    assert await statuses(control, client) == [404] * 5


async def test_the_api_itself_is_not_gated() -> None:
    accounts = load_accounts(None)
    key = next(iter(accounts["esign"]["api_keys"]))
    transport = httpx.ASGITransport(app=create_app(accounts=accounts), client=REMOTE)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.local") as http:
        answer = await http.get("/esign/v1/account", headers={"X-Api-Key": key})
    assert answer.status_code == 200
