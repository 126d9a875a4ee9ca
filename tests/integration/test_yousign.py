"""YouSignClient against the YouSign sandbox served over real HTTP on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

import httpx
import pytest

from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.providers.base import AuthError, Box, NotFound, Rejected
from lsc_tui.providers.yousign import READ_ONLY, YouSignClient
from tests.conftest import ServedSandbox, serve_sandbox
from tests.integration.signature_kit import (
    FAST,
    control,
    make_pdf,
    order,
    outbox,
    page_count,
    page_text,
    signer,
    yousign_key,
)


@pytest.fixture
async def yousign(sandbox: ServedSandbox) -> AsyncIterator[YouSignClient]:
    client = YouSignClient(sandbox.yousign_url, yousign_key(sandbox.accounts), policy=FAST)
    yield client
    await client.aclose()


def sign(sandbox: ServedSandbox, sr_id: str, signer_id: str) -> None:
    control(sandbox.base_url, f"/yousign/_sandbox/signature_requests/{sr_id}/signers/{signer_id}/sign")


def requests_for(sandbox: ServedSandbox, reference: str) -> list[dict]:
    return [sr for sr in sandbox.ctx.providers["yousign"].requests.values() if sr["external_id"] == reference]


# ---- happy path --------------------------------------------------------------------------------------------


async def test_send_sign_then_download_signed_pdf_and_proof(
    sandbox: ServedSandbox, yousign: YouSignClient
) -> None:
    sent = await yousign.send(order("chrono-2026-000123"))
    assert sent.status is SignatureStatus.PENDING
    assert sent.reference == "chrono-2026-000123"
    assert [s.email for s in sent.signers] == ["lea.martin@example.fr"]
    assert [s.status for s in sent.signers] == ["notified"]
    invitations = [m for m in outbox(sandbox.base_url, "yousign") if m["channel"] == "email"]
    assert [m["to"] for m in invitations] == ["lea.martin@example.fr"]

    sign(sandbox, sent.remote_id, sent.signers[0].remote_id)
    done = await yousign.status(sent.remote_id)
    assert done.status is SignatureStatus.SIGNED
    assert done.signers[0].email == "lea.martin@example.fr"
    assert any(
        m["channel"] == "sms" and m["to"] == "+33608904123" for m in outbox(sandbox.base_url, "yousign")
    )

    signed = await yousign.signed_pdf(sent.remote_id)
    assert signed.startswith(b"%PDF") and page_count(signed) == 2
    assert "Léa Martin" in page_text(signed, 2)
    assert "Léa Martin" not in page_text(signed, 1)

    proof = await yousign.proof(sent.remote_id)
    assert proof.startswith(b"%PDF")
    assert "signer.done" in page_text(proof, 1) and "Léa Martin" in page_text(proof, 1)


async def test_two_signers_in_one_request(sandbox: ServedSandbox, yousign: YouSignClient) -> None:
    second = signer(first_name="Jean-Noël", last_name="D'Arcy (SCI)", email="jn@example.fr",
                    boxes=(Box(page=1, x=40, y=700, width=170, height=74),))  # fmt: skip
    sent = await yousign.send(order("chrono-2", signer(), second, sms_check=False))
    sign(sandbox, sent.remote_id, sent.signers[0].remote_id)
    assert (await yousign.status(sent.remote_id)).status is SignatureStatus.PENDING
    sign(sandbox, sent.remote_id, sent.signers[1].remote_id)
    assert (await yousign.status(sent.remote_id)).status is SignatureStatus.SIGNED
    signed = await yousign.signed_pdf(sent.remote_id)
    assert "Jean-Noël" in page_text(signed, 1) and "Léa Martin" in page_text(signed, 2)
    assert not any(m["channel"] == "sms" for m in outbox(sandbox.base_url, "yousign"))


# ---- access --------------------------------------------------------------------------------------------------


async def test_access_with_the_right_key(yousign: YouSignClient) -> None:
    info = await yousign.test_access()
    assert info.name == "YouSign"
    assert "requêtes" in info.detail


async def test_access_with_a_wrong_key_is_an_auth_error(sandbox: ServedSandbox) -> None:
    client = YouSignClient(sandbox.yousign_url, "not-a-key", policy=FAST)
    with pytest.raises(AuthError) as caught:
        await client.test_access()
    assert "clé" in caught.value.message
    await client.aclose()


async def test_read_only_key_is_told_before_sending(sandbox: ServedSandbox) -> None:
    client = YouSignClient(sandbox.yousign_url, yousign_key(sandbox.accounts, "read_only"), policy=FAST)
    with pytest.raises(AuthError) as caught:
        await client.test_access()
    assert caught.value.message == READ_ONLY
    with pytest.raises(AuthError):
        await client.send(order("chrono-ro"))
    assert requests_for(sandbox, "chrono-ro") == []
    await client.aclose()


# ---- refusals ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "reason", "words"),
    [
        (signer(phone="0608904123"), "phone_number", "+33"),
        (signer(last_name="S.C.I. Dupont & Fils"), "name", "Nom"),
        (signer(boxes=(Box(page=2, x=500, y=700, width=170, height=74),)), "box", "page"),
        (signer(boxes=(Box(page=3, x=50, y=50, width=170, height=74),)), "box", "page"),
        (signer(boxes=(Box(page=1, x=50, y=50, width=60, height=74),)), "box", "85"),
        (signer(boxes=()), "box", "Case"),
    ],
)
async def test_refusals_carry_a_reason_and_leave_nothing_behind(
    sandbox: ServedSandbox, yousign: YouSignClient, spec: object, reason: str, words: str
) -> None:
    with pytest.raises(Rejected) as caught:
        await yousign.send(order("chrono-bad", spec))  # type: ignore[arg-type]
    assert caught.value.reason == reason
    assert words in caught.value.message
    assert requests_for(sandbox, "chrono-bad") == []


async def test_phone_is_required_for_an_sms_check(yousign: YouSignClient) -> None:
    with pytest.raises(Rejected) as caught:
        await yousign.send(order("chrono-nophone", signer(phone=None), sms_check=True))
    assert caught.value.reason == "phone_number"
    sent = await yousign.send(order("chrono-nophone", signer(phone=None), sms_check=False))
    assert sent.status is SignatureStatus.PENDING


async def test_reference_with_a_space_is_refused(yousign: YouSignClient) -> None:
    with pytest.raises(Rejected) as caught:
        await yousign.send(order("chrono 2026/1"))
    assert caught.value.reason == "reference"


async def test_unknown_request_is_not_found(yousign: YouSignClient) -> None:
    with pytest.raises(NotFound):
        await yousign.status("00000000-0000-0000-0000-000000000000")
    with pytest.raises(NotFound):
        await yousign.signed_pdf("00000000-0000-0000-0000-000000000000")


# ---- lifecycle -----------------------------------------------------------------------------------------------


async def test_cancel_an_ongoing_request_but_not_a_signed_one(
    sandbox: ServedSandbox, yousign: YouSignClient
) -> None:
    ongoing = await yousign.send(order("chrono-c1"))
    cancelled = await yousign.cancel(ongoing.remote_id, "Bail signé sur papier")
    assert cancelled.status is SignatureStatus.CANCELLED
    note = sandbox.ctx.providers["yousign"].requests[ongoing.remote_id]["_cancel"]
    assert (note["reason"], note["custom_note"]) == ("other", "Bail signé sur papier")

    signed = await yousign.send(order("chrono-c2"))
    sign(sandbox, signed.remote_id, signed.signers[0].remote_id)
    with pytest.raises(Rejected) as caught:
        await yousign.cancel(signed.remote_id, "trop tard")
    assert caught.value.reason == "state"
    assert (await yousign.status(signed.remote_id)).status is SignatureStatus.SIGNED


async def test_decline_reason_is_seen_by_status(sandbox: ServedSandbox, yousign: YouSignClient) -> None:
    sent = await yousign.send(order("chrono-d"))
    path = (
        f"/yousign/_sandbox/signature_requests/{sent.remote_id}/signers/{sent.signers[0].remote_id}/decline"
    )
    control(sandbox.base_url, path, {"reason": "Le loyer est faux."})
    declined = await yousign.status(sent.remote_id)
    assert declined.status is SignatureStatus.DECLINED
    assert declined.reason == "Le loyer est faux."
    assert declined.updated_at is not None
    with pytest.raises(Rejected) as caught:
        await yousign.signed_pdf(sent.remote_id)
    assert caught.value.reason == "state"


async def test_remind_mails_the_waiting_signer(sandbox: ServedSandbox, yousign: YouSignClient) -> None:
    sent = await yousign.send(order("chrono-r"))
    await yousign.remind(sent.remote_id)
    reminders = [m for m in outbox(sandbox.base_url, "yousign") if m["subject"].startswith("Rappel")]
    assert [(m["to"], m["ref"]) for m in reminders] == [("lea.martin@example.fr", sent.remote_id)]
    sign(sandbox, sent.remote_id, sent.signers[0].remote_id)
    with pytest.raises(Rejected) as caught:
        await yousign.remind(sent.remote_id)
    assert caught.value.reason == "state"


async def test_changed_since_lists_what_may_have_changed(
    sandbox: ServedSandbox, yousign: YouSignClient
) -> None:
    first = await yousign.send(order("chrono-l1"))
    second = await yousign.send(order("chrono-l2"))
    sign(sandbox, first.remote_id, first.signers[0].remote_id)
    since = sandbox.ctx.clock.now() - timedelta(hours=1)
    changed = {r.remote_id: r for r in await yousign.changed_since(since)}
    assert changed[first.remote_id].status is SignatureStatus.SIGNED
    assert changed[second.remote_id].status is SignatureStatus.PENDING
    assert changed[first.remote_id].reference == "chrono-l1"
    assert await yousign.changed_since(sandbox.ctx.clock.now() + timedelta(days=400)) == []


async def test_changed_since_follows_the_cursor(yousign: YouSignClient) -> None:
    sent = {(await yousign.send(order(f"chrono-p{i}"))).remote_id for i in range(3)}
    yousign.page_size = 2
    listed = [r.remote_id for r in await yousign.changed_since(None)]
    assert sorted(listed) == sorted(sent)


async def test_request_expires_on_the_virtual_clock(sandbox: ServedSandbox, yousign: YouSignClient) -> None:
    sent = await yousign.send(order("chrono-e", expires_in_days=3))
    sandbox.ctx.clock.advance(days=2)
    assert (await yousign.status(sent.remote_id)).status is SignatureStatus.PENDING
    sandbox.ctx.clock.advance(days=2)
    assert (await yousign.status(sent.remote_id)).status is SignatureStatus.EXPIRED


@pytest.fixture
def autopilot_sandbox() -> Iterator[ServedSandbox]:
    yield from serve_sandbox(autopilot=True)


async def test_autopilot_signs_within_its_delay(autopilot_sandbox: ServedSandbox) -> None:
    pilot = autopilot_sandbox.ctx.autopilot
    pilot.min_delay_s, pilot.max_delay_s, pilot.odds_sign = 60, 120, 1.0
    client = YouSignClient(
        autopilot_sandbox.yousign_url, yousign_key(autopilot_sandbox.accounts), policy=FAST
    )
    sent = await client.send(order("chrono-auto"))
    assert (await client.status(sent.remote_id)).status is SignatureStatus.PENDING
    autopilot_sandbox.ctx.clock.advance(seconds=121)
    assert (await client.status(sent.remote_id)).status is SignatureStatus.SIGNED
    await client.aclose()


async def test_autopilot_may_decline_with_a_reason(autopilot_sandbox: ServedSandbox) -> None:
    pilot = autopilot_sandbox.ctx.autopilot
    pilot.min_delay_s, pilot.max_delay_s, pilot.odds_sign = 1, 2, 0.0
    client = YouSignClient(
        autopilot_sandbox.yousign_url, yousign_key(autopilot_sandbox.accounts), policy=FAST
    )
    sent = await client.send(order("chrono-auto-no"))
    autopilot_sandbox.ctx.clock.advance(seconds=3)
    declined = await client.status(sent.remote_id)
    assert declined.status is SignatureStatus.DECLINED and declined.reason
    await client.aclose()


# ---- the sandbox keeps YouSign's rules (raw HTTP, no client) -------------------------------------------------


def api(sandbox: ServedSandbox) -> httpx.Client:
    key = yousign_key(sandbox.accounts)
    return httpx.Client(base_url=sandbox.yousign_url, headers={"Authorization": f"Bearer {key}"}, timeout=10)


def test_sandbox_enforces_draft_only_edits_and_activation_prerequisites(sandbox: ServedSandbox) -> None:
    with api(sandbox) as http:
        sr = http.post("/signature_requests", json={"name": "Bail", "delivery_mode": "email"})
        assert sr.status_code == 201 and sr.json()["status"] == "draft"
        assert {"x-ratelimit-limit-minute", "x-ratelimit-remaining-hour"} <= set(sr.headers)
        base = f"/signature_requests/{sr.json()['id']}"
        refused = http.post(f"{base}/activate")
        assert refused.status_code == 400 and refused.json()["detail"].startswith("documents:")
        doc = http.post(f"{base}/documents", files={"file": ("b.pdf", make_pdf(1), "application/pdf")},
                        data={"nature": "signable_document"}).json()  # fmt: skip
        assert doc["total_pages"] == 1
        person = {"info": {"first_name": "Léa", "last_name": "Martin", "email": "l@example.fr", "locale": "fr"},
                  "signature_level": "electronic_signature", "signature_authentication_mode": "otp_email"}  # fmt: skip
        assert http.post(f"{base}/signers", json=person).status_code == 201
        no_field = http.post(f"{base}/activate")
        assert no_field.status_code == 400 and "signature field" in no_field.json()["detail"]
        field = {"document_id": doc["id"], "type": "signature", "page": 1, "x": 10, "y": 10}
        assert http.post(f"{base}/signers", json={**person, "fields": [field]}).status_code == 201
        assert http.delete(f"{base}/signers").json() == {"message": "Method Not Allowed"}
        assert http.post(f"{base}/activate").status_code == 400  # first signer still has no field
        assert http.delete(base).status_code == 204
        assert http.get(base).json()["status"] == "deleted"


def test_sandbox_refuses_unknown_keys_and_bad_enums(sandbox: ServedSandbox) -> None:
    with api(sandbox) as http:
        extra = http.post(
            "/signature_requests", json={"name": "B", "delivery_mode": "email", "colour": "red"}
        )
        assert extra.status_code == 400 and extra.json() == {
            "type": "invalid_request_error",
            "detail": "colour: This field was not expected (extra_arguments_not_allowed).",
        }
        assert http.post("/signature_requests", json={"name": "B", "delivery_mode": "fax"}).status_code == 400
        past = http.post("/signature_requests", json={"name": "B", "delivery_mode": "email",
                                                      "expiration_date": "2001-01-01"})  # fmt: skip
        assert past.status_code == 400 and past.json()["detail"].startswith("expiration_date:")
        assert http.get("/signature_requests/nope").status_code == 404
        assert http.put("/signature_requests").json() == {"message": "Method Not Allowed"}
    anonymous = httpx.get(f"{sandbox.yousign_url}/signature_requests", timeout=10)
    assert anonymous.status_code == 401 and set(anonymous.json()) == {"type", "detail"}
