"""Phones, emails and names as the providers demand them.

Providers refuse national phone numbers (E.164 required for SMS codes) and YouSign refuses names with
'&', '.', '/'. Staff type what they have on paper; these rules say what is wrong and propose the fix.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

E164_RE = re.compile(r"^\+[1-9][0-9]{7,14}$")


@dataclass(frozen=True)
class PhoneCheck:
    raw: str
    ok: bool
    """True only when `raw` is already E.164 and a valid number."""
    e164: str | None = None
    """The number in E.164 when it could be understood (the suggested fix when not ok)."""
    is_mobile: bool = False
    message: str = ""


_MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


def _clean_phone(raw: str) -> str:
    text = raw.strip()
    # "+33 (0)6 08…": the (0) trunk prefix must go once a country code is given.
    text = re.sub(r"\(\s*0\s*\)", "", text)
    text = re.sub(r"[\s.\-/()]", "", text)
    if text.startswith("00"):
        text = "+" + text[2:]
    return text


def check_phone(raw: str | None, region: str = "FR", *, mobile_required: bool = True) -> PhoneCheck:
    """Say whether `raw` can receive an SMS code as is, and if not, what to type instead."""
    if raw is None or not raw.strip():
        return PhoneCheck(raw or "", False, message="Mobile manquant.")
    cleaned = _clean_phone(raw)
    try:
        number = phonenumbers.parse(cleaned, region)
    except NumberParseException:
        return PhoneCheck(raw, False, message=f"« {raw} » n'est pas un numéro de téléphone.")
    if not phonenumbers.is_valid_number(number):
        return PhoneCheck(raw, False, message=f"« {raw} » n'est pas un numéro valide.")
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    is_mobile = phonenumbers.number_type(number) in _MOBILE_TYPES
    if mobile_required and not is_mobile:
        return PhoneCheck(
            raw, False, e164, False, f"« {raw} » est un fixe : un mobile est nécessaire pour le code SMS."
        )
    if raw.strip() != e164:
        return PhoneCheck(raw, False, e164, is_mobile, f"Format international attendu : {e164}")
    return PhoneCheck(raw, True, e164, is_mobile, "")


# Deliberately simple: the provider checks deliverability; we catch what staff mistype.
_EMAIL_RE = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)


def check_email(raw: str | None) -> str:
    """Empty string when fine, else the French reason."""
    if raw is None or not raw.strip():
        return "Email manquant."
    value = raw.strip()
    if " " in value or value.count("@") != 1:
        return f"« {value} » n'est pas une adresse email."
    local = value.split("@")[0]
    if len(local) > 64 or ".." in value or local.startswith(".") or local.endswith("."):
        return f"« {value} » n'est pas une adresse email."
    if not _EMAIL_RE.match(value):
        return f"« {value} » n'est pas une adresse email."
    return ""


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
