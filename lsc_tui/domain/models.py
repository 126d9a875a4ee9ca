"""Records of the trade as plain dataclasses; `to_record`/`from_record` are the only bridge to storage.

Records carry `id` and `rev` from the store so that a screen can save with optimistic concurrency:
two staff editing one party must not silently overwrite each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from lsc_tui.domain.identity import IdDocument
from lsc_tui.domain.letters import LetterKind as LetterKind  # letters live in domain/letters.py
from lsc_tui.domain.letters import RegisteredLetter as RegisteredLetter
from lsc_tui.domain.records import RecordBase
from lsc_tui.domain.roles import Role
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.domain.users import User as User  # users live in domain/users.py
from lsc_tui.domain.users import UserRole as UserRole


class PartyKind(StrEnum):
    PERSON = "person"
    COMPANY = "company"
    PROTECTED = "protected"

    @property
    def label(self) -> str:
        return {"person": "Personne physique", "company": "Société", "protected": "Personne protégée"}[
            self.value
        ]


@dataclass(frozen=True)
class Address(RecordBase):
    line1: str = ""
    line2: str = ""
    zipcode: str = ""
    city: str = ""
    country: str = "FR"

    @property
    def is_complete(self) -> bool:
        return bool(self.line1.strip() and self.zipcode.strip() and self.city.strip())

    def lines(self) -> list[str]:
        return [x for x in (self.line1, self.line2, f"{self.zipcode} {self.city}".strip()) if x]

    @classmethod
    def from_record(cls, data: dict[str, Any] | None) -> Address:
        return cls(**cls._known(data or {}))


@dataclass(frozen=True)
class MailVariables(RecordBase):
    """The manager's name and email printed on letters and used for the Gérant signer (C6, T2)."""

    manager_name: str = ""
    manager_email: str = ""

    @classmethod
    def from_record(cls, data: dict[str, Any] | None) -> MailVariables:
        return cls(**cls._known(data or {}))


@dataclass(frozen=True)
class Entity(RecordBase):
    name: str
    kind: str = "copropriete"  # copropriete | gestion | patrimoine
    code: str = ""
    address: Address = field(default_factory=Address)
    mail_variables: MailVariables = field(default_factory=MailVariables)
    payment_method_id: str = ""
    id: str = ""
    rev: int = 0

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Entity:
        d = cls._known(data)
        d["address"] = Address.from_record(d.get("address"))
        d["mail_variables"] = MailVariables.from_record(d.get("mail_variables"))
        return cls(**d)


@dataclass(frozen=True)
class Party(RecordBase):
    """A tiers: natural person, company (signed by its representative) or protected person (by a guardian)."""

    last_name: str
    first_name: str = ""
    kind: PartyKind = PartyKind.PERSON
    civility: str = ""
    company_name: str = ""
    representative: str = ""
    legal_representative: str = ""
    email: str = ""
    mobile: str = ""
    address: Address = field(default_factory=Address)
    is_professional: bool = False
    lre_consent: bool = False
    lre_consent_date: str = ""
    lre_consent_source: str = ""
    code: str = ""
    id_document: IdDocument = field(default_factory=IdDocument)
    """« Pièce d'identité » (S11): the fact of it (kind, number, valid until), never the scan."""
    id: str = ""
    rev: int = 0

    def to_record(self) -> dict[str, Any]:
        data = super().to_record()
        data["id_document"] = self.id_document.to_record()
        return data

    @property
    def display_name(self) -> str:
        if self.kind is PartyKind.COMPANY and self.company_name:
            return self.company_name
        civ = f"{self.civility} " if self.civility else ""
        return f"{civ}{self.last_name.upper()} {self.first_name}".strip()

    @property
    def short_name(self) -> str:
        """Without the civility: what a narrow column (an event's parties) has room for."""
        if self.kind is PartyKind.COMPANY and self.company_name:
            return self.company_name
        return f"{self.last_name.upper()} {self.first_name}".strip()

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Party:
        d = cls._known(data)
        d["kind"] = PartyKind(d.get("kind", "person"))
        d["address"] = Address.from_record(d.get("address"))
        d["id_document"] = IdDocument.from_record(d.get("id_document"))
        return cls(**d)


@dataclass(frozen=True)
class EventParty(RecordBase):
    """A party's role on one event; `correspondent_email` overrides the party's email for this event."""

    party_id: str
    role: Role
    correspondent_name: str = ""
    correspondent_email: str = ""

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> EventParty:
        d = cls._known(data)
        d["role"] = Role(d["role"])
        return cls(**d)


@dataclass(frozen=True)
class Placement(RecordBase):
    """A visible signature box: PDF points, origin top-left, pages from 1 (YouSign v3 convention)."""

    role: Role
    page: int = 1
    x: float = 350.0
    y: float = 700.0
    width: float = 170.0
    height: float = 74.0

    MIN_WIDTH = 85.0
    MIN_HEIGHT = 37.0

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Placement:
        d = cls._known(data)
        d["role"] = Role(d["role"])
        return cls(**d)


