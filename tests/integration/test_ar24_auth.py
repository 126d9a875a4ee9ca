"""AR24 authentication over real HTTP: token, Paris `date` within ±10 minutes, `signature` header (spec §3–§4).

Raw requests (signed by hand) check the sandbox's envelope: HTTP 200 always, clear JSON errors with a slug,
AES-encrypted success bodies. Client-level tests check that each refusal becomes an AuthError.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pyotp
import pytest

from lsc_tui.providers.ar24 import Ar24Client
from lsc_tui.providers.ar24_crypto import ar24_date, decrypt_body, sign
from lsc_tui.providers.base import AuthError, LetterOrder, Recipient
from lsc_tui.providers.http import RetryPolicy
from tests.conftest import ServedSandbox

FAST = RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.1, jitter=0.0)


def creds(sandbox: ServedSandbox) -> tuple[str, str, str]:
    ar24 = sandbox.accounts["ar24"]
    return ar24["token"], ar24["private_key"], str(ar24["users"][0]["id"])


async def raw(
    sandbox: ServedSandbox,
    method: str,
    path: str,
    *,
    token: str | None = None,
    date: str | None = None,
    signature: str | None = None,
    **fields: str,
) -> tuple[httpx.Response, str]:
    """One hand-made call; by default correctly signed. Returns the response and the date sent."""
    good_token, private_key, _ = creds(sandbox)
    date = ar24_date(datetime.now(UTC)) if date is None else date
    payload = {"token": good_token if token is None else token, "date": date, **fields}
    headers = {"signature": sign(date, private_key) if signature is None else signature}
    if signature == "":
        headers = {}
    async with httpx.AsyncClient(base_url=sandbox.ar24_url) as http:
        if method == "GET":
            response = await http.get(path, params=payload, headers=headers)
        else:
            response = await http.post(path, data=payload, headers=headers)
    return response, date


async def slug_of(response: httpx.Response) -> str:
    assert response.status_code == 200  # AR24 answers 200 even to a refusal
    body = response.json()
    assert body["status"] == "ERROR" and body["message"]
    return str(body["slug"])


async def test_success_bodies_are_encrypted_with_the_date_sent(sandbox: ServedSandbox) -> None:
    _, private_key, uid = creds(sandbox)
    response, date = await raw(sandbox, "GET", "user", id_user=uid)
    assert response.status_code == 200
    with pytest.raises(ValueError):
        json.loads(response.text)  # not JSON: base64 ciphertext
    envelope = json.loads(decrypt_body(response.text, date, private_key))
    assert envelope["status"] == "SUCCESS" and envelope["result"]["id"] == int(uid)


@pytest.mark.parametrize(
    ("overrides", "slug"),
    [
        ({"token": ""}, "token_missing"),
        ({"token": "not-our-token"}, "token_invalid"),
        ({"date": ""}, "empty_date"),
        ({"date": "23/11/2026 10:00"}, "invalid_date"),
        ({"signature": ""}, "empty_signature"),
        ({"signature": "bDop0cbjKpkySlpvnNGvBMg7PuYFFgPPqTTS2RAHoY0="}, "invalid_signature"),
    ],
)
async def test_each_authentication_failure_has_its_slug(
    sandbox: ServedSandbox, overrides: dict[str, str], slug: str
) -> None:
    _, _, uid = creds(sandbox)
    response, _ = await raw(sandbox, "GET", "user", id_user=uid, **overrides)
    assert await slug_of(response) == slug


async def test_a_tampered_signature_is_refused(sandbox: ServedSandbox) -> None:
    _, private_key, uid = creds(sandbox)
    date = ar24_date(datetime.now(UTC))
    good = sign(date, private_key)
    tampered = ("A" if good[0] != "A" else "B") + good[1:]
    response, _ = await raw(sandbox, "POST", "mail", date=date, signature=tampered, id_user=uid)
    assert await slug_of(response) == "invalid_signature"
    # signed for another date than the one sent: refused too
    other = sign(ar24_date(datetime.now(UTC) - timedelta(minutes=1)), private_key)
    response, _ = await raw(sandbox, "GET", "user", date=date, signature=other, id_user=uid)
    assert await slug_of(response) == "invalid_signature"


async def test_dates_outside_ten_minutes_are_refused(sandbox: ServedSandbox) -> None:
    _, private_key, uid = creds(sandbox)
    for shift, slug in ((timedelta(minutes=-11), "expired_date"), (timedelta(minutes=11), "date_in_future")):
        date = ar24_date(datetime.now(UTC) + shift)
        response, _ = await raw(
            sandbox, "GET", "user", date=date, signature=sign(date, private_key), id_user=uid
        )
        assert await slug_of(response) == slug
    date = ar24_date(datetime.now(UTC) + timedelta(minutes=9))  # inside the window
    response, _ = await raw(sandbox, "GET", "user", date=date, signature=sign(date, private_key), id_user=uid)
    assert response.status_code == 200 and not response.text.startswith("{")


async def test_both_mail_and_mail_slash_paths_are_served(sandbox: ServedSandbox) -> None:
    _, _, uid = creds(sandbox)
    for path in ("mail", "mail/"):
        response, _ = await raw(
            sandbox, "POST", path, id_user=uid, to_email="x@example.org", content="Bonjour"
        )
        assert await slug_of(response) == "consent_missing"  # reached the mail rules: the route exists


def client_for(sandbox: ServedSandbox, *, token: str | None = None, key: str | None = None,
               clock: Callable[[], datetime] | None = None) -> Ar24Client:  # fmt: skip
    good_token, private_key, _ = creds(sandbox)
    return Ar24Client(sandbox.ar24_url, token or good_token, key or private_key, policy=FAST, clock=clock)


@pytest.fixture
async def clients() -> AsyncIterator[list[Ar24Client]]:
    made: list[Ar24Client] = []
    yield made
    for client in made:
        await client.aclose()


async def _auth_error(client: Ar24Client, uid: str) -> AuthError:
    with pytest.raises(AuthError) as caught:
        await client.test_access(uid)
    return caught.value


@pytest.mark.parametrize(
    ("kw", "slug"),
    [
        ({"token": "wrong-token"}, "token_invalid"),
        ({"key": "wrong-private-key"}, "invalid_signature"),
        ({"clock": lambda: datetime.now(UTC) - timedelta(minutes=20)}, "expired_date"),
        ({"clock": lambda: datetime.now(UTC) + timedelta(minutes=20)}, "date_in_future"),
    ],
)
async def test_client_refusals_are_auth_errors(
    sandbox: ServedSandbox, clients: list[Ar24Client], kw: dict[str, Any], slug: str
) -> None:
    client = client_for(sandbox, **kw)
    clients.append(client)
    error = await _auth_error(client, creds(sandbox)[2])
    assert error.detail == slug and error.provider == "ar24"
    assert "AR24" in error.message and kw.get("token", "§") not in error.message  # French, no secret


async def test_a_client_following_the_sandbox_clock_keeps_working(
    sandbox: ServedSandbox, clients: list[Ar24Client]
) -> None:
    sandbox.ctx.clock.advance(days=30)
    client = client_for(sandbox, clock=sandbox.ctx.clock.now)
    clients.append(client)
    assert (await client.test_access(creds(sandbox)[2])).first_name == "Claire"


async def test_mail_validate_with_a_raw_totp_is_all_or_nothing(
    sandbox: ServedSandbox, clients: list[Ar24Client]
) -> None:
    """§15's other path: `otp` straight in mail/validate. A wrong code moves no letter of the batch."""
    client = client_for(sandbox)
    clients.append(client)
    _, _, uid = creds(sandbox)
    notary = Recipient(email="etude@notaire-roux.example", is_professional=True)
    ids = [
        (
            await client.send(
                uid, LetterOrder(f"RAW-{n}", "eidas", notary, b"%PDF-1.4", "a.pdf", content="AG")
            )
        ).remote_id
        for n in range(3)
    ]
    right = pyotp.TOTP(sandbox.accounts["ar24"]["users"][0]["otp_secret"]).now()
    wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"
    response, _ = await raw(sandbox, "POST", "mail/validate", id_user=uid, otp=wrong, **{"id[]": ids[0]})
    assert await slug_of(response) == "authentication_otp_invalid"
    assert {x.status.value for x in await client.letters(uid, ids)} == {"to_valid"}
    async with httpx.AsyncClient(base_url=sandbox.ar24_url) as http:  # several id[] with the right code
        date = ar24_date(datetime.now(UTC))
        fields = [("token", creds(sandbox)[0]), ("date", date), ("id_user", uid), ("otp", right)]
        fields += [("id[]", i) for i in ids]
        response = await http.post(
            "mail/validate",
            content=str(httpx.QueryParams(fields)),
            headers={
                "signature": sign(date, creds(sandbox)[1]),
                "content-type": "application/x-www-form-urlencoded",
            },
        )
    validated = json.loads(decrypt_body(response.text, date, creds(sandbox)[1]))["result"]["validated"]
    assert sorted(str(v["id"]) for v in validated) == sorted(ids)
    assert {x.status.value for x in await client.letters(uid, ids)} == {"waiting"}
