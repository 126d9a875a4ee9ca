"""Append-only audit log (X6): who did what, when, on which record — written in the caller's transaction."""

from __future__ import annotations

from typing import Any

from lsc_tui.services.context import AppContext

AUDIT = "audit"


def record(tx: Any, ctx: AppContext, action: str, table: str, record_id: str, detail: str = "") -> None:
    """`detail` must never hold a secret: callers pass field names and public values only."""
    tx.insert(
        AUDIT,
        {
            "at": ctx.now_iso(),
            "user": ctx.user.login,
            "action": action,
            "table": table,
            "record_id": record_id,
            "detail": detail,
        },
    )


def entries_for(ctx: AppContext, record_id: str) -> list[dict[str, Any]]:
    rows = ctx.store.find(AUDIT, lambda r: r.get("record_id") == record_id)
    return sorted(rows, key=lambda r: r.get("at", ""))
