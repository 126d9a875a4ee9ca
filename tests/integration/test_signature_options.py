"""What the signature workflow (issue #9) asks of the clients beyond sending: the template's options on the
request (SMS check or not, a note for the signers, automatic reminders, an end date), cancel with a reason,
reactivate an expired request — and a send that survives a timeout without making a second request."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.providers.base import CancelReason, Rejected, ReminderSettings, Unsupported
from lsc_tui.providers.esign import ESignClient
from lsc_tui.providers.yousign import YouSignClient
from lsc_tui.sandbox.core import FaultSpec
from tests.conftest import ServedSandbox
from tests.integration.signature_kit import FAST, control, esign_key, order, signer, yousign_key

CREATE = "POST /yousign/v3/signature_requests"


def yousign(sandbox: ServedSandbox, **kw: object) -> YouSignClient:
    kw.setdefault("policy", FAST)
    return YouSignClient(sandbox.yousign_url, yousign_key(sandbox.accounts), **kw)  # type: ignore[arg-type]


def requests_for(sandbox: ServedSandbox, reference: str) -> list[dict]:
    return [sr for sr in sandbox.ctx.providers["yousign"].requests.values() if sr["external_id"] == reference]


async def test_the_templates_options_reach_the_request(sandbox: ServedSandbox) -> None:
    client = yousign(sandbox)
    until = sandbox.ctx.clock.now().date() + timedelta(days=30)
    try:
        await client.send(order("opt-1", signer(phone=None), sms_check=False, email_note="Merci de signer le bail.",
                                reminders=ReminderSettings(2, 5), expires_on=until))  # fmt: skip
        await client.send(order("opt-2"))  # the SMS check, the default
    finally:
        await client.aclose()
    [first], [second] = requests_for(sandbox, "opt-1"), requests_for(sandbox, "opt-2")
    assert first["signers"][0]["signature_authentication_mode"] == "otp_email"
    assert second["signers"][0]["signature_authentication_mode"] == "otp_sms"
    assert first["email_custom_note"] == "Merci de signer le bail."
    assert first["reminder_settings"] == {"interval_in_days": 2, "max_occurrences": 5}
    assert (
        first["expiration_date"].startswith(until.isoformat()) or first["expiration_date"] > until.isoformat()
    )
    invitation = next(m for m in sandbox.ctx.outbox.messages if m.ref == first["id"])
    assert "Merci de signer le bail." in invitation.body


@pytest.mark.parametrize(
    ("changes", "reason"),
    [({"reminders": ReminderSettings(3, 5)}, "reminders"), ({"reminders": ReminderSettings(7, 11)}, "reminders"),
     ({"email_note": "x" * 501}, "note")],
)  # fmt: skip
async def test_options_yousign_would_refuse_are_refused_before_any_call(
    sandbox: ServedSandbox, changes: dict, reason: str
) -> None:
    client = yousign(sandbox)
    try:
        with pytest.raises(Rejected) as caught:
            await client.send(order("opt-bad", **changes))
    finally:
        await client.aclose()
    assert caught.value.reason == reason and caught.value.message
    assert sandbox.ctx.calls[CREATE] == 0


async def test_cancel_with_yousigns_reason_and_a_note(sandbox: ServedSandbox) -> None:
    client = yousign(sandbox)
    esign = ESignClient(sandbox.esign_url, esign_key(sandbox.accounts), policy=FAST)
    try:
        sent = await client.send(order("cancel-1"))
        cancelled = await client.cancel(sent.remote_id, CancelReason.ERRORS, "Le loyer est faux.")
        envelope = await esign.send(order("cancel-2"))
        withdrawn = await esign.cancel(envelope.remote_id, CancelReason.ABORTED)
    finally:
        await client.aclose()
        await esign.aclose()
    assert cancelled.status is SignatureStatus.CANCELLED
    note = sandbox.ctx.providers["yousign"].requests[sent.remote_id]["_cancel"]
    assert (note["reason"], note["custom_note"]) == ("errors_in_document", "Le loyer est faux.")
    assert (
        withdrawn.status is SignatureStatus.CANCELLED and withdrawn.reason == "Contractualisation abandonnée"
    )


async def test_an_expired_request_is_reactivated(sandbox: ServedSandbox) -> None:
    client = yousign(sandbox)
    esign = ESignClient(sandbox.esign_url, esign_key(sandbox.accounts), policy=FAST)
    try:
        sent = await client.send(order("again-1"))
        control(sandbox.base_url, f"/yousign/_sandbox/signature_requests/{sent.remote_id}/expire")
        assert (await client.status(sent.remote_id)).status is SignatureStatus.EXPIRED
        until = sandbox.ctx.clock.now().date() + timedelta(days=10)
        again = await client.reactivate(sent.remote_id, until)
        assert again.status is SignatureStatus.PENDING
        with pytest.raises(Rejected) as caught:  # only an expired request can be reactivated
            await client.reactivate(sent.remote_id, until)
        assert caught.value.reason == "state"
        with pytest.raises(Unsupported):
            await esign.reactivate("any", until)
    finally:
        await client.aclose()
        await esign.aclose()
    links = [m for m in sandbox.ctx.outbox.messages if m.ref == sent.remote_id and m.channel == "email"]
    assert len(links) == 2  # the signer got a new link


@pytest.mark.parametrize("step", ["/yousign/v3/signature_requests", "activate"])
async def test_a_timed_out_send_finds_its_request_again(sandbox: ServedSandbox, step: str) -> None:
    """The provider acted but answered after the client gave up: the next attempt finds the request by
    external_id (a draft is discarded and remade, an active one is the answer) — one request, never two."""
    requests = sandbox.ctx.providers["yousign"].requests
    aim = {"paths": (step,)} if step.startswith("/") else {"suffixes": ("/activate",)}
    late = FaultSpec(rates={"late": 1.0}, timeout_s=1.0, methods=("POST",), limit=1, **aim)  # type: ignore[arg-type]
    sandbox.ctx.faults = late
    client = yousign(sandbox, timeout=0.3)
    try:
        sent = await client.send(order("late-1"))
    finally:
        await client.aclose()
    assert [kind for kind, _, _ in late.log] == ["late"]
    [only] = [sr for sr in requests.values() if sr["external_id"] == "late-1" and sr["status"] != "deleted"]
    assert (only["id"], only["status"]) == (sent.remote_id, "ongoing")
