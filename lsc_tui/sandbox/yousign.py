"""Fake YouSign API v3, written from docs/providers/yousign.md (paths, fields, enums, status codes, errors).

Mounted at `/yousign/v3` (API) and `/yousign` (control routes under `/_sandbox/`). Strict where the spec is
strict (regexes, enums, draft-only edits, activation prerequisites, field bounds on the real page sizes) so
that a client bug shows up as the 400 the real API would return. 400 `detail` starts with the offending
property path (`signers.info.phone_number: ...`), as the real API's validation messages do.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from hashlib import sha256
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lsc_tui.sandbox.context import SandboxContext
from lsc_tui.sandbox.pdfinfo import Stamp, UnreadablePdf, page_sizes, report_pdf, stamp_pdf
from lsc_tui.sandbox.signing import (
    Gate,
    PlannedState,
    Quota,
    Refusal,
    answering,
    autopilot_plan,
    b64decode,
    b64encode,
    control_error,
    control_routes,
    iso,
    json_object,
    new_id,
    pdf_response,
    zip_response,
)

PROVIDER = "yousign"
SIGNER_IP = "203.0.113.7"  # TEST-NET-3: where the simulated signers sign from

NAME_RE = re.compile(r"^(?!\s)[0-9A-Za-zÀ-ÖØ-öø-ÿŒœŸ`'()\- ]+(?<!\s)$")
EXTERNAL_ID_RE = re.compile(r"^[\w\-@.%+]+$")
DATE_RE = re.compile(r"^\d{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$")
PHONE_RE = re.compile(r"^\+[1-9]\d{7,14}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

DELIVERY_MODES = {"email", "none"}
SIGNER_LOCALES = {"en", "fr", "de", "it", "nl", "es", "pl"}
AUDIT_LOCALES = {"de", "en", "es", "fr", "it", "pt"}
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
FIELD_KEYS = {"document_id", "type", "page", "x", "y", "width", "height", "mention", "reason", "font"}


def default_accounts() -> dict[str, Any]:
    """YouSign section of the sandbox accounts, with fresh random keys (none is ever stored in the repo).

    Schema::

        {"api_keys": {"<key>": {"scope": "full" | "read_only", "workspace": "<workspace id>"}},
         "rate_limit": {"per_minute": 6000, "per_hour": 360000},   # optional, these are the defaults
         "strict_field_bounds": true}                              # optional: fields must lie in the page

    A key only sees the signature requests of its workspace.
    """
    workspace = new_id()
    return {
        "api_keys": {
            secrets.token_urlsafe(24): {"scope": "full", "workspace": workspace},
            secrets.token_urlsafe(24): {"scope": "read_only", "workspace": workspace},
        },
        "rate_limit": {"per_minute": 6000, "per_hour": 360000},
        "strict_field_bounds": True,
    }


# ---- errors in YouSign's shape -----------------------------------------------------------------------------


def bad(path: str, message: str) -> Refusal:
    return Refusal(400, {"type": "invalid_request_error", "detail": f"{path}: {message}"})


def not_found(what: str) -> Refusal:
    return Refusal(404, {"type": "not_found_error", "detail": f"{what} not found"})


def _unauthorized() -> Response:
    return JSONResponse({"type": "unauthorized", "detail": "Invalid or missing API key."}, status_code=401)


def _too_many(retry_after: int) -> Response:
    # YouSign documents no Retry-After; the fake adds one so a polite client need not guess.
    return JSONResponse({"message": "Too many requests"}, 429, headers={"Retry-After": str(retry_after)})


def _quota_headers(quota: Quota) -> dict[str, str]:
    return {
        "x-ratelimit-limit-minute": str(quota.limit_minute),
        "x-ratelimit-remaining-minute": str(quota.remaining_minute),
        "x-ratelimit-limit-hour": str(quota.limit_hour),
        "x-ratelimit-remaining-hour": str(quota.remaining_hour),
    }


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def _public(record: dict[str, Any]) -> dict[str, Any]:
    """Internal keys start with `_` (PDF bytes, plans, audit events) and never leave the fake."""
    return {k: v for k, v in record.items() if not k.startswith("_")}


def _reject_unknown(body: dict[str, Any], allowed: set[str], prefix: str = "") -> None:
    for key in body:
        if key not in allowed:
            raise bad(f"{prefix}{key}", "This field was not expected (extra_arguments_not_allowed).")


def _text(body: dict[str, Any], key: str, path: str, *, low: int, high: int, required: bool) -> str | None:
    value = body.get(key)
    if value is None:
        if required:
            raise bad(path, "This value should not be blank.")
        return None
    if not isinstance(value, str) or not low <= len(value) <= high:
        raise bad(path, f"This value should be a string of {low} to {high} characters.")
    return value


def _choice(body: dict[str, Any], key: str, path: str, allowed: set[str], *, required: bool) -> str | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if value not in allowed:
        raise bad(path, f"The value you selected is not a valid choice ({', '.join(sorted(allowed))}).")
    return value


def _flag(body: dict[str, Any], key: str) -> bool:
    value = body.get(key, False)
    if not isinstance(value, bool):
        raise bad(key, "This value should be of type bool.")
    return value


def _integer(field: dict[str, Any], key: str, path: str, low: int, high: int, default: int | None) -> int:
    value = field.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise bad(f"{path}.{key}", f"This value should be an integer between {low} and {high}.")
    return value


# ---- request validation ------------------------------------------------------------------------------------


def _timezone(body: dict[str, Any]) -> str:
    name = body.get("timezone") or "Europe/Paris"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise bad("timezone", "This value is not a valid timezone.") from exc
    return name


def _expiration(body: dict[str, Any], tz: str, now: datetime) -> str:
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


def _reminder_settings(body: dict[str, Any]) -> dict[str, int] | None:
    value = body.get("reminder_settings")
    if value is None:
        return None
    if not isinstance(value, dict) or value.get("interval_in_days") not in REMINDER_INTERVALS:
        raise bad("reminder_settings.interval_in_days", "The value must be one of 1, 2, 7, 14.")
    occurrences = value.get("max_occurrences")
    if not isinstance(occurrences, int) or not 1 <= occurrences <= 10:
        raise bad("reminder_settings.max_occurrences", "This value should be between 1 and 10.")
    return {"interval_in_days": value["interval_in_days"], "max_occurrences": occurrences}


def _external_id(body: dict[str, Any]) -> str | None:
    value = _text(body, "external_id", "external_id", low=1, high=255, required=False)
    if value is not None and not EXTERNAL_ID_RE.match(value):
        raise bad("external_id", "This value is not valid (allowed: letters, digits, - _ @ . % +).")
    return value


def _signer_info(body: dict[str, Any], mode: str | None) -> dict[str, Any]:
    info = body.get("info")
    if not isinstance(info, dict):
        raise bad("info", "This value should not be blank.")
    _reject_unknown(info, INFO_KEYS, "info.")
    for key in ("first_name", "last_name"):
        value = _text(info, key, f"info.{key}", low=1, high=255, required=True)
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
    _choice(info, "locale", "info.locale", SIGNER_LOCALES, required=True)
    return {k: info.get(k) for k in ("first_name", "last_name", "email", "phone_number", "locale")}


class FieldRules:
    """Field checks against the documents of one request; bounds use each page's real size."""

    def __init__(self, sr: dict[str, Any], strict_bounds: bool) -> None:
        self.documents = {d["id"]: d for d in sr["_documents"]}
        self.strict_bounds = strict_bounds

    def check_all(self, fields: Any) -> list[dict[str, Any]]:
        if fields is None:
            return []
        if not isinstance(fields, list):
            raise bad("fields", "This value should be of type array.")
        return [self.check(field, f"fields[{i}]") for i, field in enumerate(fields)]

    def check(self, field: Any, path: str) -> dict[str, Any]:
        if not isinstance(field, dict):
            raise bad(path, "This value should be of type object.")
        _reject_unknown(field, FIELD_KEYS, f"{path}.")
        document = self.documents.get(field.get("document_id"))
        if document is None:
            raise bad(f"{path}.document_id", "This document does not belong to the signature request.")
        pages = document["_pages"]
        page = _integer(field, "page", path, 1, len(pages), None)
        out = {"id": new_id(), "document_id": document["id"], "type": field.get("type"), "page": page}
        out["x"] = _integer(field, "x", path, 0, 32767, None)
        out["y"] = _integer(field, "y", path, 0, 32767, None)
        if field.get("type") == "signature":
            out["width"] = _integer(field, "width", path, 85, 2000, 85)
            out["height"] = _integer(field, "height", path, 37, 1000, 37)
            out["reason"] = field.get("reason")
        elif field.get("type") == "mention":
            out["mention"] = _text(field, "mention", f"{path}.mention", low=1, high=255, required=True)
            out["width"] = _integer(field, "width", path, 24, 32767, 24 + 5 * len(out["mention"] or ""))
            out["height"] = _integer(field, "height", path, 1, 32767, 15)
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


