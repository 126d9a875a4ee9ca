"""« Rapport des envois » (O3): every invitation, reminder and confirmation — to whom, when, through which
provider — and what the provider reported of it, never more (domain/deliveries.py).

Rows are written where the messages are asked for, in the same transaction: the send (one invitation per
signer, with what the provider's answer says), a reminder (one per signer reminded), a signed file (the
document the provider emails to each signer). The provider's notifications then confirm or contradict them
(`apply_event`, called by the webhook receiver in the transaction that records the event): the oldest
unconfirmed message of that signer takes the news; one the provider sent on its own (an automatic reminder)
gets its own row. A webhook may come before the send's own write: the send then adds no second invitation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from lsc_tui.domain.deliveries import AUTO, OUTCOME_HELP, kind_label, outcome_label, requester_label
from lsc_tui.domain.models import SignatureRequest, Signer
from lsc_tui.providers.base import RemoteSignature
from lsc_tui.services import exports
from lsc_tui.services.context import AppContext
from lsc_tui.services.listing import Row, RowView
from lsc_tui.store import ANY_REV
from lsc_tui.store.repositories import Repos
from lsc_tui.store.repositories.deliveries import Delivery
from lsc_tui.store.repositories.webhook_events import ReceivedEvent

PROVIDERS = {"yousign": "YouSign", "esign": "ESign"}
HEADER = ("Demandé le", "Type", "Destinataire", "Email", "Prestataire", "Résultat", "Résultat le", "Source",
          "Demandé par", "Fiche signature")  # fmt: skip
SENT_AT_SEND = "YouSign : signataire « notified » dans sa réponse à l'envoi"
IN_PERSON = "signature en présentiel : lien montré à l'écran, aucun email"
ESIGN_SILENT = "ESign ne rend pas compte de ses emails"
ON_REACTIVATION = "nouvelle invitation après réactivation"
REMINDER_ASKED = "relance acceptée par le prestataire, envoi pas encore confirmé"
ESIGN_REMINDER = "ESign relance les signataires en attente sans dire lesquels"
SIGNED_COPY = "le prestataire envoie le document signé à chaque signataire sans le confirmer"


def recipient(signer: Signer) -> str:
    return f"{signer.first_name} {signer.last_name.upper()}".strip() or signer.email


def _row(ctx: AppContext, request: SignatureRequest, signer: Signer, kind: str, *, signer_id: str = "",
         outcome: str = "pending", source: str = "", by: str = "", at: str = "", confirmed: bool = False) -> Delivery:  # fmt: skip
    now = ctx.now_iso()
    return Delivery(
        request_id=request.id,
        provider=request.provider,
        kind=kind,
        recipient=recipient(signer),
        email=signer.email,
        requested_at=now,
        requested_by=by or ctx.user.login,
        signer_id=signer_id or signer.remote_id,
        title=request.title,
        outcome=outcome,
        outcome_at=(at or now) if outcome in {"sent", "failed", "none"} else "",
        source=source,
        confirmed=confirmed,
    )


# ---- written with the messages ------------------------------------------------------------------------------


def record_invitations(ctx: AppContext, w: Repos, request: SignatureRequest, remote: RemoteSignature) -> None:
    """At sending, one invitation per signer (none twice: a webhook may have written it first)."""
    existing = {d.signer_id for d in w.deliveries.for_request(request.id) if d.kind == "invitation"}
    for index, signer in enumerate(request.signers):
        answer = remote.signers[index] if index < len(remote.signers) else None
        signer_id = answer.remote_id if answer is not None else signer.remote_id
        if signer_id and signer_id in existing:
            continue
        if request.in_person:
            outcome, source = "none", IN_PERSON
        elif request.provider == "esign":
            outcome, source = "unknown", ESIGN_SILENT
        elif answer is not None and answer.status == "notified":
            outcome, source = "sent", SENT_AT_SEND
        else:
            outcome, source = "pending", ""
        w.deliveries.insert(_row(ctx, request, signer, "invitation", signer_id=signer_id, outcome=outcome,
                                 source=source))  # fmt: skip


def record_reinvitations(
    ctx: AppContext, w: Repos, request: SignatureRequest, remote: RemoteSignature
) -> None:
    """A reactivated request invites again the signers who had not signed (YouSign notifies them anew)."""
    waiting = {s.remote_id for s in remote.signers if s.status == "notified"}
    for signer in request.signers:
        if signer.remote_id in waiting:
            w.deliveries.insert(_row(ctx, request, signer, "invitation", source=ON_REACTIVATION))


def record_reminders(ctx: AppContext, w: Repos, request: SignatureRequest, reminded: tuple[str, ...]) -> int:
    """One reminder per signer the provider reminded; ESign does not say whom: every signer still waiting."""
    count = 0
    for signer in request.signers:
        if reminded and signer.remote_id in reminded:
            w.deliveries.insert(_row(ctx, request, signer, "reminder", source=REMINDER_ASKED))
        elif not reminded and signer.status not in {"signed", "declined"}:
            w.deliveries.insert(
                _row(ctx, request, signer, "reminder", outcome="unknown", source=ESIGN_REMINDER)
            )
        else:
            continue
        count += 1
    return count


def record_confirmations(ctx: AppContext, w: Repos, request: SignatureRequest) -> None:
    """A signed file: the provider emails the signed document to each signer, and never says it did."""
    if any(d.kind == "confirmation" for d in w.deliveries.for_request(request.id)):
        return
    outcome, source = ("none", IN_PERSON) if request.in_person else ("unknown", SIGNED_COPY)
    for signer in request.signers:
        w.deliveries.insert(
            _row(ctx, request, signer, "confirmation", outcome=outcome, source=source, by=AUTO)
        )


# ---- the provider's notifications ---------------------------------------------------------------------------


def apply_event(ctx: AppContext, w: Repos, request: SignatureRequest, event: ReceivedEvent) -> str:
    """What a YouSign email notification says of this file's messages; returns what it did, in French."""
    at = event.occurred_at or ctx.now_iso()
    rows = w.deliveries.for_request(request.id)
    mine = [d for d in rows if not event.signer_id or d.signer_id == event.signer_id]
    open_rows = [d for d in mine if not d.confirmed]
    if event.name == "signer.notification_delivery_failed":
        target = next((d for d in reversed(mine) if d.outcome in {"pending", "sent"}), None)
        if target is None:
            return _new(ctx, w, request, event, "invitation", "failed", at)
        _confirm(w, target, "failed", at, f"notification {event.name}")
        return f"email non remis ({kind_label(target.kind).lower()})"
    kind = "invitation" if event.name == "signer.notified" else "reminder"
    waiting = [d for d in open_rows if d.kind == kind]
    if kind == "invitation" and any(d.outcome == "none" for d in waiting):
        return "lien prêt (présentiel)"
    if not waiting:
        return _new(ctx, w, request, event, kind, "none" if request.in_person else "sent", at)
    targets = waiting if not event.signer_id else waiting[:1]
    for target in targets:
        if target.outcome != "failed":
            _confirm(w, target, "sent", at, f"notification {event.name}")
    return f"{kind_label(kind).lower()} envoyée"


