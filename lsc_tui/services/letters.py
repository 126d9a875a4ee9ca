"""Registered letters list (L7): every letter with its AR24 status and dates."""

from __future__ import annotations

from lsc_tui.domain.models import RegisteredLetter
from lsc_tui.domain.search import fold
from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.services.context import AppContext
from lsc_tui.services.listing import CachedRows, Row
from lsc_tui.store import Store

LETTERS = "letters"
COLUMNS = ("Statut", "Type", "Destinataire", "Objet", "Dépôt", "AR / fin")


def _build(store: Store) -> list[Row]:
    rows = []
    for rec in store.all(LETTERS):
        x = RegisteredLetter.from_record(rec)
        cells = (
            x.status.label,
            x.kind.label,
            x.recipient_name,
            x.subject,
            x.deposit_date[:10],
            (x.ar_date or x.final_date)[:10],
        )
        style = (
            "warning" if x.status in {LetterStatus.ERROR, LetterStatus.BOUNCED, LetterStatus.REFUSED} else ""
        )
        rows.append(
            Row(
                x.id,
                cells,
                fold(f"{x.status.value} {x.status.label} {x.recipient_name} {x.recipient_email} {x.subject}"),
                style,
            )
        )
    rows.sort(key=lambda r: r.cells[4] or "9999", reverse=True)
    return rows


_rows = CachedRows[Row](_build)


def rows(ctx: AppContext, status: str | None = None) -> list[Row]:
    all_rows = _rows.rows(ctx.store)
    if not status:
        return all_rows
    label = LetterStatus(status).label
    return [r for r in all_rows if r.cells[0] == label]
