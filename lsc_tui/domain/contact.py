"""Phones, emails and names as the providers demand them.

Providers refuse national phone numbers (E.164 required for SMS codes) and YouSign refuses names with
'&', '.', '/'. Staff type what they have on paper; these rules say what is wrong and propose the fix.
The libraries made for each format decide (phonenumbers, email-validator); what they would silently accept
or "repair" (Arabic-Indic digits, letters read as a phone keypad, invisible characters) is caught first, so
that a fix is only offered when the number the user sees is the number that will be stored.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from lsc_tui.domain.names import is_invisible, shown

E164_RE = re.compile(r"^\+[1-9][0-9]{7,14}$")


@dataclass(frozen=True)
class PhoneCheck:
    """What `check_phone` found; the fields callers rely on are ok, e164, is_mobile and message.

    Normalised semantics: `ok` means the number as typed is E.164 up to separators (spaces, non-breaking
    spaces, dots, dashes, parentheses around digits), so "+33 6 08 90 41 23" is ok; `e164` is then the form
    to store ("+33608904123"). When not ok, `e164` is the suggested fix, or None when no fix is safe (other
    scripts' digits, letters, symbols: the user must retype) and `message` says why in one French sentence.
    """

    raw: str
    ok: bool
    """True when `raw` is a valid E.164 number, separators aside (store `e164`, not `raw`)."""
    e164: str | None = None
    """The number in E.164 when it could be understood (the suggested fix when not ok)."""
    is_mobile: bool = False
    message: str = ""


_MOBILE_TYPES = ("MOBILE", "FIXED_LINE_OR_MOBILE")
"""PhoneNumberType member names: phonenumbers is imported on first check (a tenth of a second of start)."""
_ASCII_DIGITS = frozenset("0123456789")
_SEPARATORS = frozenset(".-/()")


def _clean_phone(raw: str) -> str:
    text = raw.strip()
    # "+33 (0)6 08…": the (0) trunk prefix must go once a country code is given.
    text = re.sub(r"\(\s*0\s*\)", "", text)
    text = re.sub(r"[\s.\-/()]", "", text)
    if text.startswith("00"):
        text = "+" + text[2:]
    return text


def _unusable_characters(visible: str) -> str:
    """Why `visible` (invisible characters removed) cannot be a phone number as typed, or "".

    phonenumbers reads Arabic-Indic or full-width digits and turns letters into keypad digits
    ("CALL" → 2255): a fix computed from them would be a number the user never saw.
    """
    text = visible.strip()
    found = set()
    for index, ch in enumerate(text):
        if ch in _ASCII_DIGITS or ch in _SEPARATORS or ch.isspace() or (ch == "+" and index == 0):
            continue
        found.add("digit" if unicodedata.category(ch) == "Nd" else "letter" if ch.isalpha() else "symbol")
    if "digit" in found:
        return (
            f"« {text} » contient des chiffres d'une autre écriture : "
            "saisissez le numéro avec les chiffres 0 à 9."
        )
    if "letter" in found:
        return f"« {text} » contient des lettres : un numéro ne contient que des chiffres."
    if "symbol" in found:
        return (
            f"« {text} » contient des symboles : "
            "saisissez seulement le + initial, les chiffres et des espaces."
        )
    return ""


def check_phone(raw: str | None, region: str = "FR", *, mobile_required: bool = True) -> PhoneCheck:
    """Say whether `raw` can receive an SMS code as is, and if not, what to type instead."""
    if raw is None or not raw.strip():
        return PhoneCheck(raw or "", False, message="Mobile manquant.")
    visible = "".join(ch for ch in raw if not is_invisible(ch))
    problem = _unusable_characters(visible)
    if problem:
        return PhoneCheck(raw, False, message=problem)
    typed = visible.strip()
    import phonenumbers
    from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

    try:
        number = phonenumbers.parse(_clean_phone(typed), region)
    except NumberParseException:
        return PhoneCheck(raw, False, message=f"« {shown(raw.strip())} » n'est pas un numéro de téléphone.")
    if not phonenumbers.is_valid_number(number):
        return PhoneCheck(raw, False, message=f"« {shown(raw.strip())} » n'est pas un numéro valide.")
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    is_mobile = phonenumbers.number_type(number) in {getattr(PhoneNumberType, t) for t in _MOBILE_TYPES}
    if mobile_required and not is_mobile:
        return PhoneCheck(
            raw, False, e164, False, f"« {typed} » est un fixe : un mobile est nécessaire pour le code SMS."
        )
    if visible != raw:  # a bidi mark can reorder the digits on screen: show the number, do not store it as is
        return PhoneCheck(
            raw,
            False,
            e164,
            is_mobile,
            f"Le numéro contient des caractères invisibles (copier-coller) : {e164} convient.",
        )
    if not (typed.startswith("+") and "+" + "".join(ch for ch in typed if ch in _ASCII_DIGITS) == e164):
        return PhoneCheck(raw, False, e164, is_mobile, f"Format international attendu : {e164}")
    return PhoneCheck(raw, True, e164, is_mobile, "")


# ---------------------------------------------------------------------------------------------- emails


class InvalidEmail(ValueError):
    """An address that cannot be used; str(error) is the French sentence shown to the user."""


def normalise_email(raw: str) -> str:
    """The address as it should be stored: trimmed, NFC, domain in lower case (the mailbox part is kept).

    email-validator decides (RFC 5321/6531, internationalised addresses such as zoé@exemple.fr included,
    no DNS lookup: the provider checks deliverability); the common typing mistakes get their own words.
    Raises InvalidEmail with one French sentence.
    """
    value = unicodedata.normalize("NFC", raw.strip())
    if not value:
        raise InvalidEmail("Email manquant.")
    not_an_address = f"« {shown(value)} » n'est pas une adresse email"
    if any(is_invisible(ch) for ch in value):
        raise InvalidEmail(f"{not_an_address} : elle contient un caractère invisible.")
    if any(ch.isspace() for ch in value):
        raise InvalidEmail(f"{not_an_address} : elle contient une espace.")
    if "@" not in value:
        raise InvalidEmail(f"{not_an_address} : il manque le @.")
    if value.count("@") > 1:
        raise InvalidEmail(f"{not_an_address} : elle contient plusieurs @.")
    local, domain = value.split("@")
    if not local:
        raise InvalidEmail(f"{not_an_address} : il manque le nom avant le @.")
    if not domain:
        raise InvalidEmail(f"{not_an_address} : il manque le domaine après le @.")
    if "." not in domain:
        raise InvalidEmail(f"{not_an_address} : le domaine « {domain} » n'a pas d'extension (.fr, .com…).")
    from email_validator import EmailNotValidError, validate_email  # on first use: not before Accueil

    try:
        # strict: keep the 64-character limit on the mailbox part (RFC 5321) that mail servers may enforce.
        return validate_email(value, check_deliverability=False, strict=True).normalized
    except EmailNotValidError as exc:
        raise InvalidEmail(f"{not_an_address} valide.") from exc


def check_email(raw: str | None) -> str:
    """Empty string when fine, else the French reason."""
    try:
        normalise_email(raw or "")
    except InvalidEmail as exc:
        return str(exc)
    return ""


def email_ascii_problem(email: str, *, provider: str = "YouSign") -> str:
    """Why `provider` will refuse this valid address, or "": some providers accept ASCII addresses only.

    Checked in the pre-flight of a send, not at the form: the address is right, the provider is the limit.
    """
    value = unicodedata.normalize("NFC", email.strip())
    if value.isascii():
        return ""
    latin = all(unicodedata.name(ch, "").startswith("LATIN ") for ch in value if not ch.isascii())
    kind = "accentués" if latin else "non latins"
    return f"L'adresse {value} contient des caractères {kind} : {provider} la refusera."


# YouSign v3: letters incl. accented Latin, digits, space, ` ' ( ) - ; no leading/trailing space.
_NAME_ALLOWED = re.compile(r"[^0-9A-Za-zÀ-ÖØ-öø-ÿŒœŸ`'()\- ]")


def clean_name(raw: str) -> str:
    """Turn what is on file ("S.C.I. Dupont & Fils") into a form the providers accept ("SCI Dupont et Fils")."""
    text = unicodedata.normalize("NFC", raw)
    text = text.replace("’", "'").replace("&", " et ").replace("_", " ").replace("/", " ")
    text = re.sub(r"(?<=\b[A-Za-z])\.(?=[A-Za-z]\b|[A-Za-z]\.)", "", text)  # S.C.I. → SCI
    text = text.replace(".", " ").replace(",", " ")
    text = _NAME_ALLOWED.sub("", text)
    return re.sub(r"\s+", " ", text).strip()