# ---- the state -----------------------------------------------------------------------------------------------


class YouSignState(PlannedState):
    """Signature requests of every workspace, with their PDFs (base64), audit events and autopilot plans."""

    records_key = "requests"
    live_status = "ongoing"
    expires_key = "expiration_date"

    @property
    def requests(self) -> dict[str, dict[str, Any]]:
        return self.records

    def perform(self, sr: dict[str, Any], plan: dict[str, Any]) -> None:
        signer = self.signer(sr, plan["actor"])
        if signer["status"] != "notified":
            return
        if plan["action"] == "decline" and sr["signers_allowed_to_decline"]:
            self.decline(sr, signer, plan["reason"])
        else:
            self.sign(sr, signer)

    def chores_due(self, sr: dict[str, Any]) -> datetime | None:
        """Automatic reminders of `reminder_settings`, counted from activation."""
        settings = sr.get("reminder_settings")
        if not settings or sr["_auto_reminders"] >= settings["max_occurrences"]:
            return None
        interval = timedelta(days=settings["interval_in_days"])
        return datetime.fromisoformat(sr["_activated_at"]) + interval * (sr["_auto_reminders"] + 1)

    def chores(self, sr: dict[str, Any], now: datetime) -> None:
        due = self.chores_due(sr)
        if due is not None and now >= due:
            sr["_auto_reminders"] += 1
            for signer in sr["signers"]:
                if signer["status"] == "notified":
                    self.remind(sr, signer, automatic=True)

    # -- lookups

    def get(self, sr_id: str, workspace: str) -> dict[str, Any]:
        sr = self.requests.get(sr_id)
        if sr is None or sr["workspace_id"] != workspace:
            raise not_found("Signature request")
        return sr

    def signer(self, sr: dict[str, Any], signer_id: str) -> dict[str, Any]:
        for signer in sr["signers"]:
            if signer["id"] == signer_id:
                return signer
        raise not_found("Signer")

    def document(self, sr: dict[str, Any], document_id: str) -> dict[str, Any]:
        for document in sr["_documents"]:
            if document["id"] == document_id:
                return document
        raise not_found("Document")

    # -- events the outside world causes

    def log(self, sr: dict[str, Any], event: str, signer_id: str | None = None, ip: str = "") -> None:
        sr["_events"].append({"at": iso(self.now()), "event": event, "signer_id": signer_id, "ip": ip})

    def mail(self, sr: dict[str, Any], to: str, subject: str, body: str) -> None:
        self.ctx.outbox.send(self.ctx.clock, PROVIDER, "email", to, subject, body, ref=sr["id"])

    def activate(self, sr: dict[str, Any]) -> None:
        sr["status"] = "ongoing"
        sr["_activated_at"] = iso(self.now())
        self.log(sr, "signature_request.activated")
        waiting = sr["signers"][:1] if sr["ordered_signers"] else sr["signers"]
        for signer in waiting:
            self.notify(sr, signer)
        self.schedule(sr)

    def notify(self, sr: dict[str, Any], signer: dict[str, Any]) -> None:
        signer["status"] = "notified"
        signer["signature_link"] = f"https://yousign.app/signatures/{sr['id']}?s={secrets.token_urlsafe(12)}"
        signer["signature_link_expiration_date"] = iso(self.now() + timedelta(hours=48))
        self.log(sr, "signer.notified", signer["id"])
        if sr["delivery_mode"] == "email" and signer.get("delivery_mode") != "none":
            note = f"\n\n{sr['email_custom_note']}" if sr.get("email_custom_note") else ""
            self.mail(
                sr,
                signer["info"]["email"],
                f"Document à signer : {sr['name']}",
                f"Bonjour {signer['info']['first_name']},\n\nMerci de signer « {sr['name']} » : "
                f"{signer['signature_link']}{note}",
            )
        plan = autopilot_plan(self.ctx, signer["id"])
        if plan:
            sr["_plans"].append(plan)
            self.schedule(sr)

    def remind(self, sr: dict[str, Any], signer: dict[str, Any], *, automatic: bool = False) -> None:
        self.log(sr, "signature_request.reminder_executed", signer["id"])
        self.mail(
            sr,
            signer["info"]["email"],
            f"Rappel : document à signer : {sr['name']}",
            f"Bonjour {signer['info']['first_name']},\n\n« {sr['name']} » attend toujours votre signature : "
            f"{signer['signature_link']}" + ("\n\n(rappel automatique)" if automatic else ""),
        )

    def sign(self, sr: dict[str, Any], signer: dict[str, Any]) -> None:
        if signer["signature_authentication_mode"] == "otp_sms":
            code = f"{secrets.randbelow(10**6):06d}"
            self.ctx.outbox.send(
                self.ctx.clock, PROVIDER, "sms", signer["info"]["phone_number"],
                "Code de signature", f"Votre code Yousign : {code}", ref=sr["id"],
            )  # fmt: skip
        self.log(sr, "signer.verified", signer["id"], SIGNER_IP)
        signer["status"] = "signed"
        signer["_signed_at"] = iso(self.now())
        self.log(sr, "signer.done", signer["id"], SIGNER_IP)
        following = [s for s in sr["signers"] if s["status"] == "initiated"]
        if sr["ordered_signers"] and following:
            self.notify(sr, following[0])
        elif all(s["status"] == "signed" for s in sr["signers"]):
            self.complete(sr)

    def complete(self, sr: dict[str, Any]) -> None:
        sr["status"] = "done"
        for document in sr["_documents"]:
            if document["nature"] == "signable_document":
                signed = stamp_pdf(b64decode(document["_pdf"]), self._stamps(sr, document["id"]))
                document["_signed"] = b64encode(signed)
                document["is_signed"] = True
        self.log(sr, "signature_request.done")
        for signer in sr["signers"]:
            self.mail(sr, signer["info"]["email"], f"Document signé : {sr['name']}",
                      f"Bonjour {signer['info']['first_name']},\n\nTous les signataires ont signé.")  # fmt: skip

    def _stamps(self, sr: dict[str, Any], document_id: str) -> list[Stamp]:
        stamps = []
        for signer in sr["signers"]:
            name = f"{signer['info']['first_name']} {signer['info']['last_name']}"
            when = datetime.fromisoformat(signer["_signed_at"]).strftime("%d/%m/%Y %H:%M UTC")
            for field in signer["fields"]:
                if field["document_id"] == document_id and field["type"] == "signature":
                    lines = ("Signé électroniquement par", name, f"le {when} (sandbox)")
                    stamps.append(
                        Stamp(field["page"], field["x"], field["y"], field["width"], field["height"], lines)
                    )
        return stamps

    def decline(self, sr: dict[str, Any], signer: dict[str, Any], reason: str) -> None:
        signer["status"] = "declined"
        sr["status"] = "declined"
        sr["decline_information"] = {
            "signer_id": signer["id"],
            "reason": reason,
            "declined_at": iso(self.now()),
        }
        self._abort_others(sr)
        self.log(sr, "signer.declined", signer["id"], SIGNER_IP)

    def cancel(self, sr: dict[str, Any], reason: str, note: str | None) -> None:
        sr["status"] = "canceled"
        sr["_cancel"] = {"reason": reason, "custom_note": note, "at": iso(self.now())}
        self._abort_others(sr)
        self.log(sr, "signature_request.canceled")

    def expire(self, sr: dict[str, Any]) -> None:
        sr["status"] = "expired"
        sr["_plans"] = []
        self.log(sr, "signature_request.expired")

    def _abort_others(self, sr: dict[str, Any]) -> None:
        sr["_plans"] = []
        for other in sr["signers"]:
            if other["status"] in {"initiated", "notified"}:
                other["status"] = "aborted"


