"""A compact table of YouSign v3's answer schemas, written from its OpenAPI document (docs/providers/yousign.md
§2–§5, §8; field types and nullability as in the generated client G-PHP `lib/Model/*.php`), and a checker.

Notation: `str`, `int`, `bool`, `datetime` (ISO 8601 with an offset), `object` (any object, for parts the
sandbox never fills), another schema's name, or `[type]` for an array. A trailing `?` means YouSign declares the field nullable; a leading `~` that it may be absent. Every
other field must be present and non-null, and no field outside the table may appear: an answer the real API
would not give is a sandbox bug, and a client written against it would break on the real API.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

SCHEMAS: dict[str, dict[str, str]] = {
    "SignatureRequest": {
        "id": "str", "status": "str", "name": "str", "delivery_mode": "str", "created_at": "datetime",
        "ordered_signers": "bool", "ordered_approvers": "bool", "reminder_settings": "ReminderSettings?",
        "timezone": "str", "email_custom_note": "str?", "expiration_date": "datetime", "source": "str",
        "signers": "[SignerInList]", "approvers": "[ApproverInList]", "labels": "[Label]",
        "documents": "[DocumentInList]", "sender": "Sender?", "external_id": "str?", "branding_id": "str?",
        "custom_experience_id": "str?", "signers_allowed_to_decline": "bool", "workspace_id": "str",
        "audit_trail_locale": "str", "email_notification": "SignatureRequestEmailNotification",
        "bulk_send_batch_id": "str?", "decline_information": "DeclineInformation?",
    },
    "SignatureRequestInList": {  # no email_notification, no decline_information in a listing
        "id": "str", "status": "str", "name": "str", "delivery_mode": "str", "created_at": "datetime",
        "ordered_signers": "bool", "ordered_approvers": "bool", "reminder_settings": "ReminderSettings?",
        "timezone": "str", "email_custom_note": "str?", "expiration_date": "datetime", "source": "str",
        "signers": "[SignerInList]", "~approvers": "[ApproverInList]", "~labels": "[Label]",
        "documents": "[DocumentInList]", "sender": "Sender?", "external_id": "str?", "branding_id": "str?",
        "custom_experience_id": "str?", "signers_allowed_to_decline": "bool", "~workspace_id": "str",
        "audit_trail_locale": "str", "bulk_send_batch_id": "str?",
    },
    "SignatureRequestActivated": {
        "id": "str", "status": "str", "name": "str", "delivery_mode": "str", "created_at": "datetime",
        "ordered_signers": "bool", "ordered_approvers": "bool", "reminder_settings": "ReminderSettings?",
        "timezone": "str", "email_custom_note": "str?", "expiration_date": "datetime",
        "signers": "[SignerWithLink]", "~approvers": "[ApproverInList]", "~labels": "[Label]",
        "documents": "[DocumentInList]", "external_id": "str?", "branding_id": "str?",
        "custom_experience_id": "str?", "audit_trail_locale": "str",
    },
    "Page": {"meta": "Pagination", "data": "[SignatureRequestInList]"},
    "Pagination": {"next_cursor": "str?"},
    "ReminderSettings": {"interval_in_days": "int", "max_occurrences": "int"},
    "SignerInList": {"id": "str", "status": "str"},
    "SignerWithLink": {
        "id": "str", "status": "str", "signature_link": "str?", "signature_link_expiration_date": "datetime?",
    },
    "ApproverInList": {"id": "str", "status": "str"},
    "Label": {"id": "str", "name": "str"},
    "DocumentInList": {"id": "str", "nature": "str"},
    "Sender": {"id": "str", "email": "str"},
    "SignatureRequestEmailNotification": {"sender": "EmailSender", "custom_note": "str?"},
    "EmailSender": {"type": "str", "custom_name": "str?"},
    "DeclineInformation": {"~signer_id": "str", "~reason": "str", "~declined_at": "datetime"},
    "Signer": {
        "id": "str", "info": "SignerInfo", "status": "str", "fields": "[SignerField]?",
        "signature_level": "str", "signature_authentication_mode": "str?", "signature_link": "str?",
        "signature_link_expiration_date": "datetime?", "signature_image_preview": "str?",
        "redirect_urls": "RedirectUrls", "custom_text": "CustomText", "delivery_mode": "str?",
        "identification_attestation_id": "str?", "sms_notification": "SmsNotification",
        "email_notification": "EmailNotification", "pre_identity_verification_required": "bool",
    },
    "SignerInfo": {"first_name": "str", "last_name": "str", "email": "str", "phone_number": "str?", "locale": "str"},
    "SignerField": {  # FieldSignature; FieldMention adds `mention` and `font`
        "id": "str", "document_id": "str", "signer_id": "str", "type": "str", "height": "int", "width": "int",
        "page": "int", "x": "int", "y": "int", "~reason": "str?", "~mention": "str", "~font": "Font",
    },
    "Font": {"family": "str", "color": "str", "size": "int", "variants": "FontVariants"},
    "FontVariants": {"italic": "bool", "bold": "bool"},
    "RedirectUrls": {"success": "str?", "error": "str?", "decline": "str?"},
    "CustomText": {"request_subject": "str?", "request_body": "str?", "reminder_subject": "str?", "reminder_body": "str?"},
    "SmsNotification": {"otp_message": "OtpMessage"},
    "OtpMessage": {"custom_text": "str?"},
    "EmailNotification": {"disabled": "[str]"},
    "Document": {
        "id": "str", "filename": "str", "nature": "str", "content_type": "str", "sha256": "str",
        "is_protected": "bool", "is_signed": "bool", "created_at": "datetime", "total_pages": "int?",
        "is_locked": "bool", "initials": "DocumentInitials?", "total_anchors": "int",
    },
    "DocumentInitials": {"alignment": "str", "y": "int", "per_page": "[object]"},
    "Error": {"type": "str", "detail": "str"},  # 400, 401, 403, 404, 415, 500
    "Message": {"message": "str"},  # 405, 429
    "Webhook": {
        "event_id": "str", "event_name": "str", "event_time": "str", "subscription_id": "str",
        "subscription_description": "str", "sandbox": "bool", "data": "WebhookData",
    },
    "WebhookData": {"signature_request": "SignatureRequest", "~signer": "Signer"},
}  # fmt: skip


def problems(value: Any, kind: str, where: str = "$") -> list[str]:
    """Every way `value` departs from `kind` (a schema name or a scalar type), as readable paths."""
    nullable = kind.endswith("?")
    kind = kind.rstrip("?")
    if value is None:
        return [] if nullable else [f"{where}: null, but YouSign does not declare it nullable"]
    if kind.startswith("["):
        if not isinstance(value, list):
            return [f"{where}: {type(value).__name__}, expected an array"]
        return [p for i, item in enumerate(value) for p in problems(item, kind[1:-1], f"{where}[{i}]")]
    scalar = {"str": str, "int": int, "bool": bool, "datetime": str}.get(kind)
    if scalar is not None:
        if not isinstance(value, scalar) or (scalar is int and isinstance(value, bool)):
            return [f"{where}: {type(value).__name__}, expected {kind}"]
        if kind == "datetime":
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                return [f"{where}: {value!r} is not an ISO 8601 date-time"]
            if moment.tzinfo is None:
                return [f"{where}: {value!r} has no offset"]
        return []
    if not isinstance(value, dict):
        return [f"{where}: {type(value).__name__}, expected an object {kind}"]
    if kind == "object":
        return []
    fields = SCHEMAS[kind]
    found: list[str] = []
    declared = {name.lstrip("~") for name in fields}
    found += [f"{where}.{name}: not in YouSign's {kind}" for name in value if name not in declared]
    for name, field_kind in fields.items():
        optional, name = name.startswith("~"), name.lstrip("~")
        if name not in value:
            if not optional:
                found.append(f"{where}.{name}: missing from {kind}")
            continue
        found += problems(value[name], field_kind, f"{where}.{name}")
    return found