@dataclass(frozen=True)
class Template(RecordBase):
    name: str
    kind: str = "courrier"
    body: str = ""
    subject: str = ""
    roles: frozenset[Role] = frozenset()
    skip_sms: bool = False
    free_slots: int = 0
    visible_signatures: bool = False
    placements: tuple[Placement, ...] = ()
    is_historisation: bool = False
    signature_note: str = ""  # added to the signers' invitation email (YouSign's `email_custom_note`)
    reminder_interval: int = 0
    """Automatic reminders (S9), YouSign's `reminder_settings`: every 1, 2, 7 or 14 days; 0 none."""
    reminder_count: int = 0
    """How many automatic reminders at most (1 to 10)."""
    id: str = ""
    rev: int = 0

    def to_record(self) -> dict[str, Any]:
        data = super().to_record()
        data["roles"] = sorted(r.value for r in self.roles)
        data["placements"] = [p.to_record() for p in self.placements]
        return data

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Template:
        d = cls._known(data)
        d["roles"] = frozenset(Role(r) for r in d.get("roles", []))
        d["placements"] = tuple(Placement.from_record(p) for p in d.get("placements", []))
        return cls(**d)


@dataclass(frozen=True)
class Event(RecordBase):
    entity_id: str
    template_id: str
    title: str
    created_at: str
    parties: tuple[EventParty, ...] = ()
    body: str = ""
    attachments: tuple[str, ...] = ()
    chrono: str = ""
    chrono_date: str = ""
    state: str = "draft"  # draft | signature | registered | filed
    lot: str = ""
    entity_name: str = ""
    template_name: str = ""
    party_names: tuple[str, ...] = ()
    """Names as they were when the event was made (like a letter's recipient): what lists show and search."""
    signature_request_id: str = ""  # on a return event (événement retour): the file it files (C2)
    id: str = ""
    rev: int = 0

    def to_record(self) -> dict[str, Any]:
        data = super().to_record()
        data["parties"] = [p.to_record() for p in self.parties]
        data["attachments"] = list(self.attachments)
        data["party_names"] = list(self.party_names)
        return data

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Event:
        d = cls._known(data)
        d["parties"] = tuple(EventParty.from_record(p) for p in d.get("parties", []))
        d["attachments"] = tuple(d.get("attachments", ()))
        d["party_names"] = tuple(d.get("party_names", ()))
        return cls(**d)


@dataclass(frozen=True)
class Signer(RecordBase):
    role: Role
    last_name: str
    first_name: str = ""
    email: str = ""
    phone: str = ""
    party_id: str = ""
    added_here: bool = False
    """Added on the request itself: only these may be deleted (never the template's)."""
    placements: tuple[Placement, ...] = ()
    remote_id: str = ""
    status: str = ""
    id_document: IdDocument = field(default_factory=IdDocument)
    """The ID document checked before signing from a party's form (S11); blank on files made from events."""

    def to_record(self) -> dict[str, Any]:
        data = super().to_record()
        data["placements"] = [p.to_record() for p in self.placements]
        data["id_document"] = self.id_document.to_record()
        return data

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Signer:
        d = cls._known(data)
        d["role"] = Role(d["role"])
        d["placements"] = tuple(Placement.from_record(p) for p in d.get("placements", []))
        d["id_document"] = IdDocument.from_record(d.get("id_document"))
        return cls(**d)


@dataclass(frozen=True)
class SignatureRequest(RecordBase):
    """A fiche signature: one PDF, its signers, and where it stands at the provider."""

    event_id: str
    entity_id: str
    title: str
    created_at: str
    created_by: str = ""
    provider: str = "yousign"
    status: SignatureStatus = SignatureStatus.DRAFT
    signers: tuple[Signer, ...] = ()
    skip_sms: bool = False
    reference: str = ""
    remote_id: str = ""
    sent_at: str = ""
    signed_at: str = ""
    expires_at: str = ""
    reason: str = ""
    pdf_sha256: str = ""
    entity_name: str = ""  # as when the file was made (like an event's names): what the list shows
    pdf_path: str = ""  # the PDF sent, kept beside the store (documents/archive.py) with `pdf_sha256`
    pages: tuple[tuple[float, float], ...] = ()  # its page sizes: where boxes may go, without reading it
    note: str = ""  # message to the signers, added to the invitation email
    signed_pdf_path: str = ""
    signed_sha256: str = ""
    received_at: str = ""  # when the signed PDF was received (« date de réception »)
    return_event_id: str = ""  # the event filing the signed PDF with the historisation template (C2)
    sending: str = ""  # « login pid ISO-date » of the batch sending it: two batches never send it at once
    reminder_interval: int = 0  # automatic reminders (S9): every 1, 2, 7 or 14 days (0: none) …
    reminder_count: int = 0  # … at most this many times (1 to 10), copied from the template when made
    in_person: bool = False  # signed in front of the user (YouSign `delivery_mode: none`): no email at all
    proof_path: str = ""  # the provider's audit trail (S10), kept beside the store once fetched …
    proof_sha256: str = ""  # … with its hash, like the signed PDF
    id: str = ""
    rev: int = 0

    def to_record(self) -> dict[str, Any]:
        data = super().to_record()
        data["status"] = self.status.value
        data["signers"] = [s.to_record() for s in self.signers]
        data["pages"] = [list(p) for p in self.pages]
        return data

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> SignatureRequest:
        d = cls._known(data)
        d["status"] = SignatureStatus(d.get("status", "draft"))
        d["signers"] = tuple(Signer.from_record(s) for s in d.get("signers", []))
        d["pages"] = tuple((float(p[0]), float(p[1])) for p in d.get("pages", []))
        return cls(**d)
