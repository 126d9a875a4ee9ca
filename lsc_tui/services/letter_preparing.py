"""Préparer (L3, L6): the selected events get a chrono, each recipient's letter is rendered to PDF (A4 only),
kept beside the store, and made ready at AR24 — then it waits in `to_valid` for the end-of-day OTP (F9).

The batch shape (STYLE.md): every letter is first written as SENDING with its reference (our idempotency key,
AR24's `ref_dossier`) in one transaction; then the PDF and the AR24 call; then one transaction with every
outcome. Cut anywhere (crash, network), a re-run finds its SENDING letters by event and recipient and finishes
them: in queue mode it looks the letter up at AR24 by reference before any new POST mail, so none is made
twice; in documented mode nothing is sent to a recipient before validation (an uploaded attachment costs
nothing), so re-uploading is harmless.
- documented (default): `POST attachment` now; the letter waits in our store (`to_valid`);
- queue (§15, eIDAS letters only): `POST attachment` + `POST mail` with `to_valid=1`;
- paper without AR24's paper extension: no call, the letter is *à imprimer* (F8 prints the batch).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from lsc_tui.documents.archive import store_file
from lsc_tui.domain.consents import ValidationMode
from lsc_tui.domain.letters import LetterKind, RegisteredLetter
from lsc_tui.domain.models import Party
from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.providers.ar24 import Ar24Client
from lsc_tui.providers.base import LetterOrder, ProviderError, ProviderUnavailable, Recipient
from lsc_tui.services import ar24_account, ar24_webhooks, chrono, consent_links, rendering
from lsc_tui.services.batches import BatchReport, ItemResult, Progress, Tracker
from lsc_tui.services.context import AppContext
from lsc_tui.services.letter_plan import PlannedLetter, SendOptions, build_plan

NO_ANSWER = "AR24 ne répond pas : relancez l'envoi, la lettre ne sera pas créée deux fois."
RENDERING = 4  # letters rendered at once (threads) while others are uploaded


@dataclass(frozen=True)
class Outcome:
    letter: RegisteredLetter
    status: LetterStatus
    changes: dict[str, object]
    result: ItemResult


def reference_for(chrono_number: str, party_id: str) -> str:
    """One letter per event and recipient: the chrono is unique per event, the party id within it."""
    return f"lsc-{chrono_number}-{party_id}"


def order_for(letter: RegisteredLetter, pdf: bytes = b"") -> LetterOrder:
    """What AR24 is told of a prepared letter (at validation the attachment is already uploaded)."""
    a = (*letter.recipient_address, "", "", "", "", "")[:5]
    recipient = Recipient(
        email=letter.recipient_email,
        first_name=letter.recipient_first_name,
        last_name=letter.recipient_last_name,
        company=letter.recipient_company,
        is_professional=letter.recipient_professional,
        address1=a[0],
        address2=a[1],
        zipcode=a[2],
        city=a[3],
        country=a[4] or "FR",
    )
    return LetterOrder(
        reference=letter.reference,
        kind=letter.kind.value,
        recipient=recipient,
        pdf=pdf,
        filename=f"{letter.chrono or 'lettre'}.pdf",
        subject=letter.subject,
        content=letter.content,
        payment_method_id=letter.payment_method_id or None,
        color=letter.color,
        duplex=letter.duplex,
    )


def _new_letter(ctx: AppContext, x: PlannedLetter, party: Party, chrono_number: str, sender_id: str,
                options: SendOptions, entity: tuple[str, str, str], subject: str) -> RegisteredLetter:  # fmt: skip
    entity_id, entity_name, payment = entity
    address = party.address
    return RegisteredLetter(
        event_id=x.event_id,
        entity_id=entity_id,
        party_id=party.id,
        kind=x.kind,
        created_at=ctx.now_iso(),
        created_by=ctx.user.login,
        status=LetterStatus.SENDING,
        recipient_name=party.display_name,
        recipient_email=x.email,
        recipient_first_name=party.first_name if not party.company_name else "",
        recipient_last_name=party.last_name if not party.company_name else "",
        recipient_company=party.company_name,
        recipient_professional=party.is_professional or bool(party.company_name),
        recipient_address=(address.line1, address.line2, address.zipcode, address.city, address.country),
        reference=reference_for(chrono_number, party.id),
        subject=subject,
        content=f"{subject} — {entity_name}".strip(" —"),
        entity_name=entity_name,
        chrono=chrono_number,
        color=options.color,
        duplex=options.duplex,
        sender_id=sender_id,
        payment_method_id=payment,
        stage="prepare",
        sending_since=ctx.now_iso(),
    )


def reserve(
    ctx: AppContext, event_ids: list[str], options: SendOptions, sender_id: str
) -> tuple[list[tuple[RegisteredLetter, bool]], list[ItemResult]]:
    """Check again, give chronos, and write every sendable letter as SENDING in one transaction. Returns
    (letter, resumed) pairs — resumed: a previous run wrote it and may have reached AR24 — and the refusals."""
    plan = build_plan(ctx, event_ids, options)
    refused = [
        ItemResult(f"{x.event_id}:{x.party_id}", x.party_name, False, "; ".join(x.problems))
        for x in plan.errors
    ]
    ready = plan.to_prepare
    if not ready:
        return [], refused
    out: list[tuple[RegisteredLetter, bool]] = []
    with ctx.write() as w:
        numbers = chrono.assign_in(w, ctx, list(dict.fromkeys(x.event_id for x in ready)))
        parties = w.parties.get_many([x.party_id for x in ready])
        events = w.events.get_many(list(numbers))
        entities = w.entities.get_many(list({e.entity_id for e in events.values()}))
        current = {(x.event_id, x.party_id): x for x in w.letters.for_events(list(numbers))}
        for x in ready:
            event = events[x.event_id]
            found = current.get((x.event_id, x.party_id))
            if found is not None and found.status is LetterStatus.SENDING:
                out.append((found, True))
                continue
            ent = entities.get(event.entity_id)
            info = (
                event.entity_id,
                ent.name if ent else event.entity_name,
                ent.payment_method_id if ent else "",
            )
            fresh = _new_letter(
                ctx, x, parties[x.party_id], numbers[x.event_id], sender_id, options, info, event.title
            )
            if found is not None:  # a draft or an error of an earlier try: same record, fresh facts
                check = fresh.evolve(id=found.id, rev=found.rev, reference=found.reference or fresh.reference)
                letter = w.letters.set_status(
                    found.id, LetterStatus.SENDING, expect_rev=found.rev, **_fields(check)
                )
            else:
                letter = w.letters.insert(fresh)
            ctx.audit(w, "lettre.preparer", w.letters, letter.id, letter.reference)
            out.append((letter, False))
    return out, refused


def _fields(letter: RegisteredLetter) -> dict[str, object]:
    record = letter.to_record()
    for key in ("id", "status"):
        record.pop(key, None)
    return record


def render(
    ctx: AppContext, letter: RegisteredLetter, consent_link: str = ""
) -> tuple[bytes, str, str, int] | str:
    """(pdf, stored path, sha256, pages) of one recipient's letter, or why it cannot go (a French line).
    `consent_link`: this recipient's own AR24 consent link, for {AR24_LienConsentement}."""
    values = {consent_links.VARIABLE: consent_link} if consent_link else None
    rendered = rendering.render_event_pdf(
        ctx, letter.event_id, recipient_party_id=letter.party_id, values=values
    )
    if rendered.problems:
        return "; ".join(rendered.problems)
    wrong = [p for p in rendered.pdf.pages if not p.is_a4]
    if wrong:
        where = ", ".join(f"{p.source} page {p.number}" for p in wrong)
        return f"format autre que A4 refusé par AR24 : {where}"
    stored = store_file(ctx.data_dir, "letters", letter.reference, rendered.pdf.data)
    return rendered.pdf.data, stored.path, stored.sha256, len(rendered.pdf.pages)


