"""Following a file once sent (S9): cancel with a reason, remind now, reactivate an expired one, and say when
it expires.

Cancel and remind are batches (BatchProgressScreen, `Collector`): one reason and one note for the whole
selection, one result per file. Neither creates anything at the provider, so a re-run cannot duplicate: a
cancel whose answer was lost is refused the second time (the request is no longer ongoing) and the look-up
that follows any refusal or outage says where the request really stands — cancelled (done), or signed,
refused, expired meanwhile (the file is brought up to date as a sync would, and the result says why it was not
cancelled). A file never sent (« À envoyer », « En erreur ») is cancelled here only. YouSign's `canceled` is
final: the fiche says so, and only a new file can be sent. An expired YouSign request is reactivated with a
new date; ESign cannot (its client says so).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from lsc_tui.domain.messages import MessageKind
from lsc_tui.domain.models import SignatureRequest
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.providers.base import (
    CancelReason,
    ProviderError,
    Rejected,
    RemoteSignature,
    SignatureProvider,
    Unsupported,
)
from lsc_tui.services import deliveries, messages, signature_settings, signature_sync
from lsc_tui.services.batches import BatchReport, ItemResult, Progress, Tracker
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import EditConflict, ServiceError, ValidationFailed
from lsc_tui.store import ANY_REV, Conflict

CONCURRENCY = 8
LOCAL = {SignatureStatus.DRAFT, SignatureStatus.ERROR}
"""Never at the provider: cancelled here alone."""
FINAL_NOTE = (
    "Annulée : c'est définitif, la demande ne peut être ni relancée ni réactivée ; pour faire signer ce"
    " document, créez une nouvelle fiche."
)
MAX_DAYS = 365
CANCEL_REASONS: tuple[tuple[str, str], ...] = tuple((r.value, r.label) for r in CancelReason)
"""YouSign's reasons (§5.7) as the cancel dialog offers them, « Autre motif » last (the default)."""
PARIS = ZoneInfo("Europe/Paris")


def expiry_note(request: SignatureRequest, today: dt.date) -> str:
    """« expire dans 3 jours » for a file still waiting; "" otherwise."""
    if request.status is not SignatureStatus.PENDING or not request.expires_at:
        return ""
    try:
        left = (dt.date.fromisoformat(request.expires_at[:10]) - today).days
    except ValueError:
        return ""
    if left < 0:
        return "échéance dépassée : F5 pour l'état chez le prestataire"
    if left == 0:
        return "expire aujourd'hui"
    return f"expire dans {left} jour{'s' if left > 1 else ''}"


def cancellation_note(ctx: AppContext, request_ids: list[str]) -> str:
    """The note the cancel dialog proposes: the firm's cancellation message filled in for the file (for a
    selection, "" — each file then gets its own, filled in at sending)."""
    if len(request_ids) != 1:
        return ""
    return messages.message_for(ctx, MessageKind.CANCELLATION, ctx.repos.signatures.require(request_ids[0]))


@dataclass
class _Item:
    request: SignatureRequest
    client: SignatureProvider | None
    note: str = ""


def _load(ctx: AppContext, request_ids: list[str], note: str | None, wanted: set[SignatureStatus],
          tracker_refusals: list[ItemResult], why: Callable[[SignatureRequest], str]) -> list[_Item]:  # fmt: skip
    """The files to act on; the others go to `tracker_refusals` with the reason (`why`). `note` None: no
    cancellation note to fill in."""
    ctx.require_write()
    items: list[_Item] = []
    for request in ctx.repos.signatures.get_many(list(dict.fromkeys(request_ids))).values():
        if request.status not in wanted:
            tracker_refusals.append(ItemResult(request.id, request.title, False, why(request)))
            continue
        client = None if request.status in LOCAL else signature_settings.client_for(ctx, request.provider)
        if request.status not in LOCAL and (client is None or not request.remote_id):
            label = signature_settings.PROVIDERS.get(request.provider, request.provider)
            message = f"{label} n'est plus configuré : rétablissez sa clé dans Réglages signature."
            if not request.remote_id:
                message = "la fiche n'a pas d'identifiant chez le prestataire : F5 puis réessayez."
            tracker_refusals.append(ItemResult(request.id, request.title, False, message))
            continue
        text = (
            ""
            if note is None
            else note.strip() or messages.message_for(ctx, MessageKind.CANCELLATION, request)
        )
        items.append(_Item(request, client, text))
    return items


async def _run(items: list[_Item], refused: list[ItemResult], progress: Progress,
               act: Callable[[_Item], Awaitable[ItemResult]]) -> BatchReport:  # fmt: skip
    tracker = Tracker(progress, len(items) + len(refused))
    for result in refused:
        tracker.add(result)
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(item: _Item) -> None:
        async with gate:
            if tracker.cancelled:
                tracker.add(
                    ItemResult(item.request.id, item.request.title, False, "non traitée (arrêt demandé)")
                )
                return
            tracker.add(await act(item))

    await asyncio.gather(*(one(i) for i in items))
    return tracker.close()


