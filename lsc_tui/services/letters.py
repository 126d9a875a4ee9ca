"""Registered letters list (L7): every letter with its AR24 status and dates."""

from __future__ import annotations

from lsc_tui.domain.models import RegisteredLetter
from lsc_tui.domain.search import fold
from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.services.context import AppContext
from lsc_tui.services.listing import CachedSource, Row, RowSource, RowView
from lsc_tui.store import Store

LETTERS = "letters"
COLUMNS = ("Statut", "Type", "Destinataire", "Objet", "Dépôt", "AR / fin")


def _make(rec: dict) -> Row:
    x = RegisteredLetter.from_record(rec)
    cells = (
        x.status.label,
        x.kind.label,
        x.recipient_name,
        x.subject,
        x.deposit_date[:10],
        (x.ar_date or x.final_date)[:10],
    )
    style = "warning" if x.status in {LetterStatus.ERROR, LetterStatus.BOUNCED, LetterStatus.REFUSED} else ""
    hay = fold(f"{x.status.value} {x.status.label} {x.recipient_name} {x.recipient_email} {x.subject}")
    return Row(x.id, cells, hay, style)


def _build(store: Store) -> RowSource:
    return RowSource(
        sorted(store.all(LETTERS), key=lambda r: r.get("deposit_date") or "9999", reverse=True), _make
    )


_source = CachedSource(_build)


def rows(ctx: AppContext, status: str | None = None) -> RowView:
    source = _source.source(ctx.store)
    if not status:
        return source.view()
    return RowView(source, [i for i, r in enumerate(source.records) if r.get("status") == status])


def detail(ctx: AppContext, letter_id: str) -> RegisteredLetter:
    """One registered letter, for its read-only detail screen."""
    from lsc_tui.services.errors import ServiceError

    rec = ctx.store.get(LETTERS, letter_id)
    if rec is None:
        raise ServiceError("Cette lettre recommandée n'existe plus.")
    return RegisteredLetter.from_record(rec)
