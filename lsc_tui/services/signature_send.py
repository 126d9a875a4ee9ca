"""« Envoyer » (S5): signature files to the provider, one result per file, resumable without a duplicate.

The batch shape of STYLE.md: every file that passes the pre-flight is written « Envoi en cours » with its
reference in one transaction before any call; the calls go out a few at a time; each outcome is written as it
comes (outcomes arriving together share one transaction, so 200 files do not cost 400 commits). The provider's
request carries our reference (YouSign `external_id`, ESign `reference`) and the clients look it up before
creating anything, so a file left « Envoi en cours » by a crash, a timeout or a lost answer is simply sent
again: the provider hands back the first request. A refusal is definite (« En erreur », with the provider's
reason); a quota or a refused key created nothing (back to « À envoyer »); an outage may hide a request the
provider made, so the file stays « Envoi en cours » and the message says to run the batch again.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from lsc_tui.documents.archive import read_file
from lsc_tui.domain.errors import ExplainedError
from lsc_tui.domain.messages import MessageKind
from lsc_tui.domain.models import SignatureRequest, Signer
from lsc_tui.domain.preflight import Problem, check_request, phone_to_send
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.providers.base import (
    AuthError,
    Box,
    ProviderError,
    RateLimited,
    Rejected,
    ReminderSettings,
    RemoteSignature,
    SignatureOrder,
    SignatureProvider,
    SignerSpec,
)
from lsc_tui.services import deliveries, messages, signature_settings
from lsc_tui.services.batches import BatchReport, ItemResult, Progress, Tracker
from lsc_tui.services.context import AppContext
from lsc_tui.store import ANY_REV
from lsc_tui.store.repositories import Repos

CONCURRENCY = 16
"""Files in flight at once (each is several calls for YouSign); the client bounds its own requests too. At 8 the
answers of a round waited on this process's CPU: 200 files took 3.6 s against 2.7 s at 16 (bench/)."""
EXPIRES_IN_DAYS = 15
SENDABLE = {SignatureStatus.DRAFT, SignatureStatus.SENDING, SignatureStatus.ERROR}
ALREADY = {SignatureStatus.PENDING, SignatureStatus.SIGNED}
"""Sent by an earlier run of the batch: reported done, not sent again."""
AGAIN = "relancez l'envoi : la demande ne sera pas créée deux fois."
SENDING_GRACE = 180.0
"""Seconds during which a file another batch is sending is left to it (then a new batch takes it over)."""
FLUSH_EVERY = 0.25
"""Seconds between two commits of outcomes (those arriving meanwhile share the next one)."""


@dataclass(frozen=True)
class Checked:
    """A file and what stops it (empty: it can go)."""

    request: SignatureRequest
    problems: tuple[Problem, ...]


def preflight(ctx: AppContext, request_ids: Iterable[str]) -> list[Checked]:
    """Every file with its problems, for the error recap (files that are not « À envoyer » say so)."""
    provider = signature_settings.provider_name(ctx)
    found = ctx.repos.signatures.get_many(list(request_ids))
    return [_check(found[i], provider) for i in request_ids if i in found]


def _check(request: SignatureRequest, provider: str) -> Checked:
    if request.status not in SENDABLE:
        message = f"Cette fiche est « {request.status.label} » : il n'y a rien à envoyer."
        return Checked(request, (Problem(message, None, "status"),))
    name = request.provider if request.status is SignatureStatus.SENDING else provider
    return Checked(request, tuple(check_request(request, provider=name, pages=request.pages)))


@dataclass
class _Item:
    request: SignatureRequest
    order: SignatureOrder
    client: SignatureProvider
    remote: RemoteSignature | None = None
    status: SignatureStatus = SignatureStatus.SENDING
    message: str = ""


@dataclass
class _Start:
    items: list[_Item] = field(default_factory=list)
    refused: list[ItemResult] = field(default_factory=list)
    """Results known before any call: refused by the pre-flight, or already sent."""


OnSent = Callable[[str, RemoteSignature], None]


async def send_requests(
    ctx: AppContext, request_ids: list[str], progress: Progress, *, on_sent: OnSent | None = None
) -> BatchReport:
    """Send the files (a batch service: BatchProgressScreen and `Collector` drive it). `on_sent(request id,
    provider's answer)` hears each answer as it comes: a signature in person shows its links from there
    (they are never written)."""
    start = await asyncio.to_thread(_start, ctx, list(dict.fromkeys(request_ids)))
    tracker = Tracker(progress, len(start.items) + len(start.refused))
    for result in start.refused:
        tracker.add(result)
    writer = _Writer(ctx, tracker)
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(item: _Item) -> None:
        async with gate:  # a stop request is seen before the next file starts; those in flight finish
            if tracker.cancelled:
                item.status = SignatureStatus.DRAFT
                item.message = "non envoyée (arrêt demandé)"
            else:
                await _send(item)
                if item.remote is not None and on_sent is not None:
                    on_sent(item.request.id, item.remote)
        writer.done(item)

    try:
        async with asyncio.TaskGroup() as group:
            flushing = group.create_task(writer.run())
            async with asyncio.TaskGroup() as sending:
                for item in start.items:
                    sending.create_task(one(item))
            writer.close()
            await flushing
    except ExceptionGroup as failed:  # the store broke: what was sent stays « Envoi en cours », resumable
        raise _first(failed) from None
    return tracker.close()


