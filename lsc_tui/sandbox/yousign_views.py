"""What the fake YouSign answers: records shaped as YouSign's schemas (internal `_` keys never leave),
and the audit trails (JSON, PDF) built from a request's events."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

from lsc_tui.sandbox.pdfinfo import report_pdf
from lsc_tui.sandbox.signing import (
    b64decode,
)


def public(record: dict[str, Any]) -> dict[str, Any]:
    """Internal keys start with `_` (PDF bytes, plans, audit events) and never leave the fake."""
    return {k: v for k, v in record.items() if not k.startswith("_")}


# SignatureRequestActivated carries these and no more (no source, sender, workspace, notifications).
ACTIVATED_KEYS = (
    "id", "status", "name", "delivery_mode", "created_at", "ordered_signers", "ordered_approvers",
    "reminder_settings", "timezone", "email_custom_note", "expiration_date", "signers", "approvers", "labels",
    "documents", "external_id", "branding_id", "custom_experience_id", "audit_trail_locale",
)  # fmt: skip
NOT_IN_LIST = ("email_notification", "decline_information")  # SignatureRequestInList lacks them


def sr_view(sr: dict[str, Any]) -> dict[str, Any]:
    """SignatureRequest: signers and documents as `{id, status}` / `{id, nature}` references."""
    view = public(sr)
    view["signers"] = [{"id": s["id"], "status": s["status"]} for s in sr["signers"]]
    view["documents"] = [{"id": d["id"], "nature": d["nature"]} for d in sr["_documents"]]
    return view


def sr_in_list_view(sr: dict[str, Any]) -> dict[str, Any]:
    """An item of `GET /signature_requests`: no decline reason there, it is read from the request itself."""
    view = sr_view(sr)
    for key in NOT_IN_LIST:
        view.pop(key)
    return view


def sr_activated_view(sr: dict[str, Any]) -> dict[str, Any]:
    """The answer to `activate`: each signer with the link to sign."""
    view = {key: value for key, value in sr_view(sr).items() if key in ACTIVATED_KEYS}
    keys = ("id", "status", "signature_link", "signature_link_expiration_date")
    view["signers"] = [{k: s[k] for k in keys} for s in sr["signers"]]
    return view


def signer_view(signer: dict[str, Any]) -> dict[str, Any]:
    return public(signer)


def document_view(document: dict[str, Any]) -> dict[str, Any]:
    return public(document)


def created(payload: dict[str, Any]) -> Response:
    return JSONResponse(payload, status_code=201)


def current_pdf(document: dict[str, Any]) -> bytes:
    return b64decode(document.get("_signed") or document["_pdf"])


def audit_json(sr: dict[str, Any], signer: dict[str, Any]) -> dict[str, Any]:
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


def audit_pdf(sr: dict[str, Any], signers: list[dict[str, Any]]) -> bytes:
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