# ---- cancel -----------------------------------------------------------------------------------------------


def _not_cancellable(request: SignatureRequest) -> str:
    if request.status is SignatureStatus.CANCELLED:
        return "déjà annulée"
    if request.status is SignatureStatus.SENDING:
        return "envoi en cours : attendez sa fin (ou relancez l'envoi), puis annulez"
    return f"« {request.status.label} » : plus rien à annuler"


async def cancel_requests(ctx: AppContext, request_ids: list[str], reason: CancelReason | str, note: str,
                          progress: Progress) -> BatchReport:  # fmt: skip
    """Cancel each file with one reason (YouSign's enum) and one note ("" : the firm's cancellation message,
    filled in for each file); one result per file."""
    reason = CancelReason(reason)
    if len(note.strip()) > 500:
        raise ValidationFailed({"note": "Note d'annulation : 500 caractères au plus."})
    refused: list[ItemResult] = []
    wanted = LOCAL | {SignatureStatus.PENDING}
    items = await asyncio.to_thread(_load, ctx, request_ids, note, wanted, refused, _not_cancellable)

    async def act(item: _Item) -> ItemResult:
        return await _cancel_one(ctx, item, reason)

    return await _run(items, refused, progress, act)


async def _cancel_one(ctx: AppContext, item: _Item, reason: CancelReason) -> ItemResult:
    request = item.request
    ok = ItemResult(request.id, request.title, True, SignatureStatus.CANCELLED.label)
    if item.client is None:
        await asyncio.to_thread(_write_cancelled, ctx, request, reason, item.note, "jamais envoyée")
        return ItemResult(request.id, request.title, True, "annulée (jamais envoyée au prestataire)")
    try:
        await item.client.cancel(request.remote_id, reason, item.note)
    except ProviderError as exc:  # refused (moved on meanwhile) or no answer: ask where it stands
        return await _after_refusal(ctx, item, reason, exc)
    await asyncio.to_thread(_write_cancelled, ctx, request, reason, item.note, request.remote_id)
    return ok


async def _after_refusal(
    ctx: AppContext, item: _Item, reason: CancelReason, error: ProviderError
) -> ItemResult:
    request, client = item.request, item.client
    assert client is not None
    try:
        remote = await client.status(request.remote_id)
    except ProviderError:
        return ItemResult(request.id, request.title, False, f"{error.message} Rien n'a changé : réessayez.")
    if remote.status is SignatureStatus.CANCELLED:
        await asyncio.to_thread(_write_cancelled, ctx, request, reason, item.note, request.remote_id)
        return ItemResult(request.id, request.title, True, SignatureStatus.CANCELLED.label)
    if remote.status is not SignatureStatus.PENDING:
        await signature_sync.apply_changes(ctx, request.provider, client, [remote])
        label = signature_settings.PROVIDERS.get(request.provider, request.provider)
        message = f"refusée par {label} : la demande est déjà « {remote.status.label} » ; fiche mise à jour"
        return ItemResult(request.id, request.title, False, message)
    detail = error.message if isinstance(error, Rejected) else f"{error.message} Rien n'a changé : réessayez."
    return ItemResult(request.id, request.title, False, detail)


def _write_cancelled(ctx: AppContext, request: SignatureRequest, reason: CancelReason, note: str,
                     detail: str) -> None:  # fmt: skip
    text = reason.label + (f" — {note.strip()}" if note.strip() else "")
    with ctx.write() as w:
        current = w.signatures.require(request.id)
        if current.status is SignatureStatus.CANCELLED:
            return
        w.signatures.set_status(request.id, SignatureStatus.CANCELLED, expect_rev=ANY_REV, reason=text[:600],
                                sending="")  # fmt: skip
        ctx.audit(w, "signature.annuler", w.signatures, request.id, f"{reason.value} {detail}".strip())


# ---- remind -------------------------------------------------------------------------------------------------


def _not_remindable(request: SignatureRequest) -> str:
    if request.status is SignatureStatus.CANCELLED:
        return "annulée : c'est définitif, il n'y a plus personne à relancer"
    if request.status is SignatureStatus.EXPIRED:
        return "expirée : réactivez-la d'abord (a, t)"
    return f"« {request.status.label} » : seule une fiche « Attente signature » se relance"


