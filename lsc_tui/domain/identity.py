"""What a signer needs on file before signing from a party's form (S11): an email, a mobile, an ID document.

The seed of wealth-management advisers says it plainly: « Chaque signataire doit avoir une adresse mail, un
numéro de mobile et une pièce d'identité valide ». The firm keeps the *fact* of the ID document — its kind, its
number, the date it is valid until — never a scan of it: the fact is what an adviser checked, and a scan is
personal data nobody here needs to hold. Each missing piece is named, so the person knows what to fill in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from lsc_tui.domain.contact import check_email, check_phone

ID_KINDS: dict[str, str] = {
    "cni": "Carte nationale d'identité",
    "passeport": "Passeport",
    "titre_sejour": "Titre de séjour",
    "permis": "Permis de conduire",
}
NUMBER_MAX = 40


@dataclass(frozen=True)
class IdDocument:
    """« Pièce d'identité »: kind (a key of `ID_KINDS`), number, and the ISO date it is valid until."""

    kind: str = ""
    number: str = ""
    valid_until: str = ""

    @property
    def is_blank(self) -> bool:
        return not (self.kind or self.number.strip() or self.valid_until)

    @property
    def label(self) -> str:
        """« Passeport n° 12AB34567, valable jusqu'au 14/05/2031 », or "" when blank."""
        if self.is_blank:
            return ""
        kind = ID_KINDS.get(self.kind, self.kind or "Pièce")
        until = f", valable jusqu'au {french_day(self.valid_until)}" if self.valid_until else ""
        return f"{kind} n° {self.number.strip() or '?'}{until}"

    def to_record(self) -> dict[str, str]:
        return {"kind": self.kind, "number": self.number, "valid_until": self.valid_until}

    @classmethod
    def from_record(cls, data: Any) -> IdDocument:
        if not isinstance(data, dict):
            return cls()
        return cls(
            str(data.get("kind") or ""), str(data.get("number") or ""), str(data.get("valid_until") or "")
        )


def french_day(iso: str) -> str:
    try:
        return dt.date.fromisoformat(iso[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def parse_day(text: str) -> dt.date | None:
    """« 14/05/2031 » or « 2031-05-14 » → a date; None when it is neither."""
    text = text.strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def id_problems(kind: str, number: str, valid_until: str) -> dict[str, str]:
    """What is wrong with an ID document as typed (by field), all blank being fine (« none on file »)."""
    errors: dict[str, str] = {}
    if not (kind or number.strip() or valid_until.strip()):
        return errors
    if kind not in ID_KINDS:
        errors["id_kind"] = "Choisissez le type de pièce d'identité."
    cleaned = number.strip()
    if not cleaned:
        errors["id_number"] = "Numéro de la pièce d'identité manquant."
    elif len(cleaned) > NUMBER_MAX or not all(c.isalnum() or c in " -" for c in cleaned):
        errors["id_number"] = (
            f"Numéro : lettres, chiffres, espaces et tirets, {NUMBER_MAX} caractères au plus."
        )
    if valid_until.strip() and parse_day(valid_until) is None:
        errors["id_valid_until"] = "Date de validité : JJ/MM/AAAA attendu."
    elif not valid_until.strip():
        errors["id_valid_until"] = "Date de validité de la pièce manquante (JJ/MM/AAAA)."
    return errors


def id_from_form(kind: str, number: str, valid_until: str) -> IdDocument:
    """The typed ID document, cleaned (call `id_problems` first)."""
    day = parse_day(valid_until)
    return IdDocument(kind, " ".join(number.split()).upper(), day.isoformat() if day else "")


def id_problem(document: IdDocument, today: dt.date) -> str:
    """Why this ID document does not do ("" when valid today)."""
    if document.is_blank or not document.number.strip() or document.kind not in ID_KINDS:
        return "pièce d'identité manquante"
    if not document.valid_until:
        return "date de validité de la pièce d'identité manquante"
    try:
        until = dt.date.fromisoformat(document.valid_until[:10])
    except ValueError:
        return "date de validité de la pièce d'identité illisible"
    if until < today:
        return f"pièce d'identité expirée le {until.strftime('%d/%m/%Y')}"
    return ""


def missing_pieces(email: str, mobile: str, document: IdDocument, today: dt.date) -> list[str]:
    """Each piece a signer lacks to sign from a party's form, named (empty: ready)."""
    missing: list[str] = []
    if not email.strip():
        missing.append("email manquant")
    elif problem := check_email(email):
        missing.append(f"email invalide ({problem.rstrip('.')})")
    if not mobile.strip():
        missing.append("mobile manquant")
    else:
        phone = check_phone(mobile)
        if not phone.ok:
            missing.append(f"mobile refusé ({phone.message.rstrip('.')})")
    if problem := id_problem(document, today):
        missing.append(problem)
    return missing
