"""Chrono numbers (E3): the register number of outgoing mail, given to an event when it is sent.

Unique and increasing per year across every process on one store: the number comes from the store's durable
sequence `chrono-<year>`, taken inside the transaction that writes it onto the event. The store writes the
sequence to disk before any record, so a crash between the two leaves a gap in the register, never a
number given twice. An event that already has a chrono keeps it, so a re-run batch renumbers nothing.
"""

from __future__ import annotations

from typing import Any

from lsc_tui.services import audit
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import ServiceError

EVENTS = "events"


def format_chrono(year: int, number: int) -> str:
    """`2026-000123`: sorts as text in the order numbers were given."""
    return f"{year}-{number:06d}"


def assign_in(tx: Any, ctx: AppContext, event_ids: list[str]) -> dict[str, str]:
    """Give a chrono to each event lacking one, in the order given, inside the caller's transaction.

    For sending services that write the signature file or the letter in the same transaction.
    """
    year = ctx.now().year
    stamped_at = ctx.now_iso()
    result: dict[str, str] = {}
    for event_id in event_ids:
        if event_id in result:
            continue
        rec = tx.get(EVENTS, event_id)
        if rec is None:
            raise ServiceError("Un des événements n'existe plus (supprimé par un autre utilisateur ?).")
        if rec.get("chrono"):
            result[event_id] = str(rec["chrono"])
            continue
        chrono = format_chrono(year, tx.next_sequence(f"chrono-{year}"))
        tx.update(EVENTS, event_id, {"chrono": chrono, "chrono_date": stamped_at})
        audit.record(tx, ctx, "evenement.chrono", EVENTS, event_id, chrono)
        result[event_id] = chrono
    return result


def assign_chrono(ctx: AppContext, event_ids: list[str]) -> dict[str, str]:
    """Chrono of each event (new or kept), in one transaction: all are numbered or none is written."""
    ctx.require_write()
    with ctx.store.transaction() as tx:
        return assign_in(tx, ctx, event_ids)