# ---- representations -------------------------------------------------------------------------------------------


def sr_view(sr: dict[str, Any], *, activated: bool = False) -> dict[str, Any]:
    view = _public(sr)
    keys = (
        ("id", "status", "signature_link", "signature_link_expiration_date")
        if activated
        else ("id", "status")
    )
    view["signers"] = [{k: s[k] for k in keys} for s in sr["signers"]]
    view["documents"] = [{"id": d["id"], "nature": d["nature"]} for d in sr["_documents"]]
    return view


def signer_view(signer: dict[str, Any]) -> dict[str, Any]:
    return _public(signer)


def document_view(document: dict[str, Any]) -> dict[str, Any]:
    return _public(document)


def _created(payload: dict[str, Any]) -> Response:
    return JSONResponse(payload, status_code=201)


# ---- the API ---------------------------------------------------------------------------------------------------


class YouSignApi:
    """One method per documented endpoint; each reads and writes `YouSignState`."""

    def __init__(self, state: YouSignState) -> None:
        self.state = state

    # -- helpers

    def _sr(self, request: Request) -> dict[str, Any]:
        return self.state.get(request.path_params["sr_id"], request.state.account["workspace"])

    def _draft(self, request: Request) -> dict[str, Any]:
        sr = self._sr(request)
        if sr["status"] != "draft":
            raise bad("status", f"The signature request must be in draft status (it is {sr['status']}).")
        return sr

    def _writer(self, request: Request) -> None:
        if request.state.account.get("scope") != "full":
            raise Refusal(403, {"type": "forbidden", "detail": "This API key is read-only."})

    async def _body(self, request: Request) -> dict[str, Any]:
        body = await json_object(request)
        if body is None:
            raise bad("body", "The request body must be a JSON object.")
        return body

    # -- signature requests

    async def create(self, request: Request) -> Response:
        self._writer(request)
        body = await self._body(request)
        _reject_unknown(body, CREATE_KEYS)
        unsupported = sorted(NOT_SIMULATED & body.keys())
        if unsupported:
            raise bad(unsupported[0], "Not simulated by the lsc-tui sandbox: upload documents, add signers.")
        workspace = request.state.account["workspace"]
        if body.get("workspace_id") not in (None, workspace):
            raise bad("workspace_id", "Workspace not found.")
        tz = _timezone(body)
        sr = {
            "id": new_id(),
            "status": "draft",
            "name": _text(body, "name", "name", low=1, high=128, required=True),
            "delivery_mode": _choice(body, "delivery_mode", "delivery_mode", DELIVERY_MODES, required=True),
            "created_at": iso(self.state.now()),
            "ordered_signers": _flag(body, "ordered_signers"),
            "ordered_approvers": _flag(body, "ordered_approvers"),
            "reminder_settings": _reminder_settings(body),
            "timezone": tz,
            "email_custom_note": _text(body, "email_custom_note", "email_custom_note", low=0, high=500,
                                       required=False),
            "expiration_date": _expiration(body, tz, self.state.now()),
            "source": "public_api",
            "external_id": _external_id(body),
            "signers_allowed_to_decline": _flag(body, "signers_allowed_to_decline"),
            "audit_trail_locale": _choice(body, "audit_trail_locale", "audit_trail_locale", AUDIT_LOCALES,
                                          required=False),
            "workspace_id": workspace,
            "approvers": [], "labels": [], "sender": None, "branding_id": None, "custom_experience_id": None,
            "email_notification": None, "bulk_send_batch_id": None, "decline_information": None,
            "_documents": [], "_events": [], "_plans": [], "_auto_reminders": 0, "signers": [],
        }  # fmt: skip
        self.state.requests[sr["id"]] = sr
        self.state.log(sr, "signature_request.created", ip=request.client.host if request.client else "")
        return _created(sr_view(sr))

    async def listing(self, request: Request) -> Response:
        query = request.query_params
        workspace = request.state.account["workspace"]
        try:
            limit = max(1, min(100, int(query.get("limit", "100"))))
            offset = int(query.get("after") or 0)
        except ValueError as exc:
            raise bad("after", "Invalid cursor or limit.") from exc
        selected = list(filter(_matcher(query, workspace), self.state.requests.values()))
        selected.sort(key=lambda sr: (sr["created_at"], sr["id"]), reverse=True)
        page = selected[offset : offset + limit]
        cursor = str(offset + limit) if offset + limit < len(selected) else None
        return JSONResponse({"meta": {"next_cursor": cursor}, "data": [sr_view(sr) for sr in page]})

    async def fetch(self, request: Request) -> Response:
        return JSONResponse(sr_view(self._sr(request)))

    async def delete(self, request: Request) -> Response:
        self._writer(request)
        sr = self._sr(request)
        if sr["status"] in ACTIVE:
            raise bad("status", f"A signature request in {sr['status']} status cannot be deleted; cancel it.")
        if request.query_params.get("permanent_delete", "false").lower() == "true":
            del self.state.requests[sr["id"]]
        else:
            sr["status"] = "deleted"
            self.state.log(sr, "signature_request.deleted")
        return Response(status_code=204)

    async def activate(self, request: Request) -> Response:
        self._writer(request)
        sr = self._draft(request)
        if not any(d["nature"] == "signable_document" for d in sr["_documents"]):
            raise bad("documents", "At least one signable document is required to activate.")
        if not sr["signers"]:
            raise bad("signers", "At least one signer is required to activate.")
        for i, signer in enumerate(sr["signers"]):
            if not any(f["type"] == "signature" for f in signer["fields"]):
                raise bad(f"signers[{i}].fields", "Each signer needs at least one signature field.")
        self.state.activate(sr)
        return _created(sr_view(sr, activated=True))

    async def cancel(self, request: Request) -> Response:
        self._writer(request)
        sr = self._sr(request)
        body = await self._body(request)
        _reject_unknown(body, {"reason", "custom_note"})
        reason = _choice(body, "reason", "reason", CANCEL_REASONS, required=True) or ""
        note = _text(body, "custom_note", "custom_note", low=0, high=500, required=False)
        if sr["status"] not in ACTIVE:
            raise bad("status", f"Only approval or ongoing requests can be canceled (it is {sr['status']}).")
        self.state.cancel(sr, reason, note)
        return _created(sr_view(sr))

    # -- documents

    async def upload(self, request: Request) -> Response:
        self._writer(request)
        sr = self._draft(request)
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise bad("file", "This value should not be blank (multipart part `file`).")
        nature = _choice(dict(form), "nature", "nature", NATURES, required=True)
        if len(sr["_documents"]) >= 50:
            raise bad("documents", "A signature request holds at most 50 documents.")
        data = await upload.read()
        if len(data) > 50 * 1024 * 1024:
            raise bad("file", "The file is larger than 50 MB.")
        if not data.startswith(b"%PDF"):
            raise Refusal(415, {"type": "unsupported_media_type", "detail": "file: only PDF is simulated."})
        try:
            sizes = page_sizes(data)
        except UnreadablePdf as exc:
            raise bad("file", f"The PDF cannot be read ({exc}).") from exc
        name = form.get("name")
        document = {
            "id": new_id(),
            "filename": name if isinstance(name, str) and name else upload.filename or "document.pdf",
            "nature": nature,
            "content_type": "application/pdf",
            "sha256": sha256(data).hexdigest(),
            "is_protected": False,
            "is_signed": False,
            "created_at": iso(self.state.now()),
            "total_pages": len(sizes),
            "is_locked": False,
            "initials": None,
            "total_anchors": 0,
            "_pages": [list(size) for size in sizes],
            "_pdf": b64encode(data),
        }
        sr["_documents"].append(document)
        return _created(document_view(document))

    async def documents(self, request: Request) -> Response:
        sr = self._sr(request)
        nature = request.query_params.get("nature[eq]")
        return JSONResponse([document_view(d) for d in sr["_documents"] if nature in (None, d["nature"])])

    async def download_all(self, request: Request) -> Response:
        sr = self._sr(request)
        version = request.query_params.get("version", "current")
        if version not in {"current", "completed"}:
            raise bad("version", "The value must be current or completed.")
        if version == "completed" and sr["status"] != "done":
            raise bad("status", "The completed version exists only once the signature request is done.")
        files = {d["filename"]: _current_pdf(d) for d in sr["_documents"]}
        if not files:
            raise not_found("Document")
        if len(files) == 1 and request.query_params.get("archive", "false").lower() != "true":
            name, data = next(iter(files.items()))
            return pdf_response(data, name)
        return zip_response(files, f"{sr['id']}.zip")

    async def download_one(self, request: Request) -> Response:
        document = self.state.document(self._sr(request), request.path_params["document_id"])
        return pdf_response(_current_pdf(document), document["filename"])

    # -- signers

    async def add_signer(self, request: Request) -> Response:
        self._writer(request)
        sr = self._draft(request)
        body = await self._body(request)
        _reject_unknown(body, SIGNER_KEYS)
        if "user_id" in body or "contact_id" in body:
            raise bad("info", "user_id and contact_id are not simulated by the lsc-tui sandbox: send info.")
        mode = _choice(body, "signature_authentication_mode", "signature_authentication_mode", AUTH_MODES,
                       required=False)  # fmt: skip
        signer = {
            "id": new_id(),
            "info": _signer_info(body, mode),
            "status": "initiated",
            "signature_level": _choice(body, "signature_level", "signature_level", LEVELS, required=True),
            "signature_authentication_mode": mode,
            "delivery_mode": _choice(body, "delivery_mode", "delivery_mode", DELIVERY_MODES, required=False),
            "redirect_urls": body.get("redirect_urls"),
            "custom_text": body.get("custom_text"),
            "signature_link": None,
            "signature_link_expiration_date": None,
            "signature_image_preview": None,
            "identification_attestation_id": None,
            "sms_notification": body.get("sms_notification"),
            "email_notification": body.get("email_notification"),
            "pre_identity_verification_required": bool(body.get("pre_identity_verification_required")),
        }
        strict = self.state.ctx.accounts.get(PROVIDER, {}).get("strict_field_bounds", True)
        signer["fields"] = FieldRules(sr, strict).check_all(body.get("fields"))
        if len(sr["signers"]) >= 100:
            raise bad("signers", "A signature request holds at most 100 signers.")
        sr["signers"].append(signer)
        return _created(signer_view(signer))

    async def signers(self, request: Request) -> Response:
        return JSONResponse([signer_view(s) for s in self._sr(request)["signers"]])

    async def signer(self, request: Request) -> Response:
        return JSONResponse(
            signer_view(self.state.signer(self._sr(request), request.path_params["signer_id"]))
        )

    async def send_reminder(self, request: Request) -> Response:
        self._writer(request)
        sr = self._sr(request)
        signer = self.state.signer(sr, request.path_params["signer_id"])
        if sr["status"] != "ongoing" or signer["status"] != "notified":
            raise bad("status", "Reminders need an ongoing request and a notified signer.")
        self.state.remind(sr, signer)
        return Response(status_code=201)

    # -- audit trails

    async def signer_audit(self, request: Request) -> Response:
        sr = self._sr(request)
        signer = self._signed_signer(sr, request.path_params["signer_id"])
        return JSONResponse(_audit_json(sr, signer))

    async def signer_audit_pdf(self, request: Request) -> Response:
        sr = self._sr(request)
        signer = self._signed_signer(sr, request.path_params["signer_id"])
        return pdf_response(_audit_pdf(sr, [signer]), f"audit_trail_{signer['id']}.pdf")

    async def audit_pdf(self, request: Request) -> Response:
        sr = self._sr(request)
        if sr["status"] != "done":
            raise bad("status", "Audit trails are available once the signature request is done.")
        if request.query_params.get("merge", "false").lower() == "true":
            return pdf_response(_audit_pdf(sr, sr["signers"]), f"audit_trails_{sr['id']}.pdf")
        files = {f"audit_trail_{s['id']}.pdf": _audit_pdf(sr, [s]) for s in sr["signers"]}
        return zip_response(files, f"audit_trails_{sr['id']}.zip")

    def _signed_signer(self, sr: dict[str, Any], signer_id: str) -> dict[str, Any]:
        signer = self.state.signer(sr, signer_id)
        if signer["status"] != "signed":
            raise bad("status", "The audit trail exists once the signer has signed.")
        return signer


