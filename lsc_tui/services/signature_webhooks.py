"""Webhooks first (S7): a provider's notification checked, recorded once, and applied like a sync's change.

`receive` runs when the request arrives, before the provider gets its answer: the signature is checked on the
raw bytes (HMAC-SHA256 with the webhook secret, constant-time compare, providers/webhooks.py) — a bad one
answers 401 and changes nothing; the event is written in the table of events received, under its id, so a
replay answers 200 and changes nothing; YouSign wants its answer within a second, so the change itself is
applied right after, in batches (`apply_received`), by the same code as a sync (signature_sync.apply_changes),
the event being marked applied in the transaction that changes the file. An event for a request we do not hold
is acknowledged and kept with the outcome « demande inconnue »: a provider retrying it for days helps nobody.
"""

from __future__ import annotations

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
    parse_webhook,
    verify_webhook,
)
from lsc_tui.services import signature_settings
from lsc_tui.services.context import AppContext
from lsc_tui.services.signature_sync import Change, OnCommit, SyncReport, apply_changes
from lsc_tui.store import ANY_REV
from lsc_tui.store.repositories import Repos
from lsc_tui.store.repositories.webhook_events import APPLIED, ReceivedEvent

HEADERS = {"yousign": YOUSIGN_HEADER, "esign": ESIGN_HEADER}
UNKNOWN = "demande inconnue"


@dataclass(frozen=True)
class Receipt:
    """What to answer the provider, and the event to apply (None: nothing to apply)."""

    status: int
    message: str
    event: ReceivedEvent | None = None


def secret(ctx: AppContext, provider: str) -> str:
    return str(secrets_for(ctx.data_dir).effective().get(provider, {}).get("webhook_secret") or "")


def receive(ctx: AppContext, provider: str, raw_body: bytes, signature: str | None) -> Receipt:
    """Check and record one notification of YouSign or ESign (not AR24, whose callbacks carry no signature)."""
    key = secret(ctx, provider)
    if provider not in HEADERS:
        return Receipt(404, "Prestataire inconnu.")
    if not key:
        return Receipt(401, "Aucun secret de webhook configuré (Réglages signature) : notification refusée.")
    if not verify_webhook(raw_body, signature, key):
        return Receipt(401, "Signature de la notification invalide : rien n'a été changé.")
    try:
        parsed = parse_webhook(provider, raw_body)
    except InvalidWebhook as exc:
        return Receipt(400, exc.message)
    now = ctx.now_iso()
    if isinstance(parsed, IgnoredEvent):
        event = ReceivedEvent(
            provider, parsed.event_id, parsed.name, now, state=APPLIED, outcome="sans effet"
        )
    else:
        event = ReceivedEvent(
            provider, parsed.event_id, parsed.name, now, parsed.remote_id, parsed.reference,
            parsed.status.value, parsed.reason,
        )  # fmt: skip
    with ctx.write() as w:
        if not w.webhook_events.receive(event):
            return Receipt(200, "Notification déjà reçue : rien n'a changé.")
    if event.state == APPLIED:
        return Receipt(200, "Notification reçue (sans effet sur les fiches).")
    return Receipt(200, "Notification reçue.", event)


def waiting(ctx: AppContext) -> list[ReceivedEvent]:
    """Events received but not applied (the receiver stopped, or a PDF could not be downloaded)."""
    return ctx.repos.webhook_events.waiting()


async def apply_received(ctx: AppContext, events: Sequence[ReceivedEvent]) -> SyncReport:
    """Apply a batch of received events, provider by provider; each is marked applied with the change."""
    report = SyncReport()
    by_provider: dict[str, list[ReceivedEvent]] = defaultdict(list)
    for event in events:
        by_provider[event.provider].append(event)
    for provider, batch in by_provider.items():
        client = signature_settings.client_for(ctx, provider)
        if client is None:
            report.errors.append(f"{provider} : aucune clé d'API, {len(batch)} notification(s) en attente.")
            continue
        remotes = [
            RemoteSignature(e.remote_id, SignatureStatus(e.status), reference=e.reference, reason=e.reason)
            for e in batch
        ]
        part = await apply_changes(ctx, provider, client, remotes, on_commit=_marker(batch))
        report.changes += part.changes
        report.unknown += part.unknown
        report.errors += part.errors
    return report


def _marker(batch: Sequence[ReceivedEvent]) -> OnCommit:
    def mark(w: Repos, changes: list[Change], failed: set[str]) -> None:
        done = {c.request_id for c in changes}
        for event in batch:
            if event.remote_id in failed:
                continue  # stays received: applied again later
            request = w.signatures.by_remote_id(event.remote_id) or (
                w.signatures.by_reference(event.reference) if event.reference else None
            )
            if request is None:
                outcome = UNKNOWN
            elif request.id in done:
                outcome = f"{request.status.label} ({request.title})"
            else:
                outcome = "déjà à jour"
            key = ReceivedEvent.key(event.provider, event.event_id)
            w.webhook_events.mark_applied(key, outcome, expect_rev=ANY_REV)

    return mark
