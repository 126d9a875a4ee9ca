"""Validation OTP en fin de journée (L8): every ticked letter of mine validated with ONE six-digit code.

One `user/auth_otp` with the typed code (a wrong or expired code: one French sentence, nothing written,
nothing sent), then, with the 1-hour hash:
- letters waiting in our store (documented mode, and every non-eIDAS letter): each is written SENDING with
  its reference *before* its `POST mail`, then sent by `send_once` (after a lost answer it looks the letter
  up by reference instead of sending again); a letter already SENDING from a cut run is looked up first;
- letters in AR24's queue (§15): `mail/validate` in chunks (safe to repeat).
A network failure midway: the letters that went are written as such, the others stay in F9 (SENDING ones
marked « à vérifier ») and a re-run finishes them without a duplicate. Nobody validates a colleague's letters.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from lsc_tui.domain.letters import CONSENT_UNKNOWN_TO_AR24, LetterKind, RegisteredLetter
from lsc_tui.domain.otp import InvalidOtp, parse_otp
from lsc_tui.domain.statuses import LETTER_TRANSITIONS, LetterStatus, check_letter_transition
from lsc_tui.providers.ar24 import Ar24Client
from lsc_tui.providers.base import (
    OtpSession,
    ProviderError,
    ProviderUnavailable,
    Rejected,
    RemoteLetter,
    ValidationResult,
)
from lsc_tui.services import ar24_account, ar24_webhooks
from lsc_tui.services.batches import BatchReport, ItemResult, Progress, Tracker
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import ServiceError
from lsc_tui.services.letter_plan import consent_here_only
from lsc_tui.services.letter_preparing import order_for

WRONG_CODE = "Code OTP incorrect ou expiré : rien n'a été validé. Saisissez le code affiché maintenant."
NO_ANSWER = (
    "AR24 ne répond pas : la lettre reste à valider, relancez la validation (elle ne partira pas deux fois)."
)
FLUSH_EVERY_S = 0.5  # outcomes are written at least this often during a long batch
AHEAD = frozenset(
    {LetterStatus.WAITING, LetterStatus.SENT, LetterStatus.AR, LetterStatus.REFUSED, LetterStatus.NEGLIGENCE}
) | {LetterStatus.BOUNCED}
"""Statuses AR24 gives once it has a letter: a callback may write one before the answer to our POST mail."""


@dataclass(frozen=True)
class PendingGroup:
    entity_id: str
    entity_name: str
    letters: tuple[RegisteredLetter, ...]
    held_back: frozenset[str] = frozenset()
    """Letters AR24 would refuse (a consent set by hand here): F9 shows why and leaves them unticked."""


def pending(ctx: AppContext) -> list[RegisteredLetter]:
    """My letters waiting for the OTP, and mine whose end-of-day send was cut (to finish), by entity."""
    repos = ctx.repos.letters
    mine = repos.pending_for(ctx.user.login) + repos.interrupted_for(ctx.user.login)
    return sorted(mine, key=lambda x: (x.entity_name or x.entity_id, x.created_at, x.id))


def pending_groups(ctx: AppContext) -> list[PendingGroup]:
    groups: dict[str, list[RegisteredLetter]] = {}
    for letter in pending(ctx):
        groups.setdefault(letter.entity_id, []).append(letter)
    names = {e.id: e.name for e in ctx.repos.entities.get_many(list(groups)).values()}
    held = held_back(ctx, [x for letters in groups.values() for x in letters])
    return [
        PendingGroup(
            eid,
            names.get(eid) or letters[0].entity_name or "(entité)",
            tuple(letters),
            frozenset(x.id for x in letters if x.id in held),
        )
        for eid, letters in groups.items()
    ]


def held_back(ctx: AppContext, letters: list[RegisteredLetter]) -> set[str]:
    """The letters whose recipient's consent was set by hand here, which AR24 does not know: it would refuse
    them (`consent_missing`), so they are not sent — the person sends the consent link or goes by paper."""
    needing = [
        x for x in letters
        if x.kind is LetterKind.SIMPLE or (x.kind is LetterKind.EIDAS and not x.recipient_professional)
    ]  # fmt: skip
    if not needing:
        return set()
    parties = ctx.repos.parties.get_many(list({x.party_id for x in needing}))
    return {x.id for x in needing if x.party_id in parties and consent_here_only(parties[x.party_id])}


def label_of(letter: RegisteredLetter) -> str:
    return f"{letter.recipient_name} — {letter.chrono or letter.subject}"


def _mine(ctx: AppContext, letter_ids: list[str]) -> tuple[list[RegisteredLetter], list[ItemResult]]:
    found = ctx.repos.letters.get_many(letter_ids)
    ok: list[RegisteredLetter] = []
    refused: list[ItemResult] = []
    held = held_back(ctx, list(found.values()))
    for lid in dict.fromkeys(letter_ids):
        letter = found.get(lid)
        if letter is None:
            refused.append(ItemResult(lid, lid, False, "cette lettre n'existe plus"))
        elif letter.created_by != ctx.user.login:
            refused.append(
                ItemResult(lid, label_of(letter), False, "lettre d'un autre utilisateur : non validée")
            )
        elif lid in held and letter.status is LetterStatus.TO_VALID:
            refused.append(ItemResult(lid, label_of(letter), False, CONSENT_UNKNOWN_TO_AR24))
        elif letter.status is LetterStatus.TO_VALID or (
            letter.status is LetterStatus.SENDING and letter.stage == "validate"
        ):
            ok.append(letter)
        else:
            refused.append(
                ItemResult(
                    lid, label_of(letter), False, f"n'attend plus de validation ({letter.status.label})"
                )
            )
    return ok, refused


def mark_sending(ctx: AppContext, letters: list[RegisteredLetter]) -> list[RegisteredLetter]:
    """Before any POST mail: each store-held letter is SENDING with its reference and the moment, in one
    transaction (a letter already SENDING keeps its moment: the look-up must reach back to the first try).
    One read of all, one write each, one audit line for the batch: 1,000 letters stay well under a second."""
    out: list[RegisteredLetter] = []
    now = ctx.now_iso()
    changes = {"status": LetterStatus.SENDING.value, "stage": "validate", "sending_since": now, "error": ""}
    with ctx.write() as w:
        current = w.letters.get_many([x.id for x in letters])
        moving: list[RegisteredLetter] = []
        for letter in letters:
            stored = current.get(letter.id, letter)
            if stored.status is LetterStatus.SENDING:
                out.append(stored)
                continue
            check_letter_transition(stored.status, LetterStatus.SENDING)
            moving.append(stored)
        revs = w.letters.change_many([(x.id, changes, x.rev) for x in moving])
        out += [
            x.evolve(
                status=LetterStatus.SENDING, stage="validate", sending_since=now, error="", rev=revs[x.id]
            )
            for x in moving
        ]
        if out:
            ctx.audit(w, "lettre.validation", w.letters, out[0].id, f"{len(out)} lettre(s) en cours d'envoi")
    return out


def remote_changes(remote: RemoteLetter) -> dict[str, object]:
    """What AR24 says of a letter, as fields of ours (dates in AR24's Paris wall time, as the lists show)."""
    out: dict[str, object] = {"remote_id": remote.remote_id, "error": ""}
    dates = {
        "deposit_date": remote.deposit_date or remote.created_at,
        "sending_date": remote.sending_date,
        "ar_date": remote.ar_date,
        "refused_date": remote.refused_date,
        "negligence_date": remote.negligence_date,
        "bounced_date": remote.bounced_date,
    }
    for key, value in dates.items():
        if value is not None:
            out[key] = value.isoformat(timespec="seconds")
    final = remote.ar_date or remote.refused_date or remote.negligence_date or remote.bounced_date
    if final is not None:
        out["final_date"] = final.isoformat(timespec="seconds")
    if remote.proof_urls:
        out["proofs"] = dict(remote.proof_urls)
    return out


@dataclass
class _Written:
    letter: RegisteredLetter
    status: LetterStatus
    changes: dict[str, object]


def write_outcomes(ctx: AppContext, outcomes: list[_Written]) -> None:
    """AR24's answers for a batch of letters: one read, one write each, one audit line per status."""
    if not outcomes:
        return
    with ctx.write() as w:
        current = w.letters.states([o.letter.id for o in outcomes])
        done: dict[LetterStatus, list[str]] = {}
        changes: list[tuple[str, dict[str, object], int]] = []
        for o in outcomes:
            if o.letter.id not in current:
                continue
            was, rev = current[o.letter.id]
            status = o.status
            if was is LetterStatus.TO_VALID and status not in LETTER_TRANSITIONS[was] | {was}:
                # AR24 took it further than `waiting` already (an AR before our answer): via `waiting`
                rev = w.letters.change(
                    o.letter.id, {"status": LetterStatus.WAITING.value}, expect_rev=rev
                ).rev
                was = LetterStatus.WAITING
            if was in AHEAD and status in AHEAD and status not in LETTER_TRANSITIONS[was]:
                status = was  # AR24's callback told us more already: keep it, add what we learnt
            check_letter_transition(was, status)
            changes.append((o.letter.id, {**o.changes, "status": status.value, "stage": ""}, rev))
            done.setdefault(status, []).append(o.letter.id)
        w.letters.change_many(changes)
        for status, ids in done.items():
            action = "lettre.refusee" if status is LetterStatus.TO_VALID else "lettre.validee"
            ctx.audit(
                w, action, w.letters, ids[0], f"{status.value} : {len(ids)} lettre(s) {' '.join(ids)}"[:2000]
            )


async def open_session(ar24: Ar24Client, sender_id: str, code: str) -> OtpSession:
    """One typed code → AR24's 1-hour hash; a wrong or expired code says so and nothing else happens."""
    try:
        return await ar24.auth_otp(sender_id, code)
    except Rejected as exc:
        if exc.reason.startswith("authentication_"):
            raise ServiceError(WRONG_CODE) from exc
        raise


@dataclass(frozen=True)
class Started:
    """An open OTP session and the letters it will validate (the code was right)."""

    ar24: Ar24Client
    sender_id: str
    session: OtpSession
    letters: tuple[RegisteredLetter, ...]
    refused: tuple[ItemResult, ...]
    webhook: str | None = None
    """AR24's `webhook` parameter on each POST mail (ar24_webhooks.py): where it tells us what happens next."""


async def start(ctx: AppContext, letter_ids: list[str], otp: str) -> Started:
    """Check the code with AR24 (one `user/auth_otp`). A wrong or expired code raises WRONG_CODE and
    nothing was written nor sent: F9 says so under the code field, ticks untouched."""
    try:
        code = parse_otp(otp)
    except InvalidOtp as exc:
        raise ServiceError(str(exc)) from exc
    ctx.require_write()
    if not letter_ids:
        raise ServiceError("Aucune lettre à valider : cochez vos lettres en attente (Espace).")
    # reading 1,000 letters back takes as long as AR24's answer to the code: both at once (the read writes
    # nothing, so a wrong code still leaves everything as it was)
    reading = asyncio.ensure_future(asyncio.to_thread(_mine, ctx, letter_ids))
    try:
        ar24, acc = await ar24_account.sender(ctx)
        session = await open_session(ar24, acc.remote_id, code)
    except BaseException:
        await asyncio.gather(reading, return_exceptions=True)
        raise
    letters, refused = await reading
    if not letters and refused:
        why = " ; ".join(f"{x.label} : {x.message}" for x in refused[:3])
        raise ServiceError(f"Aucune de ces lettres ne peut partir ({why}).")
    if not letters:
        raise ServiceError("Aucune lettre à valider : cochez vos lettres en attente (Espace).")
    webhook = await asyncio.to_thread(ar24_webhooks.callback_url, ctx)
    return Started(ar24, acc.remote_id, session, tuple(letters), tuple(refused), webhook)


async def validate(ctx: AppContext, letter_ids: list[str], otp: str, progress: Progress) -> BatchReport:
    """Validate my ticked letters with one code; one result per letter (headless commands, benches)."""
    return await run(ctx, await start(ctx, letter_ids, otp), progress)


async def run(ctx: AppContext, started: Started, progress: Progress) -> BatchReport:
    """The validation itself, with the session `start` opened; one result per letter."""
    ar24, session = started.ar24, started.session
    letters = list(started.letters)
    tracker = Tracker(progress, len(letters) + len(started.refused))
    for item in started.refused:
        tracker.add(item)
    queued = [x for x in letters if x.queued_at_ar24 and x.status is LetterStatus.TO_VALID]
    queued_ids = {x.id for x in queued}
    held = [x for x in letters if x.id not in queued_ids]
    resumed_ids = {x.id for x in held if x.status is LetterStatus.SENDING}  # a cut run may have sent these
    held = await asyncio.to_thread(mark_sending, ctx, held) if held else []
    pending_writes: list[_Written] = []
    last_flush = time.monotonic()
    writing = asyncio.Lock()  # one transaction at a time; a waiting flush takes all that piled up meanwhile

    async def flush(force: bool = False) -> None:
        nonlocal last_flush
        if not pending_writes or not (force or time.monotonic() - last_flush >= FLUSH_EVERY_S):
            return
        async with writing:
            if not pending_writes:
                return
            batch = list(pending_writes)
            pending_writes.clear()
            last_flush = time.monotonic()
            await asyncio.to_thread(write_outcomes, ctx, batch)

    async def send(letter: RegisteredLetter) -> None:
        if tracker.cancelled:
            return
        since = datetime.fromisoformat(letter.sending_since) if letter.sending_since else None
        try:
            remote = await ar24.send_once(
                letter.sender_id or started.sender_id, order_for(letter), list(letter.attachment_ids),
                auth_otp_hash=session.hash if letter.kind is LetterKind.EIDAS else None, webhook=started.webhook,
                check_first=letter.id in resumed_ids, since=since,
            )  # fmt: skip
        except ProviderUnavailable:
            tracker.add(ItemResult(letter.id, label_of(letter), False, NO_ANSWER))
            return
        except ProviderError as exc:
            pending_writes.append(_Written(letter, LetterStatus.TO_VALID, {"error": exc.message}))
            tracker.add(ItemResult(letter.id, label_of(letter), False, exc.message))
            return
        pending_writes.append(_Written(letter, _status(remote), remote_changes(remote)))
        tracker.add(ItemResult(letter.id, label_of(letter), True, f"validée ({_status(remote).label})"))
        await flush()

    try:
        await asyncio.gather(
            *(send(x) for x in held),
            _validate_queue(ar24, started.sender_id, queued, session, tracker, pending_writes, flush),
        )
    finally:
        await flush(force=True)
    return tracker.close()


def _status(remote: RemoteLetter) -> LetterStatus:
    return LetterStatus.WAITING if remote.status is LetterStatus.TO_VALID else remote.status


async def _validate_queue(
    ar24: Ar24Client, sender_id: str, letters: list[RegisteredLetter], session: OtpSession, tracker: Tracker,
    out: list[_Written], flush: Callable[[bool], Awaitable[None]],
) -> None:  # fmt: skip
    """Letters in AR24's own queue: `mail/validate` (chunks in parallel, safe to repeat). Answers are written
    every FLUSH_EVERY_S as they come, and the rest at the end: one transaction per chunk cost more CPU than the
    chunks' calls (the batch's client is CPU-bound at 1,000 letters), and a batch cut before its write loses
    nothing, since validating a letter again reports it validated."""
    if not letters or tracker.cancelled:
        return
    by_remote = {x.remote_id: x for x in letters}
    done: set[str] = set()

    def take(r: ValidationResult) -> None:
        letter = by_remote.get(r.remote_id)
        if letter is None or r.remote_id in done:
            return
        done.add(r.remote_id)
        if r.ok:
            status = r.status if r.status not in (None, LetterStatus.TO_VALID) else LetterStatus.WAITING
            out.append(_Written(letter, status, {"error": ""}))
            tracker.add(ItemResult(letter.id, label_of(letter), True, f"validée ({status.label})"))
        else:
            out.append(_Written(letter, LetterStatus.TO_VALID, {"error": r.error}))
            tracker.add(ItemResult(letter.id, label_of(letter), False, r.error))

    async def chunk_done(results: list[ValidationResult]) -> None:
        for r in results:
            take(r)
        await flush()

    try:
        results = await ar24.validate(sender_id, list(by_remote), session, on_chunk=chunk_done)
    except ProviderUnavailable:
        for x in letters:
            tracker.add(ItemResult(x.id, label_of(x), False, NO_ANSWER))
        return
    except ProviderError as exc:
        for x in letters:
            tracker.add(ItemResult(x.id, label_of(x), False, exc.message))
        return
    for r in results:  # the chunks that failed (the others were taken as they came)
        take(r)
