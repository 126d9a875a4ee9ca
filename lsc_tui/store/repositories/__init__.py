"""One repository per table, and `Repos`: the set of them bound to the store (reads) or a transaction.

repos = Repos(store)                     # reads of committed data
with store.transaction() as tx:          # services do this through `ctx.write()`
    w = Repos(tx)
    w.parties.update_contact(...)
    w.audit.append(...)

Each repository's module (and the models it maps) is imported when first used (module `__getattr__`, PEP 562):
the start to Accueil's first frame needs none of them, and creating the models' dataclasses costs ~30 ms.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from lsc_tui.store.protocol import Reader, Transaction
from lsc_tui.store.repositories import table_names

if TYPE_CHECKING:
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

REPOSITORIES = {
    table_names.USERS: "UserRepository",
    table_names.SETTINGS: "SettingsRepository",
    table_names.ENTITIES: "EntityRepository",
    table_names.PARTIES: "PartyRepository",
    table_names.TEMPLATES: "TemplateRepository",
    table_names.EVENTS: "EventRepository",
    table_names.SIGNATURES: "SignatureRepository",
    table_names.LETTERS: "LetterRepository",
    table_names.CONSENTS: "ConsentRepository",
    table_names.AR24_ACCOUNTS: "Ar24AccountRepository",
    table_names.AUDIT: "AuditRepository",
    table_names.PREFERENCES: "PreferencesRepository",
    table_names.WEBHOOK_EVENTS: "WebhookEventRepository",
    table_names.DELIVERIES: "DeliveryRepository",
    table_names.PARTY_DOCUMENTS: "PartyDocumentRepository",
}
"""Each table's repository, in the order the backends create their tables."""
EXPORTS = {
    "Ar24AccountRepository": "ar24_accounts",
    "AuditEntry": "audit",
    "AuditRepository": "audit",
    "ConsentRepository": "consents",
    "DeliveryRepository": "deliveries",
    "EntityRepository": "entities",
    "EventRepository": "events",
    "LetterRepository": "letters",
    "PartyDocumentRepository": "party_documents",
    "PartyRepository": "parties",
    "PreferencesRepository": "preferences",
    "Repository": "base",
    "SettingsRepository": "settings",
    "SignatureRepository": "signatures",
    "TemplateRepository": "templates",
    "UnreadableRecord": "base",
    "UserRepository": "users",
    "WebhookEventRepository": "webhook_events",
}


class TableSpecs(Mapping[str, "TableSpec"]):
    """Every table's spec by name, what a backend needs of its tables (`TABLES`). A table's repository is
    imported when its spec is first asked for: the start's reads touch five tables of fifteen, and the other
    repositories' modules and models cost ~10 ms to import."""

    def __getitem__(self, table: str) -> TableSpec:
        spec: TableSpec = __getattr__(REPOSITORIES[table]).SPEC
        return spec

    def __contains__(self, table: object) -> bool:
        return table in REPOSITORIES

    def __iter__(self) -> Iterator[str]:
        return iter(REPOSITORIES)

    def __len__(self) -> int:
        return len(REPOSITORIES)


TABLES = TableSpecs()


def __getattr__(name: str) -> Any:
    module = EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"lsc_tui.store.repositories.{module}"), name)


class Repos:
    def __init__(self, reader: Reader) -> None:
        self.reader = reader

    def next_sequence(self, name: str) -> int:
        """Next number of a named counter (chrono numbers), committed with this transaction."""
        if not isinstance(self.reader, Transaction):
            raise TypeError("sequence numbers are taken inside a transaction")
        return self.reader.next_sequence(name)

    def _new(self, repository: str) -> Any:
        """The repository class named so (`EXPORTS`), imported now if it is its first use, on this reader."""
        return __getattr__(repository)(self.reader)

    @cached_property
    def users(self) -> UserRepository:
        return self._new("UserRepository")

    @cached_property
    def settings(self) -> SettingsRepository:
        return self._new("SettingsRepository")

    @cached_property
    def entities(self) -> EntityRepository:
        return self._new("EntityRepository")

    @cached_property
    def parties(self) -> PartyRepository:
        return self._new("PartyRepository")

    @cached_property
    def templates(self) -> TemplateRepository:
        return self._new("TemplateRepository")

    @cached_property
    def events(self) -> EventRepository:
        return self._new("EventRepository")

    @cached_property
    def signatures(self) -> SignatureRepository:
        return self._new("SignatureRepository")

    @cached_property
    def letters(self) -> LetterRepository:
        return self._new("LetterRepository")

    @cached_property
    def consents(self) -> ConsentRepository:
        return self._new("ConsentRepository")

    @cached_property
    def ar24_accounts(self) -> Ar24AccountRepository:
        return self._new("Ar24AccountRepository")

    @cached_property
    def audit(self) -> AuditRepository:
        return self._new("AuditRepository")

    @cached_property
    def preferences(self) -> PreferencesRepository:
        return self._new("PreferencesRepository")

    @cached_property
    def webhook_events(self) -> WebhookEventRepository:
        return self._new("WebhookEventRepository")

    @cached_property
    def deliveries(self) -> DeliveryRepository:
        return self._new("DeliveryRepository")

    @cached_property
    def party_documents(self) -> PartyDocumentRepository:
        return self._new("PartyDocumentRepository")


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
