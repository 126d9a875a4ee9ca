"""The LRE consent register (MISSION L1) and the AR24 account of each user (C3, C4).

Why a register of our own: AR24 documents no consent route (ar24.md §12), yet an LRE to a private person is
worth a registered letter only with that person's written, dated consent (CPCE L100). So every consent given,
imported or withdrawn is kept with who, which email, when, where it came from and the proof link — the
party's `lre_consent` flag is the latest entry, the register is the history a firm shows when challenged.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from lsc_tui.domain.records import RecordBase


class ConsentSource(StrEnum):
    MANUAL = "saisie"
    AR24 = "AR24"


class ValidationMode(StrEnum):
    """How the day's eIDAS letters wait for their OTP (ar24.md §15)."""

    DOCUMENTED = "documented"
    """Default: they wait in our store, attachments already uploaded; validation = one `user/auth_otp` then one
    `POST mail` per letter with the 1-hour hash (AR24's public API only)."""
    QUEUE = "queue"
    """AR24's `to_valid` queue (our sandbox's §15 extension): `POST mail` with `to_valid=1` when prepared, then
    `mail/validate` at the end of the day."""

    @property
    def label(self) -> str:
        return {
            "documented": "En attente chez nous (API AR24 documentée)",
            "queue": "File d'attente AR24 (extension de votre contrat)",
        }[self.value]


@dataclass(frozen=True)
class Consent(RecordBase):
    """One entry of the register: `accepted` False records a refusal or a withdrawal."""

    party_id: str
    email: str
    accepted: bool
    date: str
    source: str = ConsentSource.MANUAL.value
    proof_url: str = ""
    recorded_by: str = ""
    recorded_at: str = ""
    id: str = ""
    rev: int = 0

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Consent:
        return cls(**cls._known(data))


@dataclass(frozen=True)
class Ar24Account(RecordBase):
    """A user's AR24 sender account: its email, AR24's id once linked, and the link's state. No password: the
    account holder confirms the link by email at AR24 (« Autoriser le compte »)."""

    login: str
    email: str
    remote_id: str = ""
    linked: bool = False
    """AR24 lets our API token act for this account (a `GET user` answers)."""
    link_requested_at: str = ""
    checked_at: str = ""
    validation_mode: str = ValidationMode.DOCUMENTED.value
    id: str = ""
    rev: int = 0

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Ar24Account:
        return cls(**cls._known(data))

    @property
    def mode(self) -> ValidationMode:
        try:
            return ValidationMode(self.validation_mode)
        except ValueError:
            return ValidationMode.DOCUMENTED
