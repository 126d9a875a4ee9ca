"""Lettres recommandées (L7): statuses and dates read from AR24 (refresh, or AR24's webhook calls), proofs
downloaded beside the store, and other users' letters found by date range.

AR24's word is a fact about the letter, not an edit of what someone saw: it merges into the record
(`ANY_REV`) and only ever moves a letter forward (statuses.py). Applying the same news twice changes nothing,
so a webhook repeated by AR24 (it retries for 12 hours) or a refresh after a webhook is harmless.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from lsc_tui.documents.archive import absolute, store_file
from lsc_tui.domain.letters import RegisteredLetter
from lsc_tui.domain.statuses import LETTER_TRANSITIONS, LetterStatus
from lsc_tui.providers.base import RemoteLetter
from lsc_tui.providers.webhooks import WebhookEvent
from lsc_tui.services import ar24_account
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import ServiceError
from lsc_tui.services.letter_validation import remote_changes
from lsc_tui.services.letters import letter_row
from lsc_tui.services.listing import RowView
from lsc_tui.store.protocol import ANY_REV
from lsc_tui.store.repositories import Repos

AT_AR24 = (LetterStatus.TO_VALID, LetterStatus.WAITING, LetterStatus.SENT)
DATE_OF = {
    LetterStatus.SENT: "sending_date",
    LetterStatus.AR: "ar_date",
    LetterStatus.REFUSED: "refused_date",
    LetterStatus.NEGLIGENCE: "negligence_date",
    LetterStatus.BOUNCED: "bounced_date",
}
PROOF_ORDER = ("ar", "rf", "ng", "bc", "ev", "dp", "content")
STATUS_PROOF = {
    LetterStatus.AR: "ar",
    LetterStatus.REFUSED: "rf",
    LetterStatus.NEGLIGENCE: "ng",
    LetterStatus.BOUNCED: "bc",
    LetterStatus.SENT: "ev",
}
"""The proof a letter in that status must have at AR24."""
PROOF_NAMES = {
    "ar": "preuve de réception (AR)",
    "rf": "preuve de refus",
    "ng": "preuve de négligence",
    "bc": "preuve de non-distribution",
    "ev": "preuve de dépôt et d'envoi",
    "dp": "preuve de dépôt",
    "content": "contenu de la lettre",
}


def path_to(current: LetterStatus, target: LetterStatus) -> list[LetterStatus]:
    """The statuses to pass through to reach `target` (a to_valid letter acknowledged meanwhile goes through
    WAITING); empty when `target` is not ahead of `current`."""
    if current is target:
        return []
    if target in LETTER_TRANSITIONS[current]:
        return [target]
    for middle in (LetterStatus.WAITING, LetterStatus.SENT):
        if middle in LETTER_TRANSITIONS[current] and target in LETTER_TRANSITIONS[middle]:
            return [middle, target]
    return []


def apply_remote_in(w: Repos, ctx: AppContext, letter: RegisteredLetter, changes: dict[str, Any],
                    target: LetterStatus) -> bool:  # fmt: skip
    """Write AR24's news in the caller's transaction; True if anything changed."""
    steps = path_to(letter.status, target)
    record = letter.to_record()
    fresh = {k: v for k, v in changes.items() if record.get(k) != v}
    if not steps and not fresh:
        return False
    if not steps and letter.status is not target:  # news older than what we know: keep the dates only
        fresh.pop("remote_id", None)
        if not fresh:
            return False
    current = letter
    for status in steps[:-1]:
        current = w.letters.set_status(current.id, status, expect_rev=ANY_REV)
    final = steps[-1] if steps else current.status
    w.letters.set_status(current.id, final, expect_rev=ANY_REV, **fresh)
    ctx.audit(w, "lettre.statut", w.letters, letter.id, final.value)
    return True


def apply_remote(ctx: AppContext, remotes: list[RemoteLetter]) -> int:
    """A refresh's answers in one transaction; how many letters changed."""
    changed = 0
    with ctx.write() as w:
        for remote in remotes:
            letter = w.letters.by_remote_id(remote.remote_id)
            if letter is None:
                continue
            target = LetterStatus.WAITING if remote.status is LetterStatus.TO_VALID else remote.status
            if letter.status is LetterStatus.TO_VALID and remote.status is LetterStatus.TO_VALID:
                target = LetterStatus.TO_VALID
            changed += apply_remote_in(w, ctx, letter, remote_changes(remote), target)
    return changed