def _current_pdf(document: dict[str, Any]) -> bytes:
    return b64decode(document.get("_signed") or document["_pdf"])


Record = dict[str, Any]

FILTERS: dict[str, Callable[[str], Callable[[Record], bool]]] = {
    "status[eq]": lambda v: lambda sr: sr["status"] == v,
    "status[in]": lambda v: lambda sr: sr["status"] in v.split(","),
    "external_id[eq]": lambda v: lambda sr: sr["external_id"] == v,
    "created_at[after]": lambda v: lambda sr: sr["created_at"][:10] > v,
    "created_at[before]": lambda v: lambda sr: sr["created_at"][:10] < v,
    "created_at[eq]": lambda v: lambda sr: sr["created_at"][:10] == v,
    "created_at[between]": lambda v: lambda sr: v.split(",")[0] <= sr["created_at"][:10] <= v.split(",")[-1],
    "q": lambda v: lambda sr: v.lower() in sr["name"].lower(),
}  # the bracket filters of `GET /signature_requests` the fake supports


def _matcher(query: Any, workspace: str) -> Callable[[Record], bool]:
    """Built once per listing: the checks the query asks for, nothing else, run on each request."""
    checks = [make(query[key]) for key, make in FILTERS.items() if key in query]
    return lambda sr: sr["workspace_id"] == workspace and all(check(sr) for check in checks)


