"""Chrono numbers (E3): the register number of outgoing mail, given to an event when it is sent.

Unique and increasing per year across every process on one store: the number comes from the store's
sequence `chrono-<year>`, taken inside the transaction that writes it onto the event, so the number and the
event are committed together (no gap, no number given twice). An event that already has a chrono keeps it,
so a re-run batch renumbers nothing.
"""

from __future__ import annotations

from lsc_tui.services.context import AppContext
from lsc_tui.store.repositories import Repos


def format_chrono(year: int, number: int) -> str:
    """`2026-000123`: sorts as text in the order numbers were given."""
    return f"{year}-{number:06d}"


def assign_in(w: Repos, ctx: AppContext, event_ids: list[str]) -> dict[str, str]:
    """Give a chrono to each event lacking one, in the order given, inside the caller's transaction.

    For sending services that write the signature file or the letter in the same transaction.
    """
    year = ctx.now().year
    stamped_at = ctx.now_iso()
    result: dict[str, str] = {}
    for event_id in event_ids:
        if event_id in result:
            continue
        event = w.events.require(event_id)
        if event.chrono:
            result[event_id] = event.chrono
            continue
        chrono = format_chrono(year, w.next_sequence(f"chrono-{year}"))
        w.events.set_chrono(event_id, chrono, stamped_at, expect_rev=event.rev)
        ctx.audit(w, "evenement.chrono", w.events, event_id, chrono)
        result[event_id] = chrono
    return result


def assign_chrono(ctx: AppContext, event_ids: list[str]) -> dict[str, str]:
    """Chrono of each event (new or kept), in one transaction: all are numbered or none is written."""
    with ctx.write() as w:
        return assign_in(w, ctx, event_ids)