APPLIED = "appliqué"
CURRENT = "déjà à jour"
UNKNOWN = "lettre inconnue"


def apply_callback(ctx: AppContext, event: WebhookEvent) -> str:
    """An AR24 status callback (`lsc-tui webhooks serve`): APPLIED, CURRENT (nothing new: a replay, or news
    older than ours) or UNKNOWN (no letter of ours has that AR24 id — yet: AR24 may call before the outcome of
    the POST mail is written here, and calls again later when answered so)."""
    if event.provider != "ar24" or not isinstance(event.status, LetterStatus):
        return CURRENT
    with ctx.write() as w:
        letter = w.letters.by_remote_id(event.remote_id)
        if letter is None:
            return UNKNOWN
        changes: dict[str, Any] = {}
        field = DATE_OF.get(event.status)
        if field and event.occurred_at is not None:
            changes[field] = event.occurred_at.isoformat(timespec="seconds")
            if event.status.is_final:
                changes["final_date"] = changes[field]
        return APPLIED if apply_remote_in(w, ctx, letter, changes, event.status) else CURRENT


def apply_event(ctx: AppContext, event: WebhookEvent) -> bool:
    """The same, True if it changed something; idempotent."""
    return apply_callback(ctx, event) == APPLIED


@dataclass(frozen=True)
class RefreshReport:
    asked: int
    changed: int

    def summary(self) -> str:
        return f"{self.asked} lettre(s) demandée(s) à AR24 ; {self.changed} mise(s) à jour."


async def refresh(ctx: AppContext, *, mine: bool = False) -> RefreshReport:
    """Ask AR24 where every letter still moving stands (polling, the webhooks' fallback)."""
    ar24 = ar24_account.client(ctx)
    login = ctx.user.login if mine else None
    letters = await asyncio.to_thread(ctx.repos.letters.with_status, AT_AR24, login)
    by_sender: dict[str, list[str]] = {}
    for x in letters:
        if x.remote_id and x.sender_id:
            by_sender.setdefault(x.sender_id, []).append(x.remote_id)
    if not by_sender:
        return RefreshReport(0, 0)
    pages = await asyncio.gather(*(ar24.letters(sender, ids) for sender, ids in by_sender.items()))
    remotes = [r for page in pages for r in page]
    changed = await asyncio.to_thread(apply_remote, ctx, remotes)
    return RefreshReport(sum(len(v) for v in by_sender.values()), changed)


async def download_proof(ctx: AppContext, letter_id: str, kind: str = "") -> Path:
    """The letter's most telling proof (AR, refusal, negligence…), kept in the data folder; its path."""
    letter = await asyncio.to_thread(ctx.repos.letters.require, letter_id)
    proofs = letter.proofs
    expected = kind or STATUS_PROOF.get(letter.status, "")
    if letter.remote_id and (not proofs or (expected and expected not in proofs)):
        # a callback brought the status, not the proof's link (or nothing was read yet): AR24 has it
        remote = await ar24_account.client(ctx).letter(letter.remote_id)
        proofs = {**proofs, **remote.proof_urls}
    chosen = kind or next((k for k in PROOF_ORDER if k in proofs), "")
    if chosen not in proofs:
        raise ServiceError("AR24 n'a pas encore de preuve pour cette lettre : actualisez plus tard (F5).")
    data = await ar24_account.client(ctx).proof(proofs[chosen])
    stored = await asyncio.to_thread(store_file, ctx.data_dir, "proofs", f"{letter.reference}-{chosen}", data)
    return absolute(ctx.data_dir, stored.path)


def proof_label(kind: str) -> str:
    return PROOF_NAMES.get(kind, kind)


def days_between(start: date, end: date) -> list[str]:
    if end < start:
        start, end = end, start
    if (end - start).days > 366:
        raise ServiceError("Période trop longue : choisissez au plus un an.")
    return [(start + timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]


def search(ctx: AppContext, start: date, end: date, login: str = "", status: str = "") -> RowView:
    """Letters of any user (or one) deposited — or created, before deposit — between two dates (L7)."""
    where: dict[str, Any] = {"day": tuple(days_between(start, end))}
    if login:
        where["created_by"] = login
    if status:
        where["status"] = status
    repo = ctx.repos.letters
    return RowView(repo.listing(where), lambda r: letter_row(repo.model(r)))
