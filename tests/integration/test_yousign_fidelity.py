"""Every answer of the YouSign sandbox, walked against YouSign's own schemas (yousign_schema.py): objects where
YouSign returns objects, null only where YouSign declares a field nullable, no field YouSign does not have.
Raw HTTP, no client: the point is what a client written against the real API would receive."""

from __future__ import annotations

from collections.abc import Iterator
from copy import deepcopy
from datetime import timedelta
from typing import Any

import httpx
import pytest

from lsc_tui.sandbox.core import load_accounts
from tests.conftest import ServedSandbox, serve_sandbox
from tests.integration.signature_kit import control, make_pdf, yousign_key
from tests.integration.yousign_schema import problems

PERSON = {
    "info": {"first_name": "Léa", "last_name": "Martin", "email": "lea@example.fr", "locale": "fr"},
    "signature_level": "electronic_signature",
    "signature_authentication_mode": "otp_email",
}


def check(response: httpx.Response, status: int, kind: str) -> Any:
    assert response.status_code == status, response.text
    body = response.json()
    assert problems(body, kind) == []
    return body


def api(sandbox: ServedSandbox) -> httpx.Client:
    headers = {"Authorization": f"Bearer {yousign_key(sandbox.accounts)}"}
    return httpx.Client(base_url=sandbox.yousign_url, headers=headers, timeout=10)


def draft(http: httpx.Client, **extra: Any) -> tuple[str, str]:
    """A draft with one document and one signer with a signature field: (request id, signer id)."""
    body = {"name": "Bail 12 rue X", "delivery_mode": "email", "signers_allowed_to_decline": True, **extra}
    sr = check(http.post("/signature_requests", json=body), 201, "SignatureRequest")
    base = f"/signature_requests/{sr['id']}"
    files = {"file": ("bail.pdf", make_pdf(2), "application/pdf")}
    document = check(http.post(f"{base}/documents", files=files, data={"nature": "signable_document"}), 201,
                     "Document")  # fmt: skip
    field = {"document_id": document["id"], "type": "signature", "page": 2, "x": 350, "y": 700}
    mention = {"document_id": document["id"], "type": "mention", "page": 1, "x": 40, "y": 60,
               "mention": "Lu et approuvé"}  # fmt: skip
    signer = check(http.post(f"{base}/signers", json={**PERSON, "fields": [field, mention]}), 201, "Signer")
    return sr["id"], signer["id"]


def test_a_request_through_its_life_matches_the_schemas(sandbox: ServedSandbox) -> None:
    with api(sandbox) as http:
        sr_id, signer_id = draft(
            http, email_custom_note="Merci de signer", external_id="chrono-1",
            reminder_settings={"interval_in_days": 2, "max_occurrences": 3},
        )  # fmt: skip
        base = f"/signature_requests/{sr_id}"
        check(http.get(base), 200, "SignatureRequest")
        for signer in check(http.get(f"{base}/signers"), 200, "[Signer]"):
            assert signer["redirect_urls"] == {"success": None, "error": None, "decline": None}
        check(http.get(f"{base}/documents"), 200, "[Document]")
        activated = check(http.post(f"{base}/activate"), 201, "SignatureRequestActivated")
        assert activated["signers"][0]["signature_link"]
        check(http.get(f"{base}/signers/{signer_id}"), 200, "Signer")
        page = check(http.get("/signature_requests", params={"status[eq]": "ongoing"}), 200, "Page")
        assert [item["id"] for item in page["data"]] == [sr_id]
        request = check(http.get(base), 200, "SignatureRequest")
        assert request["email_custom_note"] == "Merci de signer" and request["external_id"] == "chrono-1"
        assert request["reminder_settings"] == {"interval_in_days": 2, "max_occurrences": 3}
        control(sandbox.base_url, f"/yousign/_sandbox/signature_requests/{sr_id}/signers/{signer_id}/decline",
                {"reason": "Le loyer est faux."})  # fmt: skip
        declined = check(http.get(base), 200, "SignatureRequest")
        assert declined["decline_information"]["reason"] == "Le loyer est faux."
        listed = check(http.get("/signature_requests", params={"status[eq]": "declined"}), 200, "Page")
        assert "decline_information" not in listed["data"][0]  # YouSign's list items do not carry it


def test_cancel_expire_and_reactivate_answers(sandbox: ServedSandbox) -> None:
    with api(sandbox) as http:
        first, _ = draft(http)
        check(http.post(f"/signature_requests/{first}/activate"), 201, "SignatureRequestActivated")
        cancel = {"reason": "other", "custom_note": "Bail signé sur papier"}
        check(http.post(f"/signature_requests/{first}/cancel", json=cancel), 201, "SignatureRequest")
        second, _ = draft(http)
        check(http.post(f"/signature_requests/{second}/activate"), 201, "SignatureRequestActivated")
        control(sandbox.base_url, f"/yousign/_sandbox/signature_requests/{second}/expire")
        today = sandbox.ctx.clock.now().date()
        yesterday = {"expiration_date": (today - timedelta(days=1)).isoformat()}
        check(http.post(f"/signature_requests/{second}/reactivate", json=yesterday), 400, "Error")
        body = {"expiration_date": (today + timedelta(days=20)).isoformat()}
        again = check(
            http.post(f"/signature_requests/{second}/reactivate", json=body), 201, "SignatureRequest"
        )
        assert again["status"] == "ongoing"


def test_error_answers_match_the_schemas(sandbox: ServedSandbox) -> None:
    with api(sandbox) as http:
        sr = http.post("/signature_requests", json={"name": "B", "delivery_mode": "email"}).json()
        not_pdf = http.post(
            f"/signature_requests/{sr['id']}/documents",
            files={"file": ("bail.docx", b"PK\x03\x04 not a pdf", "application/octet-stream")},
            data={"nature": "signable_document"},
        )
        assert check(not_pdf, 400, "Error")["detail"].startswith("file:")  # YouSign: 400, not 415
        check(http.get("/signature_requests/none"), 404, "Error")
        check(http.put("/signature_requests"), 405, "Message")
    check(httpx.get(f"{sandbox.yousign_url}/signature_requests", timeout=10), 401, "Error")


@pytest.fixture
def tight() -> Iterator[ServedSandbox]:
    accounts = deepcopy(load_accounts(None))
    accounts["yousign"]["rate_limit"] = {"per_minute": 1, "per_hour": 100}
    yield from serve_sandbox(accounts=accounts)


def test_429_matches_the_schema(tight: ServedSandbox) -> None:
    with api(tight) as http:
        check(http.get("/signature_requests"), 200, "Page")
        check(http.get("/signature_requests"), 429, "Message")
