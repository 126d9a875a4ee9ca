"""Registered letters: the three kinds, what makes a letter unsendable, and which channel fits a recipient.

Why these rules exist (docs/providers/ar24.md §1, §12; MISSION L4, X9):
- an LRE to a private person (not a professional) is worth a registered letter only if that person consented
  in writing to receive them (CPCE L100): without consent AR24 refuses it (`consent_missing`), so we say so
  before anything is sent;
- the *Avis électronique* (AR24's ERE simple, `eidas=0`) needs the consent of every recipient, professional
  or not;
- a consent set by hand in this app is not in AR24's register, which refuses the LRE all the same: we say so
  before anything is sent (send the recipient AR24's consent link, or go by paper);
- a paper letter needs a postal address a window envelope can show.
The email used is the correspondent's one for this event, else the party's (L4).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import Any, Self

from lsc_tui.domain.contact import check_email
from lsc_tui.domain.records import plain
from lsc_tui.domain.statuses import LetterStatus


class LetterKind(StrEnum):
    EIDAS = "eidas"
    SIMPLE = "simple"
    PAPER = "paper"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def help(self) -> str:
        """What the recipient receives, in one French sentence (shown beside the kind's choice)."""
        return KIND_HELP[self]


KIND_LABELS = {
    LetterKind.EIDAS: "LRE qualifiée eIDAS",
    LetterKind.SIMPLE: "ERE simple (Avis électronique)",
    LetterKind.PAPER: "LR papier",
}
KIND_HELP = {
    LetterKind.EIDAS: "Le destinataire reçoit un courriel sans le nom de l'expéditeur ; il a 15 jours pour "
    "s'identifier puis accepter ou refuser : la preuve vaut lettre recommandée avec AR.",
    LetterKind.SIMPLE: "Le destinataire, qui a consenti aux envois électroniques, ouvre la lettre sans "
    "vérification d'identité : preuves d'envoi et de réception, sans valeur de LRE qualifiée.",
    LetterKind.PAPER: "La lettre est imprimée et envoyée en recommandé par La Poste à l'adresse postale "
    "(par AR24 si votre contrat le prévoit, sinon imprimée au cabinet).",
}


@dataclass(frozen=True)
class RecipientFacts:
    """What the rules need to know of one recipient, read from the party and the event."""

    name: str
    email: str
    professional: bool
    consent: bool
    address_complete: bool
    consent_here_only: bool = False
    """The consent was set by hand in this app: AR24's own register does not know it and refuses the LRE."""


CONSENT_UNKNOWN_TO_AR24 = (
    "consentement enregistré ici, inconnu d'AR24 : envoyez-lui le lien ou passez en papier"
)


def problems(kind: LetterKind, who: RecipientFacts) -> list[str]:
    """Why a letter of `kind` to `who` cannot go, one French sentence each (empty: it can go)."""
    out: list[str] = []
    if kind is LetterKind.PAPER:
        if not who.address_complete:
            out.append("adresse postale incomplète (rue, code postal et ville)")
        return out
    if not who.email.strip():
        out.append("email manquant")
    else:
        bad = check_email(who.email)
        if bad:
            out.append(bad[:1].lower() + bad[1:].rstrip("."))
    if kind is LetterKind.SIMPLE and not who.consent:
        out.append("pas de consentement LRE (obligatoire pour un avis électronique)")
    elif kind is LetterKind.EIDAS and not who.consent and not who.professional:
        out.append("particulier sans consentement LRE")
    elif who.consent_here_only and (kind is LetterKind.SIMPLE or not who.professional):
        out.append(CONSENT_UNKNOWN_TO_AR24)
    return out


def choose_channel(who: RecipientFacts) -> tuple[LetterKind, str]:
    """The channel that fits this recipient, with its reason (X9): qualified LRE when it can go, else paper."""
    if not problems(LetterKind.EIDAS, who):
        reason = "consentement LRE" if who.consent else "professionnel"
        return LetterKind.EIDAS, f"LRE qualifiée : {reason} et email valide"
    if not problems(LetterKind.PAPER, who):
        return LetterKind.PAPER, "papier : " + "; ".join(problems(LetterKind.EIDAS, who))
    return LetterKind.EIDAS, "aucun canal possible : " + "; ".join(problems(LetterKind.EIDAS, who))


@dataclass(frozen=True)
class RegisteredLetter:
    """One letter to one recipient: what we prepared (PDF, attachment ids at AR24) and where it stands."""

    event_id: str
    entity_id: str
    party_id: str
    kind: LetterKind
    created_at: str
    created_by: str = ""
    status: LetterStatus = LetterStatus.DRAFT
    recipient_name: str = ""
    recipient_email: str = ""
    recipient_first_name: str = ""
    recipient_last_name: str = ""
    recipient_company: str = ""
    recipient_professional: bool = False
    recipient_address: tuple[str, ...] = ()
    """line1, line2, zipcode, city, country: the postal address for paper letters."""
    reference: str = ""
    """Our idempotency key, AR24's `ref_dossier`: one reference, one letter at AR24, whatever fails."""
    remote_id: str = ""
    subject: str = ""
    content: str = ""
    entity_name: str = ""
    chrono: str = ""
    color: bool = False
    duplex: bool = False
    sender_id: str = ""
    """The AR24 account (id_user) that prepared it and must validate it."""
    payment_method_id: str = ""
    attachment_ids: tuple[str, ...] = ()
    pdf_path: str = ""
    pdf_sha256: str = ""
    pages: int = 0
    stage: str = ""
    """While SENDING: "prepare" (before AR24 has it) or "validate" (end-of-day send in flight)."""
    sending_since: str = ""
    deposit_date: str = ""
    sending_date: str = ""
    ar_date: str = ""
    refused_date: str = ""
    negligence_date: str = ""
    bounced_date: str = ""
    final_date: str = ""
    printed_date: str = ""
    proofs: dict[str, str] = field(default_factory=dict)
    """AR24's proof links by kind: dp, ev, ar, rf, ng, bc, content."""
    error: str = ""
    id: str = ""
    rev: int = 0

    def to_record(self) -> dict[str, Any]:
        data: dict[str, Any] = plain(self)
        data.pop("rev", None)
        data["status"] = self.status.value
        data["kind"] = self.kind.value
        data["recipient_address"] = list(self.recipient_address)
        data["attachment_ids"] = list(self.attachment_ids)
        return data

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> RegisteredLetter:
        d = {k: v for k, v in data.items() if k in _LETTER_FIELDS}
        if "_rev" in data:
            d["rev"] = data["_rev"]
        d["status"] = LetterStatus(d.get("status", "draft"))
        d["kind"] = LetterKind(d.get("kind", "eidas"))
        d["recipient_address"] = tuple(d.get("recipient_address") or ())
        d["attachment_ids"] = tuple(str(x) for x in d.get("attachment_ids") or ())
        d["proofs"] = dict(d.get("proofs") or {})
        return cls(**d)

    def evolve(self, **changes: Any) -> Self:
        return replace(self, **changes)

    @property
    def queued_at_ar24(self) -> bool:
        """Prepared in AR24's own `to_valid` queue (§15): validated by `mail/validate`, not sent again."""
        return bool(self.remote_id) and self.status in {LetterStatus.TO_VALID, LetterStatus.SENDING}

    @property
    def last_date(self) -> str:
        """The date of the latest thing that happened, for lists (AR, refusal, negligence, bounce, sending)."""
        return (
            self.ar_date
            or self.refused_date
            or self.negligence_date
            or self.bounced_date
            or self.final_date
            or self.printed_date
            or self.sending_date
        )


_LETTER_FIELDS = frozenset(f.name for f in fields(RegisteredLetter))
"""Read once: `dataclasses.fields` per record was a third of reading 1,000 letters back (F9's batch)."""
