"""Registered letters list (L7): every letter with its AR24 status and dates; F9: the user's own to validate."""

from __future__ import annotations

from typing import Any

from lsc_tui.domain.letters import RegisteredLetter
from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.services.context import AppContext
from lsc_tui.services.listing import Row, RowView

COLUMNS = ("Statut", "Type", "Destinataire", "Objet", "Dépôt", "Dernier évt")
WARNING = {LetterStatus.ERROR, LetterStatus.BOUNCED, LetterStatus.REFUSED}


def letter_row(x: RegisteredLetter) -> Row:
    cells = (
        x.status.label,
        x.kind.label,
        x.recipient_name,
        x.subject,
        x.deposit_date[:10],
        x.last_date[:10],
    )
    return Row(x.id, cells, "", "warning" if x.status in WARNING else "")


def rows(ctx: AppContext, status: str | None = None, mine: bool = False) -> RowView:
    """Every letter, or those of one status; `mine`: only the current user's (F9 shows nobody else's)."""
    where: dict[str, Any] = {}
    if status:
        where["status"] = status
    if mine:
        where["created_by"] = ctx.user.login
    repo = ctx.repos.letters
    return RowView(repo.listing(where or None), lambda r: letter_row(repo.model(r)))


def pending_for_me(ctx: AppContext) -> list[RegisteredLetter]:
    return ctx.repos.letters.pending_for(ctx.user.login)


def detail(ctx: AppContext, record_id: str) -> RegisteredLetter:
    """One record, for its read-only detail screen."""
    return ctx.repos.letters.require(record_id)
