"""ESignClient against the ESign sandbox served over real HTTP on 127.0.0.1."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from hashlib import sha256

import httpx
import pytest

from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.providers.base import AuthError, Box, NotFound, Rejected
from lsc_tui.providers.esign import ESignClient
from tests.conftest import ServedSandbox, serve_sandbox
from tests.integration.signature_kit import (
    FAST,
    control,
    esign_key,
    order,
    outbox,
    page_count,
    page_text,
    signer,
)


@pytest.fixture
async def esign(sandbox: ServedSandbox) -> AsyncIterator[ESignClient]:
    client = ESignClient(sandbox.esign_url, esign_key(sandbox.accounts), policy=FAST)
    yield client
    await client.aclose()


def act(
    sandbox: ServedSandbox, envelope_id: str, signer_id: str, action: str, body: dict | None = None
) -> None:
    control(sandbox.base_url, f"/esign/_sandbox/envelopes/{envelope_id}/signers/{signer_id}/{action}", body)


def envelopes_for(sandbox: ServedSandbox, reference: str) -> list[dict]:
    return [e for e in sandbox.ctx.providers["esign"].envelopes.values() if e["reference"] == reference]


def credits(sandbox: ServedSandbox) -> int:
    return sandbox.accounts["esign"]["api_keys"][esign_key(sandbox.accounts)]["credits_left"]


# ---- happy path --------------------------------------------------------------------------------------------


async def test_send_sign_then_download_signed_pdf_and_proof(
    sandbox: ServedSandbox, esign: ESignClient
) -> None:
    the_order = order("chrono-2026-000123")
    sent = await esign.send(the_order)
    assert sent.status is SignatureStatus.PENDING
    assert [(s.email, s.status) for s in sent.signers] == [("lea.martin@example.fr", "waiting")]
    assert [m["to"] for m in outbox(sandbox.base_url, "esign")] == ["lea.martin@example.fr"]

    act(sandbox, sent.remote_id, sent.signers[0].remote_id, "sign")
    done = await esign.status(sent.remote_id)
    assert done.status is SignatureStatus.SIGNED
    assert done.completed_at is not None and done.signers[0].signed_at is not None
    assert any(m["channel"] == "sms" and m["to"] == "+33608904123" for m in outbox(sandbox.base_url, "esign"))

    signed = await esign.signed_pdf(sent.remote_id)
    assert page_count(signed) == 2 and "Léa Martin" in page_text(signed, 2)

    with zipfile.ZipFile(io.BytesIO(await esign.proof(sent.remote_id))) as proof:
        assert sorted(proof.namelist()) == ["audit.json", "hashes.txt", "signed.pdf"]
        assert proof.read("signed.pdf") == signed
        hashes = dict(line.split("  ")[::-1] for line in proof.read("hashes.txt").decode().splitlines())
        audit = json.loads(proof.read("audit.json"))
    assert hashes == {
        "original.pdf": sha256(the_order.pdf).hexdigest(),
        "signed.pdf": sha256(signed).hexdigest(),
    }
    steps = [s["step"] for s in audit["steps"]]
    assert steps == [
        "envelope.created",
        "email.sent",
        "code_sent",
        "consented",
        "signed",
        "envelope.completed",
    ]
    assert all(s["at"] for s in audit["steps"])
    assert {s["ip"] for s in audit["steps"] if s["step"] in {"consented", "signed"}} == {"198.51.100.23"}


async def test_without_sms_check_no_code_is_sent(sandbox: ServedSandbox, esign: ESignClient) -> None:
    sent = await esign.send(order("chrono-nosms", signer(phone=None), sms_check=False))
    act(sandbox, sent.remote_id, sent.signers[0].remote_id, "sign")
    assert (await esign.status(sent.remote_id)).status is SignatureStatus.SIGNED
    assert not any(m["channel"] == "sms" for m in outbox(sandbox.base_url, "esign"))


async def test_same_reference_returns_the_first_envelope(sandbox: ServedSandbox, esign: ESignClient) -> None:
    before = credits(sandbox)
    first = await esign.send(order("chrono-idem"))
    again = await esign.send(order("chrono-idem"))
    assert again.remote_id == first.remote_id
    assert again.signers[0].email == "lea.martin@example.fr"
    assert len(envelopes_for(sandbox, "chrono-idem")) == 1
    assert credits(sandbox) == before - 1


# ---- access --------------------------------------------------------------------------------------------------


async def test_access_with_the_right_key(esign: ESignClient) -> None:
    info = await esign.test_access()
    assert info.name == "Cabinet Démo (sandbox ESign)"
    assert info.detail == "500 crédits restants"


async def test_access_with_a_wrong_key_is_an_auth_error(sandbox: ServedSandbox) -> None:
    client = ESignClient(sandbox.esign_url, "wrong", policy=FAST)
    with pytest.raises(AuthError):
        await client.test_access()
    await client.aclose()


# ---- refusals ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "reason", "words"),
    [
        (signer(phone="06 08 90 41 23"), "phone_number", "+33"),
        (signer(phone=None), "phone_number", "+33"),
        (signer(email="lea.example.fr"), "email", "e-mail"),
        (signer(first_name=" "), "name", "Nom"),
        (signer(boxes=(Box(page=2, x=500, y=800, width=170, height=74),)), "box", "page"),
        (signer(boxes=(Box(page=5, x=50, y=50, width=170, height=74),)), "box", "page"),
    ],
)
async def test_refusals_carry_a_reason(
    sandbox: ServedSandbox, esign: ESignClient, spec: object, reason: str, words: str
) -> None:
    with pytest.raises(Rejected) as caught:
        await esign.send(order("chrono-bad", spec))  # type: ignore[arg-type]
    assert caught.value.reason == reason
    assert words in caught.value.message
    assert envelopes_for(sandbox, "chrono-bad") == []


async def test_no_credits_left_is_a_rejection(sandbox: ServedSandbox, esign: ESignClient) -> None:
    sandbox.accounts["esign"]["api_keys"][esign_key(sandbox.accounts)]["credits_left"] = 0
    with pytest.raises(Rejected) as caught:
        await esign.send(order("chrono-broke"))
    assert caught.value.reason == "credits"


async def test_unknown_envelope_is_not_found(esign: ESignClient) -> None:
    with pytest.raises(NotFound):
        await esign.status("nope")
    with pytest.raises(NotFound):
        await esign.cancel("nope", "x")


# ---- lifecycle -----------------------------------------------------------------------------------------------


async def test_cancel_a_sent_envelope_but_not_a_signed_one(
    sandbox: ServedSandbox, esign: ESignClient
) -> None:
    sent = await esign.send(order("chrono-c1"))
    cancelled = await esign.cancel(sent.remote_id, "Bail signé sur papier")
    assert cancelled.status is SignatureStatus.CANCELLED and cancelled.reason == "Bail signé sur papier"

    signed = await esign.send(order("chrono-c2"))
    act(sandbox, signed.remote_id, signed.signers[0].remote_id, "sign")
    with pytest.raises(Rejected) as caught:
        await esign.cancel(signed.remote_id, "trop tard")
    assert caught.value.reason == "state" and "signed" in caught.value.detail


async def test_withdrawal_is_a_decline_with_its_reason(sandbox: ServedSandbox, esign: ESignClient) -> None:
    sent = await esign.send(order("chrono-w"))
    act(sandbox, sent.remote_id, sent.signers[0].remote_id, "withdraw", {"reason": "Je ne loue plus."})
    refused = await esign.status(sent.remote_id)
    assert refused.status is SignatureStatus.DECLINED and refused.reason == "Je ne loue plus."
    assert refused.signers[0].status == "withdrawn"
    with pytest.raises(Rejected) as caught:
        await esign.signed_pdf(sent.remote_id)
    assert caught.value.reason == "state"


async def test_expire_control_route(sandbox: ServedSandbox, esign: ESignClient) -> None:
    sent = await esign.send(order("chrono-x"))
    act(sandbox, sent.remote_id, sent.signers[0].remote_id, "expire")
    assert (await esign.status(sent.remote_id)).status is SignatureStatus.EXPIRED


async def test_envelope_expires_on_the_virtual_clock(sandbox: ServedSandbox, esign: ESignClient) -> None:
    sent = await esign.send(order("chrono-e", expires_in_days=2))
    sandbox.ctx.clock.advance(days=3)
    assert (await esign.status(sent.remote_id)).status is SignatureStatus.EXPIRED


async def test_remind_mails_the_signers_who_have_not_signed(
    sandbox: ServedSandbox, esign: ESignClient
) -> None:
    sent = await esign.send(order("chrono-r"))
    await esign.remind(sent.remote_id)
    reminders = [m for m in outbox(sandbox.base_url, "esign") if m["subject"].startswith("Rappel")]
    assert [(m["to"], m["ref"]) for m in reminders] == [("lea.martin@example.fr", sent.remote_id)]
    act(sandbox, sent.remote_id, sent.signers[0].remote_id, "sign")
    with pytest.raises(Rejected) as caught:
        await esign.remind(sent.remote_id)
    assert caught.value.reason == "state"


async def test_changed_since_returns_only_what_changed(sandbox: ServedSandbox, esign: ESignClient) -> None:
    first = await esign.send(order("chrono-l1"))
    second = await esign.send(order("chrono-l2"))
    sandbox.ctx.clock.advance(days=1)
    since = sandbox.ctx.clock.now()
    act(sandbox, first.remote_id, first.signers[0].remote_id, "sign")
    changed = await esign.changed_since(since)
    assert [(r.remote_id, r.status, r.reference) for r in changed] == [
        (first.remote_id, SignatureStatus.SIGNED, "chrono-l1")
    ]
    everything = {r.remote_id for r in await esign.changed_since(None)}
    assert everything == {first.remote_id, second.remote_id}


async def test_changed_since_follows_the_cursor(esign: ESignClient) -> None:
    sent = {(await esign.send(order(f"chrono-p{i}"))).remote_id for i in range(5)}
    esign.page_size = 2
    listed = [r.remote_id for r in await esign.changed_since(None)]
    assert sorted(listed) == sorted(sent)


@pytest.fixture
def autopilot_sandbox() -> Iterator[ServedSandbox]:
    yield from serve_sandbox(autopilot=True)


async def test_autopilot_signs_within_its_delay(autopilot_sandbox: ServedSandbox) -> None:
    pilot = autopilot_sandbox.ctx.autopilot
    pilot.min_delay_s, pilot.max_delay_s, pilot.odds_sign = 30, 90, 1.0
    client = ESignClient(autopilot_sandbox.esign_url, esign_key(autopilot_sandbox.accounts), policy=FAST)
    sent = await client.send(order("chrono-auto"))
    assert (await client.status(sent.remote_id)).status is SignatureStatus.PENDING
    autopilot_sandbox.ctx.clock.advance(seconds=91)
    assert (await client.status(sent.remote_id)).status is SignatureStatus.SIGNED
    await client.aclose()


# ---- the sandbox keeps the contract (raw HTTP, no client) ----------------------------------------------------


def test_sandbox_error_shape_and_meta_checks(sandbox: ServedSandbox) -> None:
    key = esign_key(sandbox.accounts)
    with httpx.Client(base_url=sandbox.esign_url, headers={"X-Api-Key": key}, timeout=10) as http:
        no_meta = http.post("/v1/envelopes", files={"file": ("a.pdf", order().pdf, "application/pdf")})
        assert no_meta.status_code == 400
        assert no_meta.json() == {"error": "validation_error", "message": "Partie « meta » (JSON) absente.",
                                  "field": "meta"}  # fmt: skip
        meta = json.dumps({"title": "T", "signers": [], "colour": "red"})
        unknown = http.post("/v1/envelopes", files={"file": ("a.pdf", b"%PDF-1.4", "application/pdf")},
                            data={"meta": meta})  # fmt: skip
        assert unknown.json()["field"] == "colour"
        assert http.get("/v1/envelopes", params={"updated_since": "hier"}).json()["field"] == "updated_since"
        assert http.get("/v1/envelopes/none/document").status_code == 404
    anonymous = httpx.get(f"{sandbox.esign_url}/v1/account", timeout=10)
    assert anonymous.status_code == 401 and anonymous.json()["error"] == "unauthorized"


def test_sandbox_lists_by_status(sandbox: ServedSandbox) -> None:
    key = esign_key(sandbox.accounts)
    since = (sandbox.ctx.clock.now() - timedelta(minutes=1)).isoformat()
    with httpx.Client(base_url=sandbox.esign_url, headers={"X-Api-Key": key}, timeout=10) as http:
        meta = {"title": "T", "reference": "r1", "signers": [{"first_name": "A", "last_name": "B",
                "email": "a@example.fr", "boxes": [{"page": 1, "x": 10, "y": 10, "width": 100, "height": 40}]}]}  # fmt: skip
        created = http.post("/v1/envelopes", files={"file": ("a.pdf", order().pdf, "application/pdf")},
                            data={"meta": json.dumps(meta)})  # fmt: skip
        assert created.status_code == 201 and set(created.json()) == {"id", "status", "created_at", "signers"}
        assert http.get("/v1/envelopes", params={"status": "signed"}).json() == {"items": [], "next": None}
        listed = http.get("/v1/envelopes", params={"status": "sent", "updated_since": since}).json()
        assert [e["id"] for e in listed["items"]] == [created.json()["id"]]
