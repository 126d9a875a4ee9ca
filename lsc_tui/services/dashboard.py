"""Accueil: counts by status for signature files and registered letters (O1), each a door into its list."""

from __future__ import annotations

from dataclasses import dataclass

from lsc_tui.domain.statuses import LetterStatus, SignatureStatus
from lsc_tui.services.context import AppContext


@dataclass(frozen=True)
class StatusCount:
    kind: str  # "signature" | "letter"
    status: str
    label: str
    count: int


def counts(ctx: AppContext) -> list[StatusCount]:
    # Counts come from the store's summaries (embedded) or an index (PostgreSQL): never 100k records parsed.
    sig = ctx.repos.signatures.counts_by_status()
    let = ctx.repos.letters.counts_by_status()
    out = [
        StatusCount("signature", s.value, s.label, sig.get(s.value, 0))
        for s in SignatureStatus
        if s is not SignatureStatus.SENDING
    ]
    return out + _letters(let)


DAILY_LETTERS = frozenset(
    {
        LetterStatus.TO_VALID,
        LetterStatus.WAITING,
        LetterStatus.SENT,
        LetterStatus.AR,
        LetterStatus.REFUSED,
        LetterStatus.NEGLIGENCE,
        LetterStatus.BOUNCED,
    }
)
"""The statuses a manager looks at every day: Accueil shows them even at 0 (« nothing refused today » is news);
the others (brouillon, en erreur, à imprimer, imprimée) only when some letter holds them."""


def letter_counts(ctx: AppContext) -> tuple[StatusCount, ...]:
    """The letters' counts alone (Accueil reads the signatures' in the same breath already): the daily
    statuses, and the others that hold letters."""
    return tuple(
        c
        for c in _letters(ctx.repos.letters.counts_by_status())
        if c.count or LetterStatus(c.status) in DAILY_LETTERS
    )


def _letters(counted: dict[str, int]) -> list[StatusCount]:
    return [
        StatusCount("letter", s.value, s.label, counted.get(s.value, 0))
        for s in LetterStatus
        if s is not LetterStatus.SENDING
    ]


def totals(ctx: AppContext) -> dict[str, int]:
    return {
        "events": ctx.repos.events.count(),
        "parties": ctx.repos.parties.count(),
        "templates": ctx.repos.templates.count(),
    }