def _audit_json(sr: dict[str, Any], signer: dict[str, Any]) -> dict[str, Any]:
    return {
        "version": 1,
        "signature_request": {"id": sr["id"], "name": sr["name"], "external_id": sr["external_id"]},
        "sender": None,
        "signer": {**signer["info"], "id": signer["id"], "signed_at": signer.get("_signed_at")},
        "documents": [
            {"id": d["id"], "name": d["filename"], "sha256": d["sha256"]} for d in sr["_documents"]
        ],
        "organization": None,
        "authentication": {"mode": signer["signature_authentication_mode"]},
        "electronic_signature_level": signer["signature_level"],
        "events": [e for e in sr["_events"] if e["signer_id"] in (None, signer["id"])],
    }


def _audit_pdf(sr: dict[str, Any], signers: list[dict[str, Any]]) -> bytes:
    names = {s["id"]: f"{s['info']['first_name']} {s['info']['last_name']}" for s in sr["signers"]}
    wanted = {s["id"] for s in signers}
    lines = [f"Demande : {sr['name']} ({sr['id']})", f"Référence : {sr['external_id'] or '-'}", ""]
    lines += [f"Document {d['filename']} - SHA-256 {d['sha256']}" for d in sr["_documents"]]
    lines.append("")
    for event in sr["_events"]:
        if event["signer_id"] is None or event["signer_id"] in wanted:
            who = names.get(event["signer_id"] or "", "")
            lines.append(f"{event['at']}  {event['event']}  {who}  {event['ip']}".rstrip())
    return report_pdf("Dossier de preuve (sandbox YouSign)", lines)