def _start(ctx: AppContext, request_ids: list[str]) -> _Start:
    """Check each file and mark those that can go « Envoi en cours », in one transaction."""
    provider, client = signature_settings.active(ctx)
    out = _Start()
    pdfs: dict[str, bytes] = {}
    notes: dict[str, str] = {}  # no note of its own: the firm's invitation message (O5), read before the lock
    for request in ctx.repos.signatures.get_many(request_ids).values():
        try:
            pdfs[request.id] = read_file(ctx.data_dir, request.pdf_path, sha256=request.pdf_sha256)
        except ExplainedError as exc:
            out.refused.append(ItemResult(request.id, request.title, False, exc.message))
            continue
        if request.status not in ALREADY and not request.note:
            deadline = request.expires_at or (ctx.now() + timedelta(days=EXPIRES_IN_DAYS)).isoformat()
            notes[request.id] = messages.message_for(
                ctx, MessageKind.INVITATION, request.evolve(expires_at=deadline)
            )
    with ctx.write() as w:
        for request_id in request_ids:
            request = w.signatures.get(request_id)
            if request is None or request_id not in pdfs:
                continue
            if request.status in ALREADY:
                message = f"déjà envoyée ({request.status.label})"
                out.refused.append(ItemResult(request.id, request.title, True, message))
                continue
            checked = _check(request, provider)
            if checked.problems:
                out.refused.append(_refusal(request, checked.problems))
                continue
            if busy := _sent_elsewhere(ctx, request):
                out.refused.append(ItemResult(request.id, request.title, False, busy))
                continue
            name = request.provider if request.status is SignatureStatus.SENDING else provider
            target = signature_settings.client_for(ctx, name) if name != provider else client
            if target is None:
                message = (
                    f"Envoyée à {name} qui n'est plus configuré : rétablissez sa clé dans Réglages signature."
                )
                out.refused.append(ItemResult(request.id, request.title, False, message))
                continue
            marked = w.signatures.set_status(
                request.id,
                SignatureStatus.SENDING,
                expect_rev=request.rev,
                provider=name,
                reason="",
                sending=f"{_me(ctx)} {ctx.now_iso()}",
            )
            ctx.audit(w, "signature.envoi", w.signatures, request.id, request.reference)
            note = marked.note or notes.get(request.id, "")
            order = order_for(marked, pdfs[request.id], target, first_attempt=not request.sending, note=note)
            out.items.append(_Item(marked, order, target))
    return out


def _me(ctx: AppContext) -> str:
    return f"{ctx.user.login} {os.getpid()}"


def _sent_elsewhere(ctx: AppContext, request: SignatureRequest) -> str:
    """Why this file must not be sent now: another batch (another person, another process) is sending it and
    started less than `SENDING_GRACE` ago. "" when it may go (a batch that died long ago is taken over)."""
    if request.status is not SignatureStatus.SENDING or not request.sending:
        return ""
    login, pid, since = [*request.sending.split(" "), "", ""][:3]
    if f"{login} {pid}" == _me(ctx):
        return ""
    try:
        age = (ctx.now() - datetime.fromisoformat(since)).total_seconds()
    except ValueError:
        return ""
    if age >= SENDING_GRACE:
        return ""
    return (
        f"envoi en cours par {login} depuis {max(0, round(age))} s : rien n'a été fait ; relancez dans quelques"
        " minutes si la fiche reste « Envoi en cours »."
    )


def _refusal(request: SignatureRequest, problems: tuple[Problem, ...]) -> ItemResult:
    more = f" (et {len(problems) - 1} autre(s) problème(s))" if len(problems) > 1 else ""
    return ItemResult(request.id, request.title, False, problems[0].message + more)


def order_for(
    request: SignatureRequest,
    pdf: bytes,
    client: SignatureProvider,
    *,
    first_attempt: bool = False,
    note: str | None = None,
) -> SignatureOrder:
    """What the provider gets for one file; a file with a deadline keeps it (a re-sent file, the demo's).
    `first_attempt`: never sent before, so the provider need not be asked whether it already has it. `note`:
    the message to the signers (default: the file's own); automatic reminders where the provider has them."""
    sms = not request.skip_sms
    signers = tuple(_spec(s, sms) for s in request.signers)
    text = request.note if note is None else note
    reminders = ReminderSettings(request.reminder_interval, request.reminder_count)
    wants_reminders = request.reminder_interval > 0 and not request.in_person
    return SignatureOrder(
        reference=request.reference,
        title=request.title,
        pdf=pdf,
        filename=f"{request.reference}.pdf",
        signers=signers,
        sms_check=sms,
        expires_in_days=EXPIRES_IN_DAYS,
        expires_on=_deadline(request),
        email_note=text.strip()[:500] if "email_note" in client.capabilities else "",
        reminders=reminders if wants_reminders and "reminders" in client.capabilities else None,
        delivery_mode="none" if request.in_person else "email",
        first_attempt=first_attempt,
    )