@dataclass(frozen=True)
class Run:
    """What every letter of one preparing batch shares."""

    ar24: Ar24Client
    mode: ValidationMode
    gate: asyncio.Semaphore
    webhook: str | None = None
    """AR24's `webhook` parameter (ar24_webhooks.py), on the queue's POST mail."""
    links: consent_links.ConsentLinks | None = None
    """Each recipient's consent link, when the letter's text asks for it."""


async def _one(ctx: AppContext, run: Run, letter: RegisteredLetter, resumed: bool) -> Outcome:
    label = f"{letter.recipient_name} — {letter.chrono}"
    ar24 = run.ar24
    try:
        link = await run.links.for_letter(letter) if run.links is not None else ""
    except ProviderUnavailable:
        return Outcome(letter, LetterStatus.SENDING, {}, ItemResult(letter.id, label, False, NO_ANSWER))
    except ProviderError as exc:
        failed = {"error": exc.message, "stage": ""}
        return Outcome(letter, LetterStatus.ERROR, failed, ItemResult(letter.id, label, False, exc.message))
    async with run.gate:
        made = await asyncio.to_thread(render, ctx, letter, link)
    if isinstance(made, str):
        return Outcome(letter, LetterStatus.ERROR, {"error": made}, ItemResult(letter.id, label, False, made))
    pdf, path, digest, pages = made
    files: dict[str, object] = {"pdf_path": path, "pdf_sha256": digest, "pages": pages}
    if letter.kind is LetterKind.PAPER and not ar24.supports_paper:
        result = ItemResult(letter.id, label, True, "à imprimer (papier, sans l'extension AR24)")
        return Outcome(letter, LetterStatus.TO_PRINT, {**files, "stage": "", "error": ""}, result)
    try:
        attachment = await ar24.upload(letter.sender_id, f"{letter.chrono}.pdf", pdf)
        changes: dict[str, object] = {**files, "attachment_ids": [attachment], "stage": "", "error": ""}
        if run.mode is ValidationMode.QUEUE and letter.kind is LetterKind.EIDAS:
            remote = await ar24.send_once(
                letter.sender_id, order_for(letter, pdf), [attachment], queue=True, webhook=run.webhook,
                check_first=resumed, since=_since(letter),
            )  # fmt: skip
            changes["remote_id"] = remote.remote_id
    except ProviderUnavailable:
        return Outcome(letter, LetterStatus.SENDING, {}, ItemResult(letter.id, label, False, NO_ANSWER))
    except ProviderError as exc:
        failed = {"error": exc.message, "stage": ""}
        return Outcome(letter, LetterStatus.ERROR, failed, ItemResult(letter.id, label, False, exc.message))
    return Outcome(
        letter, LetterStatus.TO_VALID, changes, ItemResult(letter.id, label, True, "à valider (F9)")
    )


