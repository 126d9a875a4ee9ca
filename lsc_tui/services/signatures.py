"""Signature list (S2): every signature file whatever its status, filtered by status, entity and text,
newest sending first, fluid at 100,000 files (the store filters and pages; rows are built when shown)."""

from __future__ import annotations

from typing import Any

from lsc_tui.domain.models import SignatureRequest
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.services.context import AppContext
from lsc_tui.services.listing import Row, RowView

COLUMNS = ("St.", "Statut", "Objet", "Entité", "Signataires", "Envoyé le", "Échéance", "Prestataire")


def _row(s: SignatureRequest) -> Row:
    signers = ", ".join(f"{x.first_name} {x.last_name}".strip() for x in s.signers[:3])
    if len(s.signers) > 3:
        signers += f" +{len(s.signers) - 3}"
    cells = (
        s.status.code,
        s.status.label,
        s.title,
        s.entity_name,
        signers,
        s.sent_at[:10],
        s.expires_at[:10],
        s.provider,
    )
    style = "warning" if s.status in {SignatureStatus.ERROR, SignatureStatus.DECLINED} else ""
    return Row(s.id, cells, "", style)


def rows(ctx: AppContext, status: str | None = None, entity_id: str | None = None) -> RowView:
    where: dict[str, Any] = {}
    if status:
        where["status"] = status
    if entity_id:
        where["entity_id"] = entity_id
    repo = ctx.repos.signatures
    return RowView(repo.listing(where or None), lambda r: _row(repo.model(r)))


def entity_choices(ctx: AppContext) -> list[tuple[str, str]]:
    """(id, name) of every entity, by name: the « Entité » filter of the list."""
    return [(e.id, e.name) for e in ctx.repos.entities.all()]


def detail(ctx: AppContext, record_id: str) -> SignatureRequest:
    """One record, for its read-only detail screen."""
    return ctx.repos.signatures.require(record_id)
