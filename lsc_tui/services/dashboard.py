"""Accueil: counts by status for signature files and registered letters (O1), each a door into its list."""

from __future__ import annotations

from dataclasses import dataclass

from lsc_tui.domain.statuses import LetterStatus, SignatureStatus
from lsc_tui.services.context import AppContext

SIGNATURES = "signature_requests"
LETTERS = "letters"


@dataclass(frozen=True)
class StatusCount:
    kind: str  # "signature" | "letter"
    status: str
    label: str
    count: int


def counts(ctx: AppContext) -> list[StatusCount]:
    # count_by answers from the store's per-shard summaries: the home screen never parses 100k records.
    sig = ctx.store.count_by(SIGNATURES, "status")
    let = ctx.store.count_by(LETTERS, "status")
    out = [
        StatusCount("signature", s.value, s.label, sig.get(s.value, 0))
        for s in SignatureStatus
        if s is not SignatureStatus.SENDING
    ]
    out += [
        StatusCount("letter", s.value, s.label, let.get(s.value, 0))
        for s in LetterStatus
        if s is not LetterStatus.SENDING
    ]
    return out


def totals(ctx: AppContext) -> dict[str, int]:
    return {
        "events": ctx.store.count("events"),
        "parties": ctx.store.count("parties"),
        "templates": ctx.store.count("templates"),
    }
