"""What YouSign's v3 API is sent for one signer: identity, authentication mode and signature fields."""

from __future__ import annotations

from typing import Any

from lsc_tui.providers.base import SignerSpec


def signer_body(spec: SignerSpec, document_id: str, sms_check: bool) -> dict[str, Any]:
    """v3 boxes are integers, top-left origin, pages from 1: our Box already uses that frame."""
    info: dict[str, Any] = {
        "first_name": spec.first_name,
        "last_name": spec.last_name,
        "email": spec.email,
        "locale": "fr",
    }
    if spec.phone:
        info["phone_number"] = spec.phone
    fields = [
        {
            "document_id": document_id,
            "type": "signature",
            "page": box.page,
            "x": round(box.x),
            "y": round(box.y),
            "width": round(box.width),
            "height": round(box.height),
        }
        for box in spec.boxes
    ]
    return {
        "info": info,
        "signature_level": "electronic_signature",
        # a signer without a mobile (the firm's own manager) confirms by an email code; YouSign allows it per signer
        "signature_authentication_mode": "otp_sms" if sms_check and not spec.email_code else "otp_email",
        "fields": fields,
    }
