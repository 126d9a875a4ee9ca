"""Signature list (S2): every signature file whatever its status, filterable."""

from __future__ import annotations

from lsc_tui.domain.models import SignatureRequest
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.services.context import AppContext
from lsc_tui.services.listing import Row, RowView

COLUMNS = ("St.", "Statut", "Objet", "Signataires", "Envoyé le", "Échéance", "Prestataire")


def _row(s: SignatureRequest) -> Row:
    signers = ", ".join(f"{x.first_name} {x.last_name}".strip() for x in s.signers[:3])
    if len(s.signers) > 3:
        signers += f" +{len(s.signers) - 3}"
    cells = (s.status.code, s.status.label, s.title, signers, s.sent_at[:10], s.expires_at[:10], s.provider)
    style = "warning" if s.status in {SignatureStatus.ERROR, SignatureStatus.DECLINED} else ""
    return Row(s.id, cells, "", style)


def rows(ctx: AppContext, status: str | None = None) -> RowView:
    repo = ctx.repos.signatures
    return RowView(repo.listing({"status": status} if status else None), lambda r: _row(repo.model(r)))


def detail(ctx: AppContext, record_id: str) -> SignatureRequest:
    """One record, for its read-only detail screen."""
    return ctx.repos.signatures.require(record_id)