def _spec(signer: Signer, sms: bool) -> SignerSpec:
    phone = phone_to_send(signer, sms=sms)
    return SignerSpec(
        first_name=signer.first_name.strip(),
        last_name=signer.last_name.strip(),
        email=signer.email.strip(),
        phone=phone,
        boxes=tuple(Box(p.page, p.x, p.y, p.width, p.height) for p in signer.placements),
        email_code=sms
        and phone is None,  # the manager without a mobile: the pre-flight let only them through
    )


def _deadline(request: SignatureRequest) -> date | None:
    """The file's own deadline when it has one still ahead (the provider refuses a past date)."""
    if not request.expires_at:
        return None
    day = date.fromisoformat(request.expires_at[:10])
    return day if day > date.today() else None


async def _send(item: _Item) -> None:
    try:
        item.remote = await item.client.send(item.order)
        item.status = SignatureStatus.PENDING
    except Rejected as exc:
        item.status, item.message = SignatureStatus.ERROR, exc.message
    except (AuthError, RateLimited) as exc:  # nothing was made at the provider
        item.status, item.message = SignatureStatus.DRAFT, f"{exc.message} Rien n'a été envoyé."
    except ProviderError as exc:  # an outage may hide a request the provider made: the reference finds it
        item.status, item.message = SignatureStatus.SENDING, f"{exc.message} Fiche en attente : {AGAIN}"


def _first(group: BaseExceptionGroup) -> BaseException:  # type: ignore[type-arg]
    error = group.exceptions[0]
    return _first(error) if isinstance(error, BaseExceptionGroup) else error


class _Writer:
    """Writes outcomes beside the sending, in as few transactions as the store's pace allows (those that arrive
    while a commit is under way share the next one), then reports them: a file is « ok » once written."""

    def __init__(self, ctx: AppContext, tracker: Tracker) -> None:
        self.ctx = ctx
        self.tracker = tracker
        self.pending: list[_Item] = []
        self.wake = asyncio.Event()
        self.closed = False

    def done(self, item: _Item) -> None:
        self.pending.append(item)
        self.wake.set()

    def close(self) -> None:
        self.closed = True
        self.wake.set()

    async def run(self) -> None:
        while True:
            await self.wake.wait()
            self.wake.clear()
            while self.pending:
                started = time.monotonic()
                batch, self.pending = self.pending, []
                await asyncio.to_thread(_write, self.ctx, batch)
                for written in batch:
                    ok = written.status is SignatureStatus.PENDING
                    text = SignatureStatus.PENDING.label if ok else written.message
                    self.tracker.add(ItemResult(written.request.id, written.request.title, ok, text))
                if not self.closed:  # a commit costs the store's lock and the sending's CPU: a few a second
                    await asyncio.sleep(max(0.0, FLUSH_EVERY - (time.monotonic() - started)))
            if self.closed:
                return


def _write(ctx: AppContext, batch: list[_Item]) -> None:
    with ctx.write() as w:
        for item in batch:
            current = w.signatures.require(item.request.id)
            if item.remote is not None:
                _record_sent(ctx, w, current, item.remote)
            elif current.status is SignatureStatus.SENDING:
                w.signatures.set_status(current.id, item.status, expect_rev=current.rev, reason=item.message)
                ctx.audit(w, "signature.echec", w.signatures, current.id, item.status.value)


def _record_sent(ctx: AppContext, w: Repos, current: SignatureRequest, remote: RemoteSignature) -> None:
    """PENDING with the provider's ids; a webhook may have got there first (then only the ids are added).
    The provider lists the signers in the order they were sent, which is the file's order."""
    now = ctx.now()
    ids = list(remote.signers)
    signers = tuple(
        s.evolve(remote_id=ids[i].remote_id, status=ids[i].status) if i < len(ids) else s
        for i, s in enumerate(current.signers)
    )
    fields = {
        "remote_id": remote.remote_id,
        "signers": [s.to_record() for s in signers],
        "sent_at": current.sent_at or now.isoformat(timespec="seconds"),
        "expires_at": current.expires_at
        or (now + timedelta(days=EXPIRES_IN_DAYS)).isoformat(timespec="seconds"),
        "reason": "",
    }
    if current.status is SignatureStatus.SENDING:
        saved = w.signatures.set_status(current.id, SignatureStatus.PENDING, expect_rev=ANY_REV, **fields)
    else:
        saved = w.signatures.change(
            current.id, {k: v for k, v in fields.items() if k != "reason"}, expect_rev=ANY_REV
        )
    deliveries.record_invitations(ctx, w, saved, remote)
    ctx.audit(w, "signature.envoyee", w.signatures, current.id, remote.remote_id)
