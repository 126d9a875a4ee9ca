"""Signature list (S2): every signature file whatever its status, filterable."""

from __future__ import annotations

from lsc_tui.domain.models import SignatureRequest
from lsc_tui.domain.search import fold
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.services.context import AppContext
from lsc_tui.services.listing import CachedSource, Row, RowSource, RowView
from lsc_tui.store import Store

SIGNATURES = "signature_requests"
COLUMNS = ("St.", "Statut", "Objet", "Signataires", "Envoyé le", "Échéance", "Prestataire")


def _make(rec: dict) -> Row:
    s = SignatureRequest.from_record(rec)
    signers = ", ".join(f"{x.first_name} {x.last_name}".strip() for x in s.signers[:3])
    if len(s.signers) > 3:
        signers += f" +{len(s.signers) - 3}"
    cells = (s.status.code, s.status.label, s.title, signers, s.sent_at[:10], s.expires_at[:10], s.provider)
    style = "warning" if s.status in {SignatureStatus.ERROR, SignatureStatus.DECLINED} else ""
    return Row(s.id, cells, fold(f"{s.status.value} {s.status.label} {s.title} {signers} {s.reason}"), style)


def _build(store: Store) -> RowSource:
    return RowSource(
        sorted(store.all(SIGNATURES), key=lambda r: r.get("sent_at") or "9999", reverse=True), _make
    )


_source = CachedSource(_build)


def rows(ctx: AppContext, status: str | None = None) -> RowView:
    source = _source.source(ctx.store)
    if not status:
        return source.view()
    return RowView(source, [i for i, r in enumerate(source.records) if r.get("status") == status])


def detail(ctx: AppContext, request_id: str) -> SignatureRequest:
    """One signature file, for its read-only detail screen."""
    from lsc_tui.services.errors import ServiceError

    rec = ctx.store.get(SIGNATURES, request_id)
    if rec is None:
        raise ServiceError("Cette fiche signature n'existe plus.")
    return SignatureRequest.from_record(rec)
