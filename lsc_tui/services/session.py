"""What a running session needs to stay current: which tables other staff (or this process) changed.

Each list says which tables it shows (`WATCHES`), so a write to the audit log does not rebuild the events
list, and the app polls one cheap question instead of re-reading anything (X4).
"""

from __future__ import annotations

from lsc_tui.services.context import AppContext
from lsc_tui.store.repositories import table_names as t

EVENTS = frozenset({t.EVENTS})
PARTIES = frozenset({t.PARTIES})
TEMPLATES = frozenset({t.TEMPLATES})
SIGNATURES = frozenset({t.SIGNATURES})
LETTERS = frozenset({t.LETTERS})
ENTITIES = frozenset({t.ENTITIES})
SETTINGS = frozenset({t.SETTINGS, t.USERS})
AUDIT = frozenset({t.AUDIT})
DELIVERIES = frozenset({t.DELIVERIES})
PARTY_DOCUMENTS = frozenset({t.PARTY_DOCUMENTS})
HOME = EVENTS | PARTIES | TEMPLATES | SIGNATURES | LETTERS


def changed_tables(ctx: AppContext) -> set[str]:
    """Tables changed by anyone since the previous call (one stat on the embedded store, one round trip on
    PostgreSQL's notifications)."""
    return ctx.store.changed_tables()
