"""What a running session needs to stay current: which tables other staff (or this process) changed.

Each list says which tables it shows (`WATCHES`), so a write to the audit log does not rebuild the events
list, and the app polls one cheap question instead of re-reading anything (X4).
"""

from __future__ import annotations

from lsc_tui.services.context import AppContext
from lsc_tui.store.repositories import (
    AuditRepository,
    DeliveryRepository,
    EntityRepository,
    EventRepository,
    LetterRepository,
    PartyDocumentRepository,
    PartyRepository,
    SettingsRepository,
    SignatureRepository,
    TemplateRepository,
    UserRepository,
)

EVENTS = frozenset({EventRepository.SPEC.name})
PARTIES = frozenset({PartyRepository.SPEC.name})
TEMPLATES = frozenset({TemplateRepository.SPEC.name})
SIGNATURES = frozenset({SignatureRepository.SPEC.name})
LETTERS = frozenset({LetterRepository.SPEC.name})
ENTITIES = frozenset({EntityRepository.SPEC.name})
SETTINGS = frozenset({SettingsRepository.SPEC.name, UserRepository.SPEC.name})
AUDIT = frozenset({AuditRepository.SPEC.name})
DELIVERIES = frozenset({DeliveryRepository.SPEC.name})
PARTY_DOCUMENTS = frozenset({PartyDocumentRepository.SPEC.name})
HOME = EVENTS | PARTIES | TEMPLATES | SIGNATURES | LETTERS


def changed_tables(ctx: AppContext) -> set[str]:
    """Tables changed by anyone since the previous call (one stat on the embedded store, one round trip on
    PostgreSQL's notifications)."""
    return ctx.store.changed_tables()
