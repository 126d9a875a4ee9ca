"""Provider webhooks turned into typed events, and YouSign's signature check — pure functions, no I/O.

What the service does with them: check the signature (`verify_webhook`) on the raw bytes *before* parsing,
parse (`parse_webhook`), drop an `event_id` already seen (providers retry, so duplicates are normal), and
apply the status. An event we do not act on comes back as `IgnoredEvent`, never as an exception: providers
add event names over time, and a receiver that fails on them would be retried for days.

- YouSign (yousign.md §8): JSON, flat root, `event_name` like `signature_request.done`, `event_time` a string
  of Unix seconds; `X-Yousign-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`.
- ESign (our contract beside esign.md, which has no webhook yet): the same shape, `data.envelope`, header
  `X-ESign-Signature-256`, events `envelope.sent|signed|refused|expired|cancelled`.
- AR24 (ar24.md §11): form fields `id_mail`, `new_state`, `proof_url`, the state's date; no signature is
  documented, so a receiver trusts AR24's source IP (185.183.140.195) and reads the letter again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from lsc_tui.domain.statuses import LetterStatus, SignatureStatus
from lsc_tui.providers.ar24_crypto import parse_ar24_date
from lsc_tui.providers.base import ProviderError

YOUSIGN_HEADER = "X-Yousign-Signature-256"
ESIGN_HEADER = "X-ESign-Signature-256"
AR24_SOURCE_IP = "185.183.140.195"

YOUSIGN_EVENTS: dict[str, SignatureStatus] = {
    "signature_request.activated": SignatureStatus.PENDING,
    "signature_request.approved": SignatureStatus.PENDING,
    "signature_request.reactivated": SignatureStatus.PENDING,
    "signature_request.done": SignatureStatus.SIGNED,
    "signature_request.declined": SignatureStatus.DECLINED,
    "signature_request.rejected": SignatureStatus.DECLINED,
    "signature_request.expired": SignatureStatus.EXPIRED,
    "signature_request.canceled": SignatureStatus.CANCELLED,
}
ESIGN_EVENTS: dict[str, SignatureStatus] = {
    "envelope.sent": SignatureStatus.PENDING,
    "envelope.signed": SignatureStatus.SIGNED,
    "envelope.refused": SignatureStatus.DECLINED,
    "envelope.expired": SignatureStatus.EXPIRED,
    "envelope.cancelled": SignatureStatus.CANCELLED,
}
MESSAGE_EVENTS = (
    "signer.notified",
    "signature_request.reminder_executed",
    "signer.notification_delivery_failed",
)
"""YouSign's words about an email to a signer (O3): invitation sent, reminder sent, not delivered (the last one
from integrations' catalogues, yousign.md §8)."""
AR24_DATES = ("view_date", "refused_date", "negligence_date", "bounced_date", "ts_ev_date", "date")


class InvalidWebhook(ProviderError):
    """The body is not what the provider sends (not JSON, no id): answer 400, nothing is applied."""

    message_fr = "Notification du prestataire illisible : elle a été ignorée, rien n'a changé."


@dataclass(frozen=True)
class WebhookEvent:
    """A status the provider says a signature request or a letter reached. `event_id` is the dedup key."""

    provider: str
    event_id: str
    remote_id: str
    status: SignatureStatus | LetterStatus
    reason: str = ""
    occurred_at: datetime | None = None
    name: str = ""
    reference: str = ""  # our reference (YouSign external_id, ESign reference), when the body carries it


@dataclass(frozen=True)
class IgnoredEvent:
    """A well-formed event we do not act on (a signer opened a link, a reminder went out…)."""

    provider: str
    event_id: str
    name: str


@dataclass(frozen=True)
class MessageEvent:
    """The provider's word about an email to a signer (« Rapport des envois », O3): which request, which signer
    (`signer_id` "" when the event names none), and when."""

    provider: str
    event_id: str
    name: str
    remote_id: str
    reference: str = ""
    signer_id: str = ""
    occurred_at: datetime | None = None


Parsed = WebhookEvent | IgnoredEvent | MessageEvent


