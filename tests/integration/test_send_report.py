"""« Rapport des envois » (O3) with the webhook receiver served over real HTTP and the sandbox calling it as
YouSign does: an invitation confirmed by `signer.notified`, one to a mailbox that bounces reported « Échec »
(`signer.notification_delivery_failed`), a reminder « Non confirmé » until `reminder_executed` names it, the
signed document's emails « Inconnu » (YouSign never reports them); ESign's invitations « Inconnu »; the CSV."""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from lsc_tui.services import deliveries, signature_followup, signature_prepare, signature_send
from lsc_tui.services.batches import Collector
from lsc_tui.store.repositories.deliveries import Delivery
from tests.conftest import ServedSandbox
from tests.integration.signature_flow_kit import make_events
from tests.integration.test_signature_webhooks import Hooked, one_sent, serve, sign_all


@pytest.fixture
def hooked(tmp_path: Path, sandbox: ServedSandbox) -> Iterator[Hooked]:
    yield from serve(tmp_path, sandbox, "yousign")


@pytest.fixture
def esign(tmp_path: Path, sandbox: ServedSandbox) -> Iterator[Hooked]:
    yield from serve(tmp_path, sandbox, "esign")


def outcomes(hooked: Hooked, request_id: str) -> list[tuple[str, str]]:
    return [(d.kind, d.outcome) for d in hooked.ctx.repos.deliveries.for_request(request_id)]


def to_tenant(hooked: Hooked, request_id: str) -> list[Delivery]:
    """The lease's tenant's messages (the manager signs too, and gets hers)."""
    return [d for d in hooked.ctx.repos.deliveries.for_request(request_id) if d.email.startswith("alex")]


async def test_what_yousign_reports_and_nothing_more(hooked: Hooked, tmp_path: Path) -> None:
    ctx = hooked.ctx
    good = await one_sent(hooked)
    [invitation] = to_tenant(hooked, good)
    assert (invitation.kind, invitation.outcome, invitation.confirmed) == ("invitation", "sent", True)
    assert invitation.source == "notification signer.notified" and invitation.email.endswith("@exemple.fr")

    [event_id] = make_events(ctx, 1)
    event = ctx.repos.events.require(event_id)
    party = ctx.repos.parties.require(event.parties[0].party_id)
    with ctx.write() as w:
        w.parties.change(party.id, {"email": "alex@bounce.exemple.fr"}, expect_rev=party.rev)
    ids = signature_prepare.expedite(ctx, [event_id]).ids
    assert (await signature_send.send_requests(ctx, ids, Collector())).all_ok
    await asyncio.to_thread(hooked.settle)
    [bounced] = to_tenant(hooked, ids[0])
    assert (bounced.outcome, bounced.email) == ("failed", "alex@bounce.exemple.fr")
    assert "notification_delivery_failed" in bounced.source

    assert (await signature_followup.remind_requests(ctx, [good], Collector())).all_ok
    reminder = ctx.repos.deliveries.for_request(good)[-1]
    assert (reminder.kind, reminder.outcome) == ("reminder", "pending")  # asked, not yet reported
    await asyncio.to_thread(hooked.settle)
    reminder = ctx.repos.deliveries.require(reminder.id)
    assert (reminder.outcome, reminder.source) == ("sent", "notification signature_request.reminder_executed")

    sign_all(hooked, good)
    await asyncio.to_thread(hooked.settle)
    tenant = [(d.kind, d.outcome) for d in to_tenant(hooked, good)]
    assert tenant == [("invitation", "sent"), ("reminder", "sent"), ("confirmation", "unknown")]
    assert sorted(outcomes(hooked, good)) == sorted(2 * tenant)  # the manager's are alike
    counts = deliveries.counts(ctx)
    assert counts["failed"] == 1 and counts["unknown"] == 2 and "pending" not in counts

    failed = deliveries.rows(ctx, "failed")
    assert len(failed) == 1 and failed[0].cells[4] == "Échec"
    export = deliveries.export_csv(ctx, None, good, str(tmp_path / "envois.csv"))
    with open(export.path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert rows[0] == list(deliveries.HEADER) and len(rows) == 7
    assert sorted(r[5] for r in rows[1:]) == ["Envoyé"] * 4 + ["Inconnu"] * 2


async def test_esign_never_says_so_the_report_says_unknown(esign: Hooked) -> None:
    ctx = esign.ctx
    lease = next(t for t in ctx.repos.templates.all() if t.name == "Bail d'habitation — locataire seul")
    with ctx.write() as w:  # ESign has no email code for the manager without a mobile
        w.templates.change(lease.id, {"skip_sms": True}, expect_rev=lease.rev)
    request_id = await one_sent(esign)
    [invitation] = to_tenant(esign, request_id)
    assert (invitation.outcome, invitation.source) == ("unknown", deliveries.ESIGN_SILENT)
    assert "ne rend pas compte" in deliveries.explain(invitation)