async def remind_requests(ctx: AppContext, request_ids: list[str], progress: Progress) -> BatchReport:
    """« Relancer maintenant »: the provider reminds the signers still waiting (YouSign: those `notified`)."""
    refused: list[ItemResult] = []
    pending = {SignatureStatus.PENDING}
    items = await asyncio.to_thread(_load, ctx, request_ids, None, pending, refused, _not_remindable)
    in_person = [i for i in items if i.request.in_person]
    items = [i for i in items if not i.request.in_person]
    refused += [ItemResult(i.request.id, i.request.title, False,
                           "signature en présentiel : pas d'email, relancez le signataire vous-même") for i in in_person]  # fmt: skip

    async def act(item: _Item) -> ItemResult:
        request, client = item.request, item.client
        assert client is not None
        try:
            reminded = await client.remind(request.remote_id)
        except Rejected as exc:
            message = exc.message
            if exc.reason == "state":
                message = "aucun signataire en attente d'invitation à relancer (déjà signé, ou F5)"
            return ItemResult(request.id, request.title, False, message)
        except ProviderError as exc:
            return ItemResult(request.id, request.title, False, f"{exc.message} Relancez plus tard.")
        count = await asyncio.to_thread(_write_reminded, ctx, request, reminded)
        return ItemResult(request.id, request.title, True, f"relance demandée ({count} signataire(s))")

    return await _run(items, refused, progress, act)


def _write_reminded(ctx: AppContext, request: SignatureRequest, reminded: tuple[str, ...]) -> int:
    with ctx.write() as w:
        current = w.signatures.require(request.id)
        count = deliveries.record_reminders(ctx, w, current, reminded)
        ctx.audit(w, "signature.relancer", w.signatures, request.id, f"{count} signataire(s)")
    return count


# ---- reactivate ---------------------------------------------------------------------------------------------


def reactivation_default(ctx: AppContext) -> str:
    """What the reactivation dialog proposes: 15 days from today (as a first sending)."""
    return (ctx.now().date() + dt.timedelta(days=15)).strftime("%d/%m/%Y")


def parse_until(ctx: AppContext, typed: str) -> dt.date:
    from lsc_tui.domain.identity import parse_day

    day = parse_day(typed)
    today = ctx.now().date()
    if day is None:
        raise ValidationFailed({"until": "Nouvelle échéance : JJ/MM/AAAA attendu."})
    if day <= today:
        raise ValidationFailed({"until": "La nouvelle échéance doit être après aujourd'hui."})
    if day > today + dt.timedelta(days=MAX_DAYS):
        raise ValidationFailed({"until": "La nouvelle échéance est à un an au plus."})
    return day


async def reactivate(
    ctx: AppContext, request_id: str, typed_until: str, *, expect_rev: int
) -> SignatureRequest:
    """An expired file starts again until the new date (YouSign `reactivate`); its signers are invited again."""
    request = await asyncio.to_thread(_reactivable, ctx, request_id, expect_rev)
    until = parse_until(ctx, typed_until)
    client = signature_settings.client_for(ctx, request.provider)
    if client is None:
        raise ServiceError("Le prestataire de cette fiche n'est plus configuré : rétablissez sa clé.")
    if "reactivate" not in client.capabilities:
        raise Unsupported(provider=request.provider, reason="reactivate",
                          message="ESign ne permet pas de réactiver une demande expirée : envoyez le document de nouveau.")  # fmt: skip
    remote = await client.reactivate(request.remote_id, until)
    return await asyncio.to_thread(_write_reactivated, ctx, request, until, remote)


def _reactivable(ctx: AppContext, request_id: str, expect_rev: int) -> SignatureRequest:
    ctx.require_write()
    request = ctx.repos.signatures.require(request_id)
    if request.rev != expect_rev:
        raise EditConflict("Cette fiche signature")
    if request.status is not SignatureStatus.EXPIRED:
        raise ServiceError(
            f"Seule une fiche « Expiré » se réactive ; celle-ci est « {request.status.label} »."
        )
    return request


def _write_reactivated(ctx: AppContext, request: SignatureRequest, until: dt.date,
                       remote: RemoteSignature) -> SignatureRequest:  # fmt: skip
    end = dt.datetime.combine(until, dt.time(23, 59), PARIS).isoformat(timespec="seconds")
    statuses = {s.remote_id: s.status for s in remote.signers}
    try:
        with ctx.write() as w:
            current = w.signatures.require(request.id)
            signers = tuple(s.evolve(status=statuses.get(s.remote_id, s.status)) for s in current.signers)
            saved = w.signatures.set_status(request.id, SignatureStatus.PENDING, expect_rev=ANY_REV,
                                            expires_at=end, reason="", signers=[s.to_record() for s in signers])  # fmt: skip
            deliveries.record_reinvitations(ctx, w, saved, remote)
            ctx.audit(w, "signature.reactiver", w.signatures, request.id, until.isoformat())
    except Conflict as exc:  # pragma: no cover - ANY_REV never conflicts
        raise EditConflict("Cette fiche signature") from exc
    return saved
