"""Webhooks first (S7): a provider's notification checked, and applied once, like a sync's change.

`check` runs when the request arrives: the signature is checked on the raw bytes (HMAC-SHA256 with the webhook
secret, constant-time compare, providers/webhooks.py) — a bad one answers 401 and changes nothing — and an
event already applied answers 200 and changes nothing. YouSign wants its answer within a second and delivers
one event after the other, so the answer does not wait for the store: the events are applied in batches
(`apply_received`) by the same code as a sync (signature_sync.apply_changes), each written in the table of
events received in the transaction that changes the file. An event acknowledged and lost with a crashed
receiver loses no change: the file is still pending here, and the next sync (F5, `lsc-tui sync`) asks for it.
An event for a request we do not hold is acknowledged and kept as « demande inconnue »: a provider retrying
it for days helps nobody.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from lsc_tui.config import secrets_for
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.providers.base import RemoteSignature
from lsc_tui.providers.webhooks import (
    ESIGN_HEADER,
    YOUSIGN_HEADER,
    IgnoredEvent,
    InvalidWebhook,
    MessageEvent,
    parse_webhook,
    verify_webhook,
)
from lsc_tui.services import deliveries, signature_settings
from lsc_tui.services.context import AppContext
from lsc_tui.services.signature_sync import Change, OnCommit, SyncReport, apply_changes
from lsc_tui.store.repositories import Repos
from lsc_tui.store.repositories.webhook_events import ReceivedEvent

HEADERS = {"yousign": YOUSIGN_HEADER, "esign": ESIGN_HEADER}
UNKNOWN = "demande inconnue"
IGNORED = "sans effet"
ALREADY = "Notification déjà reçue : rien n'a changé."


@dataclass(frozen=True)
class Receipt:
    """What to answer the provider, and the event to apply (None: nothing to do)."""

    status: int
    message: str
    event: ReceivedEvent | None = None


def secret(ctx: AppContext, provider: str) -> str:
    return str(secrets_for(ctx.data_dir).effective().get(provider, {}).get("webhook_secret") or "")


def check(ctx: AppContext, provider: str, raw_body: bytes, signature: str | None) -> Receipt:
    """Check one notification of YouSign or ESign (AR24's callbacks carry no signature: webhook_server)."""
    if provider not in HEADERS:
        return Receipt(404, "Prestataire inconnu.")
    key = secret(ctx, provider)
    if not key:
        return Receipt(401, "Aucun secret de webhook configuré (Réglages signature) : notification refusée.")
    if not verify_webhook(raw_body, signature, key):
        return Receipt(401, "Signature de la notification invalide : rien n'a été changé.")
    try:
        parsed = parse_webhook(provider, raw_body)
    except InvalidWebhook as exc:
        return Receipt(400, exc.message)
    if ctx.repos.webhook_events.seen(provider, parsed.event_id):
        return Receipt(200, ALREADY)
    now = ctx.now_iso()
    if isinstance(parsed, IgnoredEvent):
        event = ReceivedEvent(provider, parsed.event_id, parsed.name, now, outcome=IGNORED)
    elif isinstance(parsed, MessageEvent):  # an email to a signer (O3): for the « Rapport des envois »
        occurred = parsed.occurred_at.isoformat(timespec="seconds") if parsed.occurred_at else ""
        event = ReceivedEvent(
            provider, parsed.event_id, parsed.name, now, parsed.remote_id, parsed.reference,
            signer_id=parsed.signer_id, occurred_at=occurred,
        )  # fmt: skip
    else:
        event = ReceivedEvent(
            provider, parsed.event_id, parsed.name, now, parsed.remote_id, parsed.reference,
            parsed.status.value, parsed.reason,
        )  # fmt: skip
    return Receipt(200, "Notification reçue.", event)


async def apply_received(
    ctx: AppContext, events: Sequence[ReceivedEvent]
) -> tuple[SyncReport, list[ReceivedEvent]]:
    """Apply a batch of checked events, provider by provider, each written with what it did in the same
    transaction. Returns the report and the events left to try again (their signed PDF was not received)."""
    report = SyncReport()
    later: list[ReceivedEvent] = []
    by_provider: dict[str, list[ReceivedEvent]] = defaultdict(list)
    for event in events:
        by_provider[event.provider].append(event)
    for provider, batch in by_provider.items():
        client = signature_settings.client_for(ctx, provider)
        if client is None:
            report.errors.append(f"{provider} : aucune clé d'API, {len(batch)} notification(s) en attente.")
            later += batch
            continue
        remotes = [
            RemoteSignature(e.remote_id, SignatureStatus(e.status), reference=e.reference, reason=e.reason)
            for e in batch
            if e.status
        ]
        part = await apply_changes(ctx, provider, client, remotes, on_commit=_recorder(ctx, batch, later))
        report.changes += part.changes
        report.unknown += part.unknown
        report.errors += part.errors
    return report, later


def _recorder(ctx: AppContext, batch: Sequence[ReceivedEvent], later: list[ReceivedEvent]) -> OnCommit:
    def record(w: Repos, changes: list[Change], failed: set[str]) -> None:
        done = {c.request_id for c in changes}
        by_id = w.signatures.by_remote_ids({e.remote_id for e in batch if e.remote_id})
        by_reference = w.signatures.by_references({e.reference for e in batch if e.reference})
        for event in batch:
            if event.remote_id and event.remote_id in failed:
                later.append(event)  # not written: applied again later, or by the next sync
                continue
            request = by_id.get(event.remote_id) or by_reference.get(event.reference)
            if event.outcome:
                outcome = event.outcome
            elif request is None:
                outcome = UNKNOWN
            elif not event.status:  # an email to a signer: the send report takes it (O3)
                outcome = deliveries.apply_event(ctx, w, w.signatures.require(request.id), event)
            elif request.id in done:
                outcome = f"{request.status.label} ({request.title})"
            else:
                outcome = "déjà à jour"
            w.webhook_events.receive(dataclasses.replace(event, outcome=outcome))

    return record
