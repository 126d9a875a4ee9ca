"""One repository per table, and `Repos`: the set of them bound to the store (reads) or a transaction.

repos = Repos(store)                     # reads of committed data
with store.transaction() as tx:          # services do this through `ctx.write()`
    w = Repos(tx)
    w.parties.update_contact(...)
    w.audit.append(...)
"""

from __future__ import annotations

from functools import cached_property

from lsc_tui.store.protocol import Reader, Transaction
from lsc_tui.store.repositories.ar24_accounts import Ar24AccountRepository
from lsc_tui.store.repositories.audit import AuditEntry, AuditRepository
from lsc_tui.store.repositories.base import Repository, UnreadableRecord
from lsc_tui.store.repositories.consents import ConsentRepository
from lsc_tui.store.repositories.deliveries import DeliveryRepository
from lsc_tui.store.repositories.entities import EntityRepository
from lsc_tui.store.repositories.events import EventRepository
from lsc_tui.store.repositories.letters import LetterRepository
from lsc_tui.store.repositories.parties import PartyRepository
from lsc_tui.store.repositories.party_documents import PartyDocumentRepository
from lsc_tui.store.repositories.preferences import PreferencesRepository
from lsc_tui.store.repositories.settings import SettingsRepository
from lsc_tui.store.repositories.signatures import SignatureRepository
from lsc_tui.store.repositories.templates import TemplateRepository
from lsc_tui.store.repositories.users import UserRepository
from lsc_tui.store.repositories.webhook_events import WebhookEventRepository
from lsc_tui.store.tables import TableSpec

REPOSITORIES: tuple[type[Repository[object]], ...] = (
    UserRepository,  # type: ignore[assignment]
    SettingsRepository,  # type: ignore[assignment]
    EntityRepository,  # type: ignore[assignment]
    PartyRepository,  # type: ignore[assignment]
    TemplateRepository,  # type: ignore[assignment]
    EventRepository,  # type: ignore[assignment]
    SignatureRepository,  # type: ignore[assignment]
    LetterRepository,  # type: ignore[assignment]
    ConsentRepository,  # type: ignore[assignment]
    Ar24AccountRepository,  # type: ignore[assignment]
    AuditRepository,  # type: ignore[assignment]
    PreferencesRepository,  # type: ignore[assignment]
    WebhookEventRepository,  # type: ignore[assignment]
    DeliveryRepository,  # type: ignore[assignment]
    PartyDocumentRepository,  # type: ignore[assignment]
)
TABLES: dict[str, TableSpec] = {r.SPEC.name: r.SPEC for r in REPOSITORIES}


class Repos:
    def __init__(self, reader: Reader) -> None:
        self.reader = reader

    def next_sequence(self, name: str) -> int:
        """Next number of a named counter (chrono numbers), committed with this transaction."""
        if not isinstance(self.reader, Transaction):
            raise TypeError("sequence numbers are taken inside a transaction")
        return self.reader.next_sequence(name)

    @cached_property
    def users(self) -> UserRepository:
        return UserRepository(self.reader)

    @cached_property
    def settings(self) -> SettingsRepository:
        return SettingsRepository(self.reader)

    @cached_property
    def entities(self) -> EntityRepository:
        return EntityRepository(self.reader)

    @cached_property
    def parties(self) -> PartyRepository:
        return PartyRepository(self.reader)

    @cached_property
    def templates(self) -> TemplateRepository:
        return TemplateRepository(self.reader)

    @cached_property
    def events(self) -> EventRepository:
        return EventRepository(self.reader)

    @cached_property
    def signatures(self) -> SignatureRepository:
        return SignatureRepository(self.reader)

    @cached_property
    def letters(self) -> LetterRepository:
        return LetterRepository(self.reader)

    @cached_property
    def consents(self) -> ConsentRepository:
        return ConsentRepository(self.reader)

    @cached_property
    def ar24_accounts(self) -> Ar24AccountRepository:
        return Ar24AccountRepository(self.reader)

    @cached_property
    def audit(self) -> AuditRepository:
        return AuditRepository(self.reader)

    @cached_property
    def preferences(self) -> PreferencesRepository:
        return PreferencesRepository(self.reader)

    @cached_property
    def webhook_events(self) -> WebhookEventRepository:
        return WebhookEventRepository(self.reader)

    @cached_property
    def deliveries(self) -> DeliveryRepository:
        return DeliveryRepository(self.reader)

    @cached_property
    def party_documents(self) -> PartyDocumentRepository:
        return PartyDocumentRepository(self.reader)


__all__ = [
    "TABLES",
    "Ar24AccountRepository",
    "AuditEntry",
    "AuditRepository",
    "ConsentRepository",
    "DeliveryRepository",
    "EntityRepository",
    "EventRepository",
    "LetterRepository",
    "PartyDocumentRepository",
    "PartyRepository",
    "PreferencesRepository",
    "Repos",
    "Repository",
    "SettingsRepository",
    "SignatureRepository",
    "TemplateRepository",
    "UnreadableRecord",
    "UserRepository",
    "WebhookEventRepository",
]