def verify_webhook(raw_body: bytes, header: str | None, secret: str) -> bool:
    """YouSign's check (and ESign's): `sha256=` + hex HMAC-SHA256 of the raw bytes, compared in constant time.
    Never re-serialise the JSON before checking: the signature is over the bytes as sent."""
    if not header or not secret:
        return False
    expected = "sha256=" + hmac.new(secret.encode("utf-8"), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode("ascii"), header.strip().encode("utf-8", "replace"))


def _json(raw_body: bytes, provider: str) -> dict[str, Any]:
    try:
        body = json.loads(raw_body)
    except ValueError as exc:
        raise InvalidWebhook(detail="not JSON", provider=provider) from exc
    if not isinstance(body, dict) or not body.get("event_id") or not body.get("event_name"):
        raise InvalidWebhook(detail="no event_id / event_name", provider=provider)
    return body


def _unix(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(str(value)), UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def parse_yousign_webhook(raw_body: bytes) -> Parsed:
    body = _json(raw_body, "yousign")
    name, event_id = str(body["event_name"]), str(body["event_id"])
    request = (body.get("data") or {}).get("signature_request") or {}
    if name in MESSAGE_EVENTS and request.get("id"):
        signer = (body.get("data") or {}).get("signer") or {}
        return MessageEvent(
            "yousign", event_id, name, str(request["id"]), str(request.get("external_id") or ""),
            str(signer.get("id") or ""), _unix(body.get("event_time")),
        )  # fmt: skip
    status = YOUSIGN_EVENTS.get(name)
    if status is None or not request.get("id"):
        return IgnoredEvent("yousign", event_id, name)
    declined = request.get("decline_information") or {}
    return WebhookEvent(
        provider="yousign",
        event_id=event_id,
        remote_id=str(request["id"]),
        status=status,
        reason=str(declined.get("reason") or "") if status is SignatureStatus.DECLINED else "",
        occurred_at=_unix(body.get("event_time")),
        name=name,
        reference=str(request.get("external_id") or ""),
    )


def parse_esign_webhook(raw_body: bytes) -> Parsed:
    body = _json(raw_body, "esign")
    name, event_id = str(body["event_name"]), str(body["event_id"])
    envelope = (body.get("data") or {}).get("envelope") or {}
    status = ESIGN_EVENTS.get(name)
    if status is None or not envelope.get("id"):
        return IgnoredEvent("esign", event_id, name)
    reason = envelope.get("refusal_reason") or envelope.get("cancel_reason") or ""
    return WebhookEvent(
        provider="esign",
        event_id=event_id,
        remote_id=str(envelope["id"]),
        status=status,
        reason=str(reason),
        occurred_at=_unix(body.get("event_time")),
        name=name,
        reference=str(envelope.get("reference") or ""),
    )


def parse_ar24_webhook(raw_body: bytes | Mapping[str, str]) -> Parsed:
    """AR24 posts a form; `id_mail` + `new_state` is the event (AR24 sends no id, and repeats a call it thinks
    failed: the same letter reaching the same state twice is one event)."""
    fields = dict(raw_body) if isinstance(raw_body, Mapping) else dict(parse_qsl(raw_body.decode("utf-8")))
    mail_id, state = fields.get("id_mail", "").strip(), fields.get("new_state", "").strip()
    if not mail_id or not state:
        raise InvalidWebhook(detail="no id_mail / new_state", provider="ar24")
    event_id = f"{mail_id}:{state}"
    try:
        status = LetterStatus(state)
    except ValueError:
        return IgnoredEvent("ar24", event_id, state)
    moment = next((parse_ar24_date(fields[k]) for k in AR24_DATES if fields.get(k)), None)
    return WebhookEvent("ar24", event_id, mail_id, status, occurred_at=moment, name=state)


PARSERS = {"yousign": parse_yousign_webhook, "esign": parse_esign_webhook, "ar24": parse_ar24_webhook}


def parse_webhook(provider: str, raw_body: bytes) -> Parsed:
    """The parser of `provider` (yousign | esign | ar24)."""
    parser = PARSERS.get(provider)
    if parser is None:
        raise InvalidWebhook(detail=f"unknown provider {provider!r}", provider=provider)
    return parser(raw_body)