# ---- control routes (not part of YouSign) -------------------------------------------------------------------


class YouSignControl:
    """`/_sandbox/...`: move a simulation on as a signer would, without any key."""

    def __init__(self, state: YouSignState) -> None:
        self.state = state

    def _sr(self, request: Request) -> dict[str, Any]:
        sr = self.state.requests.get(request.path_params["sr_id"])
        if sr is None:
            raise Refusal(404, {"error": "signature request not found"})
        return sr

    def _acting(self, request: Request) -> tuple[dict[str, Any], dict[str, Any]]:
        sr = self._sr(request)
        signer = self.state.signer(sr, request.path_params["signer_id"])
        if sr["status"] != "ongoing" or signer["status"] != "notified":
            raise Refusal(409, {"error": f"request {sr['status']}, signer {signer['status']}: cannot act"})
        return sr, signer

    async def sign(self, request: Request) -> Response:
        sr, signer = self._acting(request)
        self.state.sign(sr, signer)
        return JSONResponse(sr_view(sr))

    async def decline(self, request: Request) -> Response:
        sr, signer = self._acting(request)
        if not sr["signers_allowed_to_decline"]:
            return control_error(409, "signers_allowed_to_decline is false for this request")
        body = await json_object(request) or {}
        self.state.decline(sr, signer, str(body.get("reason") or "Refus sans motif."))
        return JSONResponse(sr_view(sr))

    async def expire(self, request: Request) -> Response:
        sr = self._sr(request)
        if sr["status"] not in ACTIVE:
            return control_error(409, f"request {sr['status']}: cannot expire")
        self.state.expire(sr)
        return JSONResponse(sr_view(sr))


