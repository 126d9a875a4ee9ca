"""Statuses of signature files and registered letters, with the transitions the trade allows.

A refused transition is a bug or a race between two staff members; raising makes it visible instead of
silently overwriting a signed file with an older state.
"""

from __future__ import annotations

from enum import StrEnum


class InvalidTransition(ValueError):
    def __init__(self, kind: str, current: str, target: str) -> None:
        super().__init__(f"{kind} : passage de « {current} » à « {target} » interdit")
        self.current = current
        self.target = target


class SignatureStatus(StrEnum):
    """Status of a signature file; the numbers 0/1/2 are the ones users know from the source system."""

    DRAFT = "draft"
    SENDING = "sending"
    PENDING = "pending"
    SIGNED = "signed"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    ERROR = "error"

    @property
    def label(self) -> str:
        return SIGNATURE_LABELS[self]

    @property
    def code(self) -> str:
        return SIGNATURE_CODES.get(self, "")

    @property
    def is_final(self) -> bool:
        return self in {
            SignatureStatus.SIGNED,
            SignatureStatus.CANCELLED,
            SignatureStatus.EXPIRED,
            SignatureStatus.DECLINED,
        }


SIGNATURE_LABELS: dict[SignatureStatus, str] = {
    SignatureStatus.DRAFT: "À envoyer",
    SignatureStatus.SENDING: "Envoi en cours",
    SignatureStatus.PENDING: "Attente signature",
    SignatureStatus.SIGNED: "Signé",
    SignatureStatus.DECLINED: "Refusé",
    SignatureStatus.CANCELLED: "Annulé",
    SignatureStatus.EXPIRED: "Expiré",
    SignatureStatus.ERROR: "En erreur",
}

SIGNATURE_CODES: dict[SignatureStatus, str] = {
    SignatureStatus.DRAFT: "0",
    SignatureStatus.PENDING: "1",
    SignatureStatus.SIGNED: "2",
}

_S = SignatureStatus
SIGNATURE_TRANSITIONS: dict[SignatureStatus, frozenset[SignatureStatus]] = {
    _S.DRAFT: frozenset({_S.SENDING, _S.PENDING, _S.CANCELLED, _S.ERROR}),
    # SENDING is written before the provider call (idempotency key); reconciled after, or on resume.
    _S.SENDING: frozenset({_S.PENDING, _S.ERROR, _S.DRAFT}),
    _S.PENDING: frozenset({_S.SIGNED, _S.DECLINED, _S.CANCELLED, _S.EXPIRED, _S.ERROR}),
    _S.ERROR: frozenset({_S.DRAFT, _S.SENDING, _S.PENDING, _S.CANCELLED}),
    _S.SIGNED: frozenset(),
    _S.DECLINED: frozenset(),
    _S.CANCELLED: frozenset(),
    # YouSign reactivates an expired request with a new date (S9); a sync never does it on its own (is_final)
    _S.EXPIRED: frozenset({_S.PENDING}),
}


class LetterStatus(StrEnum):
    """Status of a registered letter: ours before AR24 (draft, error, sending), then AR24's own words; paper
    letters the firm prints itself (no AR24 paper extension) go *à imprimer* then *imprimée*."""

    DRAFT = "draft"
    ERROR = "error"
    SENDING = "sending"
    TO_VALID = "to_valid"
    WAITING = "waiting"
    SENT = "sent"
    AR = "AR"
    REFUSED = "refused"
    NEGLIGENCE = "negligence"
    BOUNCED = "bounced"
    TO_PRINT = "to_print"
    PRINTED = "printed"

    @property
    def label(self) -> str:
        return LETTER_LABELS[self]

    @property
    def is_final(self) -> bool:
        return self in {_L.AR, _L.REFUSED, _L.NEGLIGENCE, _L.BOUNCED, _L.PRINTED}


LETTER_LABELS: dict[LetterStatus, str] = {
    LetterStatus.DRAFT: "Brouillon",
    LetterStatus.ERROR: "En erreur",
    LetterStatus.SENDING: "Envoi en cours",
    LetterStatus.TO_VALID: "À valider (OTP)",
    LetterStatus.WAITING: "En attente",
    LetterStatus.SENT: "Envoyée",
    LetterStatus.AR: "AR reçu",
    LetterStatus.REFUSED: "Refusée",
    LetterStatus.NEGLIGENCE: "Négligée",
    LetterStatus.BOUNCED: "Non distribuable",
    LetterStatus.TO_PRINT: "À imprimer",
    LetterStatus.PRINTED: "Imprimée",
}

_L = LetterStatus
_AT_AR24 = frozenset({_L.WAITING, _L.SENT, _L.AR, _L.REFUSED, _L.NEGLIGENCE, _L.BOUNCED})
LETTER_TRANSITIONS: dict[LetterStatus, frozenset[LetterStatus]] = {
    _L.DRAFT: frozenset({_L.ERROR, _L.SENDING, _L.TO_VALID, _L.TO_PRINT}),
    _L.ERROR: frozenset({_L.DRAFT, _L.SENDING, _L.TO_VALID, _L.TO_PRINT}),
    # SENDING is written before an AR24 call (preparing, or the end-of-day send) with the letter's reference;
    # what AR24 answers, or a look-up by reference after a lost answer, says where it went.
    _L.SENDING: frozenset({_L.TO_VALID, _L.ERROR, _L.DRAFT, _L.TO_PRINT}) | _AT_AR24,
    # never acknowledged before validation: a refresh steps through WAITING (tracking does)
    _L.TO_VALID: frozenset({_L.SENDING, _L.TO_PRINT, _L.ERROR, _L.WAITING, _L.SENT, _L.BOUNCED}),
    _L.WAITING: _AT_AR24 - {_L.WAITING},
    _L.SENT: frozenset({_L.AR, _L.REFUSED, _L.NEGLIGENCE, _L.BOUNCED}),
    _L.AR: frozenset(),
    _L.REFUSED: frozenset(),
    _L.NEGLIGENCE: frozenset(),
    _L.BOUNCED: frozenset(),
    _L.TO_PRINT: frozenset({_L.PRINTED}),
    _L.PRINTED: frozenset(),
}


def check_signature_transition(current: SignatureStatus, target: SignatureStatus) -> SignatureStatus:
    if current == target:
        return target
    if target not in SIGNATURE_TRANSITIONS[current]:
        raise InvalidTransition("Fiche signature", current.label, target.label)
    return target


def check_letter_transition(current: LetterStatus, target: LetterStatus) -> LetterStatus:
    if current == target:
        return target
    if target not in LETTER_TRANSITIONS[current]:
        raise InvalidTransition("Lettre recommandée", current.label, target.label)
    return target
