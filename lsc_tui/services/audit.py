"""Audit log (X6): who did what, when, on which record. Lines are written by `ctx.audit` inside each
writer's own transaction, so a change and its line are committed together or not at all."""

from __future__ import annotations

from lsc_tui.services.context import AppContext
from lsc_tui.store.repositories import AuditEntry


def entries_for(ctx: AppContext, record_id: str) -> list[AuditEntry]:
    return ctx.repos.audit.for_record(record_id)
