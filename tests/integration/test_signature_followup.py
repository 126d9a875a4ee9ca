"""Following sent files (S9) against the sandbox over real HTTP: a bulk cancel with one reason where YouSign
refuses one file (signed meanwhile), a draft cancelled here only, reminders now and automatic ones on the
virtual clock, expiry then reactivation with a new date, and the firm's invitation message as
`email_custom_note` when a file has none of its own."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from lsc_tui.domain.messages import MessageKind
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.providers.base import CancelReason, Unsupported
from lsc_tui.services import messages, signature_followup, signature_prepare, signature_sync
from lsc_tui.services.batches import Collector
from lsc_tui.services.errors import ServiceError, ValidationFailed
from tests.conftest import ServedSandbox
from tests.integration.followup_kit import remote, run, send, sign_all
from tests.integration.signature_flow_kit import make_events, wired, yousign_requests
from tests.integration.signature_kit import control, outbox


def test_bulk_cancel_one_reason_provider_refuses_one_file(tmp_path: Path, sandbox: ServedSandbox) -> None:
    ctx = wired(tmp_path, sandbox)
    ids = send(ctx, 3)
    sign_all(sandbox, remote(ctx, sandbox, ids[1]))  # signed before the cancel: YouSign will refuse it

    collector = Collector()
    report = asyncio.run(
        run(ctx, signature_followup.cancel_requests, ids, CancelReason.ERRORS, "", collector)
    )

    assert report.total == 3 and len(report.results) == 3
    by_id = {r.key: r for r in report.results}
    assert by_id[ids[0]].ok and by_id[ids[2]].ok
    refused = by_id[ids[1]]
    assert not refused.ok and "déjà « Signé »" in refused.message
    files = ctx.repos.signatures.get_many(ids)
    assert (
        files[ids[1]].status is SignatureStatus.SIGNED and files[ids[1]].signed_pdf_path
    )  # brought up to date
    for i in (ids[0], ids[2]):
        assert files[i].status is SignatureStatus.CANCELLED
        assert files[i].reason.startswith("Erreurs dans le document — ")
        sr = remote(ctx, sandbox, i)
        assert sr["status"] == "canceled" and sr["_cancel"]["reason"] == "errors_in_document"
        # one note for the selection: the firm's cancellation message, filled in for each file
        assert sr["_cancel"]["custom_note"] == messages.message_for(ctx, MessageKind.CANCELLATION, files[i])
        assert files[i].title in sr["_cancel"]["custom_note"]
    actions = [e.action for e in ctx.repos.audit.for_record(ids[0])]
    assert "signature.annuler" in actions

    again = asyncio.run(
        run(ctx, signature_followup.cancel_requests, ids, CancelReason.OTHER, "", Collector())
    )
    assert [r.message for r in again.results if r.key == ids[0]] == ["déjà annulée"]  # final: nothing re-sent


def test_a_typed_note_goes_to_every_file_and_a_draft_is_cancelled_here(
    tmp_path: Path, sandbox: ServedSandbox
) -> None:
    ctx = wired(tmp_path, sandbox)
    sent = send(ctx, 1)
    [draft] = signature_prepare.expedite(ctx, make_events(ctx, 1)).ids
    note = "Le bail est remplacé par une nouvelle version."
    report = asyncio.run(
        run(ctx, signature_followup.cancel_requests, [*sent, draft], "other", note, Collector())
    )
    assert report.all_ok
    assert remote(ctx, sandbox, sent[0])["_cancel"]["custom_note"] == note
    cancelled = ctx.repos.signatures.require(draft)
    assert cancelled.status is SignatureStatus.CANCELLED and not cancelled.remote_id
    assert len(yousign_requests(sandbox)) == 1  # the draft never reached YouSign
    with pytest.raises(ValidationFailed):
        asyncio.run(run(ctx, signature_followup.cancel_requests, sent, "other", "x" * 501, Collector()))


def test_remind_now_only_notified_signers_and_automatic_reminders(
    tmp_path: Path, sandbox: ServedSandbox
) -> None:
    ctx = wired(tmp_path, sandbox)
    [first, second] = send(ctx, 2, reminder_interval=2, reminder_count=3)
    sr = remote(ctx, sandbox, first)
    assert sr["reminder_settings"] == {"interval_in_days": 2, "max_occurrences": 3}
    assert ctx.repos.signatures.require(first).reminder_interval == 2

    early, late = sr["signers"]
    control(sandbox.base_url, f"/yousign/_sandbox/signature_requests/{sr['id']}/signers/{early['id']}/sign")
    report = asyncio.run(run(ctx, signature_followup.remind_requests, [first], Collector()))
    assert report.all_ok and "(1 signataire" in report.results[0].message  # only the one still notified
    reminders = [m for m in outbox(sandbox.base_url, "yousign") if m["subject"].startswith("Rappel")]
    signer_email = next(s["info"]["email"] for s in sandbox.ctx.providers["yousign"].requests[sr["id"]]["signers"]
                        if s["id"] == late["id"])  # fmt: skip
    assert [m["to"] for m in reminders] == [signer_email] and "rappel automatique" not in reminders[0]["body"]
    rows = [d for d in ctx.repos.deliveries.for_request(first) if d.kind == "reminder"]
    assert [(d.email, d.outcome, d.requested_by) for d in rows] == [(signer_email, "pending", "claire")]

    sandbox.ctx.clock.advance(days=2, seconds=60)
    control(sandbox.base_url, "/yousign/_sandbox/clock")  # the fake applies what is due
    automatic = [m for m in outbox(sandbox.base_url, "yousign") if "rappel automatique" in m["body"]]
    assert (
        len(automatic) == 3
    )  # every signer still waiting, every 2 days: 1 on the first file, 2 on the second

    sign_all(sandbox, remote(ctx, sandbox, second))
    refused = asyncio.run(run(ctx, signature_followup.remind_requests, [second], Collector()))
    assert not refused.results[0].ok and "aucun signataire" in refused.results[0].message


def test_expiry_then_reactivation_with_a_new_date(tmp_path: Path, sandbox: ServedSandbox) -> None:
    ctx = wired(tmp_path, sandbox)
    [request_id] = send(ctx, 1)
    request = ctx.repos.signatures.require(request_id)
    today = ctx.now().date()
    left = (dt.date.fromisoformat(request.expires_at[:10]) - today).days
    assert signature_followup.expiry_note(request, today) == f"expire dans {left} jours"

    sandbox.ctx.clock.advance(days=16)
    control(sandbox.base_url, "/yousign/_sandbox/clock")
    asyncio.run(run(ctx, signature_sync.sync))
    expired = ctx.repos.signatures.require(request_id)
    assert expired.status is SignatureStatus.EXPIRED

    with pytest.raises(ValidationFailed):
        asyncio.run(run(ctx, signature_followup.reactivate, request_id, "01/01/2020", expect_rev=expired.rev))
    until = (today + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    saved = asyncio.run(run(ctx, signature_followup.reactivate, request_id, until, expect_rev=expired.rev))
    assert saved.status is SignatureStatus.PENDING
    assert saved.expires_at[:10] == (today + dt.timedelta(days=30)).isoformat()
    sr = remote(ctx, sandbox, request_id)
    assert (
        sr["status"] == "ongoing"
        and sr["expiration_date"][:10] >= (today + dt.timedelta(days=29)).isoformat()
    )
    assert [d.source for d in ctx.repos.deliveries.for_request(request_id)][-1].startswith(
        "nouvelle invitation"
    )
    with pytest.raises(ServiceError):  # only an expired file is reactivated
        asyncio.run(run(ctx, signature_followup.reactivate, request_id, until, expect_rev=saved.rev))


def test_esign_cannot_reactivate(tmp_path: Path, sandbox: ServedSandbox) -> None:
    ctx = wired(tmp_path, sandbox, provider="esign")
    [request_id] = send(ctx, 1, skip_sms=True)  # ESign has no email code for the manager without a mobile
    with ctx.write() as w:  # as a sync would after the deadline
        current = w.signatures.require(request_id)
        w.signatures.set_status(request_id, SignatureStatus.EXPIRED, expect_rev=current.rev)
    expired = ctx.repos.signatures.require(request_id)
    until = (ctx.now().date() + dt.timedelta(days=20)).strftime("%d/%m/%Y")
    with pytest.raises(Unsupported):
        asyncio.run(run(ctx, signature_followup.reactivate, request_id, until, expect_rev=expired.rev))


def test_the_invitation_message_goes_with_a_file_without_its_own_note(
    tmp_path: Path, sandbox: ServedSandbox
) -> None:
    ctx = wired(tmp_path, sandbox)
    [request_id] = send(ctx, 1)
    request = ctx.repos.signatures.require(request_id)
    assert not request.note
    expected = messages.message_for(ctx, MessageKind.INVITATION, request)  # the deadline it was sent with
    assert remote(ctx, sandbox, request_id)["email_custom_note"] == expected
    assert request.title in expected and "avant le 8 décembre 2026" in expected