def _since(letter: RegisteredLetter) -> datetime | None:
    return datetime.fromisoformat(letter.sending_since) if letter.sending_since else None


def record(ctx: AppContext, outcomes: list[Outcome]) -> None:
    """Every outcome in one transaction; the events whose letters are all out are *Envoyé en AR*."""
    settled = [o for o in outcomes if o.status is not LetterStatus.SENDING]
    if not settled:
        return
    with ctx.write() as w:
        for o in settled:
            w.letters.set_status(o.letter.id, o.status, expect_rev=o.letter.rev, **o.changes)
            ctx.audit(w, "lettre.preparee", w.letters, o.letter.id, o.status.value)
        done = {o.letter.event_id for o in settled if o.status is not LetterStatus.ERROR}
        for event in w.events.get_many(list(done)).values():
            if event.state == "draft":
                w.events.set_state(event.id, "registered", expect_rev=event.rev)


async def prepare(
    ctx: AppContext, event_ids: list[str], options: SendOptions, progress: Progress
) -> BatchReport:
    """« Préparer »: one result per letter; letters land in `to_valid` (or *à imprimer*)."""
    ar24, acc = await ar24_account.sender(ctx)
    links = await consent_links.links_for(ctx, ar24, acc.remote_id, event_ids)  # before anything is written
    letters, refused = await asyncio.to_thread(reserve, ctx, event_ids, options, acc.remote_id)
    tracker = Tracker(progress, len(letters) + len(refused))
    for item in refused:
        tracker.add(item)
    webhook = await asyncio.to_thread(ar24_webhooks.callback_url, ctx)
    shared = Run(ar24, acc.mode, asyncio.Semaphore(RENDERING), webhook, links)
    outcomes: list[Outcome] = []

    async def one(letter: RegisteredLetter, resumed: bool) -> None:
        if tracker.cancelled:
            return
        outcome = await _one(ctx, shared, letter, resumed)
        outcomes.append(outcome)
        tracker.add(outcome.result)

    try:
        await asyncio.gather(*(one(letter, resumed) for letter, resumed in letters))
    finally:
        await asyncio.to_thread(record, ctx, outcomes)
    return tracker.close()