def _confirm(w: Repos, target: Delivery, outcome: str, at: str, source: str) -> None:
    changes = {"outcome": outcome, "outcome_at": at, "source": source, "confirmed": True}
    w.deliveries.change(target.id, changes, expect_rev=ANY_REV)


def _new(ctx: AppContext, w: Repos, request: SignatureRequest, event: ReceivedEvent, kind: str, outcome: str,
         at: str) -> str:  # fmt: skip
    """A message the provider sent on its own (an automatic reminder, an invitation after reactivation)."""
    if event.signer_id:
        signers = [s for s in request.signers if s.remote_id == event.signer_id][:1]
    else:  # the event names no signer: those still waiting
        signers = [s for s in request.signers if s.status not in {"signed", "declined"}]
    for signer in signers:
        w.deliveries.insert(_row(ctx, request, signer, kind, signer_id=signer.remote_id, outcome=outcome,
                                 source=f"notification {event.name}", by=AUTO, at=at, confirmed=True))  # fmt: skip
    label = "relance automatique" if kind == "reminder" else kind_label(kind).lower()
    return f"{label} {outcome_label(outcome).lower()}"


# ---- the report ---------------------------------------------------------------------------------------------


def _when(iso: str) -> str:
    try:
        return dt.datetime.fromisoformat(iso).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return iso[:16]


def _cells(d: Delivery) -> tuple[str, ...]:
    who = f"{d.recipient} <{d.email}>" if d.email else d.recipient
    return (_when(d.requested_at), kind_label(d.kind), who, PROVIDERS.get(d.provider, d.provider),
            outcome_label(d.outcome), d.title)  # fmt: skip


def _where(outcome: str | None, request_id: str | None) -> dict[str, Any] | None:
    where: dict[str, Any] = {}
    if outcome:
        where["outcome"] = outcome
    if request_id:
        where["request_id"] = request_id
    return where or None


def rows(ctx: AppContext, outcome: str | None = None, request_id: str | None = None) -> RowView:
    repo = ctx.repos.deliveries

    def make(record: dict[str, Any]) -> Row:
        d = repo.model(record)
        return Row(d.id, _cells(d), "", "warning" if d.outcome == "failed" else "")

    return RowView(repo.listing(_where(outcome, request_id)), make)


def get(ctx: AppContext, delivery_id: str) -> Delivery:
    return ctx.repos.deliveries.require(delivery_id)


def explain(d: Delivery) -> str:
    """The detail line of one message: what the provider said, and when."""
    said = d.source or OUTCOME_HELP.get(d.outcome, "")
    when = f" le {_when(d.outcome_at)}" if d.outcome_at else ""
    return f"{outcome_label(d.outcome)}{when} — {said} · demandé par {requester_label(d.requested_by)}"


def counts(ctx: AppContext) -> dict[str, int]:
    return ctx.repos.deliveries.counts_by_outcome()


def _lines(ctx: AppContext, outcome: str | None, request_id: str | None) -> Iterator[tuple[object, ...]]:
    repo = ctx.repos.deliveries
    listing = repo.listing(_where(outcome, request_id))
    for start in range(0, len(listing), 500):
        for record in listing.window(start, start + 500):
            d = repo.model(record)
            yield (_when(d.requested_at), kind_label(d.kind), d.recipient, d.email,
                   PROVIDERS.get(d.provider, d.provider), outcome_label(d.outcome), _when(d.outcome_at) if d.outcome_at else "",
                   d.source, requester_label(d.requested_by), d.title)  # fmt: skip


def export_csv(ctx: AppContext, outcome: str | None, request_id: str | None, path: str, *,
               overwrite: bool = False) -> exports.Export:  # fmt: skip
    return exports.write_csv(path, HEADER, _lines(ctx, outcome, request_id), overwrite=overwrite)
