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


def sr_view(sr: dict[str, Any], *, activated: bool = False) -> dict[str, Any]:
    view = public(sr)
    keys = (
        ("id", "status", "signature_link", "signature_link_expiration_date")
        if activated
        else ("id", "status")
    )
    view["signers"] = [{k: s[k] for k in keys} for s in sr["signers"]]
    view["documents"] = [{"id": d["id"], "nature": d["nature"]} for d in sr["_documents"]]
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
