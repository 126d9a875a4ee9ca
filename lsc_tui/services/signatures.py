"""Signature list (S2): every signature file whatever its status, filterable."""

from __future__ import annotations

from lsc_tui.domain.models import SignatureRequest
from lsc_tui.domain.search import fold
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.services.context import AppContext
from lsc_tui.services.listing import CachedRows, Row
from lsc_tui.store import Store

SIGNATURES = "signature_requests"
COLUMNS = ("St.", "Statut", "Objet", "Signataires", "Envoyé le", "Échéance", "Prestataire")


def _build(store: Store) -> list[Row]:
    rows = []
    for rec in store.all(SIGNATURES):
        s = SignatureRequest.from_record(rec)
        signers = ", ".join(f"{x.first_name} {x.last_name}".strip() for x in s.signers[:3])
        if len(s.signers) > 3:
            signers += f" +{len(s.signers) - 3}"
        cells = (
            s.status.code,
            s.status.label,
            s.title,
            signers,
            s.sent_at[:10],
            s.expires_at[:10],
            s.provider,
        )
        style = "warning" if s.status in {SignatureStatus.ERROR, SignatureStatus.DECLINED} else ""
        rows.append(
            Row(s.id, cells, fold(f"{s.status.value} {s.status.label} {s.title} {signers} {s.reason}"), style)
        )
    rows.sort(key=lambda r: r.cells[4] or "9999", reverse=True)
    return rows


_rows = CachedRows[Row](_build)


def rows(ctx: AppContext, status: str | None = None) -> list[Row]:
    all_rows = _rows.rows(ctx.store)
    if not status:
        return all_rows
    label = SignatureStatus(status).label
    return [r for r in all_rows if r.cells[1] == label]