# ---- wiring --------------------------------------------------------------------------------------------------


def _state(ctx: SandboxContext) -> YouSignState:
    state = ctx.providers.get(PROVIDER)
    if not isinstance(state, YouSignState):
        state = YouSignState(ctx)
        ctx.register(PROVIDER, state)
    return state


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        return JSONResponse({"message": "Method Not Allowed"}, status_code=405)
    return JSONResponse({"type": "not_found_error", "detail": "Route not found"}, status_code=exc.status_code)


def build(ctx: SandboxContext) -> Starlette:
    """The API app, mounted at `/yousign/v3`."""
    api = YouSignApi(_state(ctx))
    gate = Gate(ctx, PROVIDER, _bearer, _unauthorized, _too_many, _quota_headers)
    sr = "/signature_requests/{sr_id}"
    signer = sr + "/signers/{signer_id}"
    table = [
        ("/signature_requests", api.create, "POST"),
        ("/signature_requests", api.listing, "GET"),
        (sr, api.fetch, "GET"),
        (sr, api.delete, "DELETE"),
        (sr + "/activate", api.activate, "POST"),
        (sr + "/cancel", api.cancel, "POST"),
        (sr + "/documents", api.upload, "POST"),
        (sr + "/documents", api.documents, "GET"),
        (sr + "/documents/download", api.download_all, "GET"),
        (sr + "/documents/{document_id}/download", api.download_one, "GET"),
        (sr + "/signers", api.add_signer, "POST"),
        (sr + "/signers", api.signers, "GET"),
        (signer, api.signer, "GET"),
        (signer + "/send_reminder", api.send_reminder, "POST"),
        (signer + "/audit_trails", api.signer_audit, "GET"),
        (signer + "/audit_trails/download", api.signer_audit_pdf, "GET"),
        (sr + "/audit_trails/download", api.audit_pdf, "GET"),
    ]
    routes = [Route(path, gate(handler), methods=[method]) for path, handler, method in table]
    return Starlette(routes=routes, exception_handlers={HTTPException: _http_error})


def build_control(ctx: SandboxContext) -> Starlette:
    """Control routes, mounted at `/yousign` → `/yousign/_sandbox/...`."""
    control = YouSignControl(_state(ctx))
    sr = "/_sandbox/signature_requests/{sr_id}"
    routes = [
        Route(sr + "/signers/{signer_id}/sign", answering(control.sign), methods=["POST"]),
        Route(sr + "/signers/{signer_id}/decline", answering(control.decline), methods=["POST"]),
        Route(sr + "/expire", answering(control.expire), methods=["POST"]),
        *control_routes(ctx, PROVIDER),
    ]
    return Starlette(routes=routes)
