"""YouSign's request rules in the fake: enums, regexes, bounds and the 400s they cause (yousign.md §5–§7).

A 400 `detail` starts with the offending property path (`info.phone_number: ...`), as the real API's
validation messages do, so that a client bug shows up as the refusal the real API would return.
"""

from __future__ import annotations

import copy
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lsc_tui.sandbox.signing import (
    Refusal,
    iso,
    new_id,
)

NAME_RE = re.compile(r"^(?!\s)[0-9A-Za-zÀ-ÖØ-öø-ÿŒœŸ`'()\- ]+(?<!\s)$")
EXTERNAL_ID_RE = re.compile(r"^[\w\-@.%+]+$")
DATE_RE = re.compile(r"^\d{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$")
PHONE_RE = re.compile(r"^\+[1-9]\d{7,14}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

DELIVERY_MODES = {"email", "none"}
SIGNER_LOCALES = {"en", "fr", "de", "it", "nl", "es", "pl"}
AUDIT_LOCALES = {"de", "en", "es", "fr", "it", "pt"}
DEFAULT_AUDIT_LOCALE = "fr"  # never null in an answer: the organisation's language (ours is French)
LEVELS = {"electronic_signature", "advanced_electronic_signature", "qualified_electronic_signature"}
AUTH_MODES = {"otp_email", "otp_sms", "no_otp"}
CANCEL_REASONS = {"contractualization_aborted", "errors_in_document", "other"}
NATURES = {"signable_document", "attachment"}
REMINDER_INTERVALS = {1, 2, 7, 14}
ACTIVE = {"approval", "ongoing"}

CREATE_KEYS = {
    "name", "delivery_mode", "ordered_signers", "ordered_approvers", "reminder_settings", "timezone",
    "email_custom_note", "expiration_date", "external_id", "audit_trail_locale", "signers_allowed_to_decline",
    "workspace_id", "documents", "signers", "template_id", "template_placeholders", "custom_experience_id",
    "branding_id", "labels", "email_notification", "archiving",
}  # fmt: skip
NOT_SIMULATED = {"documents", "signers", "template_id", "template_placeholders", "custom_experience_id"}
SIGNER_KEYS = {
    "info", "signature_level", "signature_authentication_mode", "fields", "delivery_mode", "redirect_urls",
    "insert_after_id", "custom_text", "email_notification", "sms_notification", "user_id", "contact_id",
    "identification_attestation_id", "pre_identity_verification_required",
}  # fmt: skip
INFO_KEYS = {"first_name", "last_name", "email", "phone_number", "locale"}
DEFAULT_FONT = {
    "family": "Inconsolata",
    "color": "#000000",
    "size": 12,
    "variants": {"italic": False, "bold": False},
}
# Objects YouSign always returns, even when the caller sent nothing: their empty shape (G-PHP models)
SIGNER_OBJECTS = {
    "redirect_urls": {"success": None, "error": None, "decline": None},
    "custom_text": {
        "request_subject": None,
        "request_body": None,
        "reminder_subject": None,
        "reminder_body": None,
    },
    "sms_notification": {"otp_message": {"custom_text": None}},
    "email_notification": {"disabled": []},
}
SR_EMAIL_NOTIFICATION = {"sender": {"type": "organization", "custom_name": None}, "custom_note": None}
FIELD_KEYS = {"document_id", "type", "page", "x", "y", "width", "height", "mention", "reason", "font"}


# ---- errors in YouSign's shape -----------------------------------------------------------------------------


def bad(path: str, message: str) -> Refusal:
    return Refusal(400, {"type": "invalid_request_error", "detail": f"{path}: {message}"})


def not_found(what: str) -> Refusal:
    return Refusal(404, {"type": "not_found_error", "detail": f"{what} not found"})


def reject_unknown(body: dict[str, Any], allowed: set[str], prefix: str = "") -> None:
    for key in body:
        if key not in allowed:
            raise bad(f"{prefix}{key}", "This field was not expected (extra_arguments_not_allowed).")


def text(body: dict[str, Any], key: str, path: str, *, low: int, high: int, required: bool) -> str | None:
    value = body.get(key)
    if value is None:
        if required:
            raise bad(path, "This value should not be blank.")
        return None
    if not isinstance(value, str) or not low <= len(value) <= high:
        raise bad(path, f"This value should be a string of {low} to {high} characters.")
    return value


def choice(body: dict[str, Any], key: str, path: str, allowed: set[str], *, required: bool) -> str | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if value not in allowed:
        raise bad(path, f"The value you selected is not a valid choice ({', '.join(sorted(allowed))}).")
    return value


def flag(body: dict[str, Any], key: str) -> bool:
    value = body.get(key, False)
    if not isinstance(value, bool):
        raise bad(key, "This value should be of type bool.")
    return value


def integer(field: dict[str, Any], key: str, path: str, low: int, high: int, default: int | None) -> int:
    value = field.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise bad(f"{path}.{key}", f"This value should be an integer between {low} and {high}.")
    return value


def obj(body: dict[str, Any], key: str, path: str, shape: dict[str, Any]) -> dict[str, Any]:
    """An object YouSign always answers with: what the caller sent, over the empty `shape` (nested objects
    merged the same way); a key outside the shape is refused as YouSign refuses unknown keys."""
    value = body.get(key)
    if value is None:
        return copy.deepcopy(shape)
    if not isinstance(value, dict):
        raise bad(path, "This value should be of type object.")
    reject_unknown(value, set(shape), f"{path}.")
    out = copy.deepcopy(shape)
    for name, default in shape.items():
        if isinstance(default, dict):
            out[name] = obj(value, name, f"{path}.{name}", default)
        elif name in value:
            out[name] = value[name]
    return out


# ---- request validation ------------------------------------------------------------------------------------


def timezone(body: dict[str, Any]) -> str:
    name = body.get("timezone") or "Europe/Paris"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise bad("timezone", "This value is not a valid timezone.") from exc
    return name


def expiration(body: dict[str, Any], tz: str, now: datetime) -> str:
    """Date in, end-of-day date-time out (e.g. `…T21:59:00+00:00` for Paris in summer), as the API does."""
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    raw = body.get("expiration_date")
    if raw is None:
        day = today + timedelta(days=182)
    elif not isinstance(raw, str) or not DATE_RE.match(raw):
        raise bad("expiration_date", "This value should match yyyy-mm-dd.")
    else:
        try:
            day = date.fromisoformat(raw)
        except ValueError as exc:
            raise bad("expiration_date", "This value is not a valid date.") from exc
    if day < today:
        raise bad("expiration_date", "The expiration date must not be in the past.")
    if day > today + timedelta(days=365):
        raise bad("expiration_date", "The expiration date must be within one year.")
    return iso(datetime.combine(day, time(23, 59), zone).astimezone(UTC))


def reminder_settings(body: dict[str, Any]) -> dict[str, int] | None:
    value = body.get("reminder_settings")
    if value is None:
        return None
    if not isinstance(value, dict) or value.get("interval_in_days") not in REMINDER_INTERVALS:
        raise bad("reminder_settings.interval_in_days", "The value must be one of 1, 2, 7, 14.")
    occurrences = value.get("max_occurrences")
    if not isinstance(occurrences, int) or not 1 <= occurrences <= 10:
        raise bad("reminder_settings.max_occurrences", "This value should be between 1 and 10.")
    return {"interval_in_days": value["interval_in_days"], "max_occurrences": occurrences}


def external_id(body: dict[str, Any]) -> str | None:
    value = text(body, "external_id", "external_id", low=1, high=255, required=False)
    if value is not None and not EXTERNAL_ID_RE.match(value):
        raise bad("external_id", "This value is not valid (allowed: letters, digits, - _ @ . % +).")
    return value


def signer_info(body: dict[str, Any], mode: str | None) -> dict[str, Any]:
    info = body.get("info")
    if not isinstance(info, dict):
        raise bad("info", "This value should not be blank.")
    reject_unknown(info, INFO_KEYS, "info.")
    for key in ("first_name", "last_name"):
        value = text(info, key, f"info.{key}", low=1, high=255, required=True)
        if not NAME_RE.match(value or ""):
            raise bad(f"info.{key}", "This value contains characters that are not allowed.")
    if not isinstance(info.get("email"), str) or not EMAIL_RE.match(info["email"]):
        raise bad("info.email", "This value is not a valid email address.")
    phone = info.get("phone_number")
    if phone is not None and (not isinstance(phone, str) or not PHONE_RE.match(phone)):
        raise bad("info.phone_number", "This value is not a valid phone number (E.164 expected).")
    if phone is None and mode == "otp_sms":
        raise bad(
            "info.phone_number", "This value is required when signature_authentication_mode is otp_sms."
        )
    choice(info, "locale", "info.locale", SIGNER_LOCALES, required=True)
    return {k: info.get(k) for k in ("first_name", "last_name", "email", "phone_number", "locale")}


class FieldRules:
    """Field checks against the documents of one request; bounds use each page's real size."""

    def __init__(self, sr: dict[str, Any], strict_bounds: bool, signer_id: str) -> None:
        self.documents = {d["id"]: d for d in sr["_documents"]}
        self.strict_bounds = strict_bounds
        self.signer_id = signer_id

    def check_all(self, fields: Any) -> list[dict[str, Any]]:
        if fields is None:
            return []
        if not isinstance(fields, list):
            raise bad("fields", "This value should be of type array.")
        return [self.check(field, f"fields[{i}]") for i, field in enumerate(fields)]

    def check(self, field: Any, path: str) -> dict[str, Any]:
        if not isinstance(field, dict):
            raise bad(path, "This value should be of type object.")
        reject_unknown(field, FIELD_KEYS, f"{path}.")
        document = self.documents.get(field.get("document_id"))
        if document is None:
            raise bad(f"{path}.document_id", "This document does not belong to the signature request.")
        pages = document["_pages"]
        page = integer(field, "page", path, 1, len(pages), None)
        out = {"id": new_id(), "document_id": document["id"], "signer_id": self.signer_id}
        out.update(type=field.get("type"), page=page)
        out["x"] = integer(field, "x", path, 0, 32767, None)
        out["y"] = integer(field, "y", path, 0, 32767, None)
        if field.get("type") == "signature":
            out["width"] = integer(field, "width", path, 85, 2000, 85)
            out["height"] = integer(field, "height", path, 37, 1000, 37)
            out["reason"] = field.get("reason")
        elif field.get("type") == "mention":
            out["mention"] = text(field, "mention", f"{path}.mention", low=1, high=255, required=True)
            out["width"] = integer(field, "width", path, 24, 32767, 24 + 5 * len(out["mention"] or ""))
            out["height"] = integer(field, "height", path, 1, 32767, 15)
            out["font"] = obj(field, "font", f"{path}.font", DEFAULT_FONT)
        else:
            raise bad(f"{path}.type", "Only signature and mention fields are simulated by this sandbox.")
        self._inside(out, pages[page - 1], path)
        return out

    def _inside(self, field: dict[str, Any], size: list[float], path: str) -> None:
        width, height = size
        if self.strict_bounds and (
            field["x"] + field["width"] > width or field["y"] + field["height"] > height
        ):
            raise bad(
                path,
                f"The field must lie within page {field['page']} ({width:.0f} x {height:.0f} points).",
            )
