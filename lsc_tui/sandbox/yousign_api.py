"""The fake YouSign's documented endpoints (yousign.md §4–§5), one method each, over `YouSignState`."""

from __future__ import annotations

from collections.abc import Callable
from hashlib import sha256
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from lsc_tui.sandbox.pdfinfo import UnreadablePdf, page_sizes
from lsc_tui.sandbox.signing import (
    Refusal,
    b64encode,
    iso,
    json_object,
    new_id,
    pdf_response,
    zip_response,
)
from lsc_tui.sandbox.yousign_rules import (
    ACTIVE,
    AUDIT_LOCALES,
    AUTH_MODES,
    CANCEL_REASONS,
    CREATE_KEYS,
    DEFAULT_AUDIT_LOCALE,
    DELIVERY_MODES,
    LEVELS,
    NATURES,
    NOT_SIMULATED,
    SIGNER_KEYS,
    SIGNER_OBJECTS,
    SR_EMAIL_NOTIFICATION,
    FieldRules,
    bad,
    choice,
    expiration,
    external_id,
    flag,
    not_found,
    obj,
    reject_unknown,
    reminder_settings,
    signer_info,
    text,
    timezone,
)
from lsc_tui.sandbox.yousign_state import PROVIDER, YouSignState
from lsc_tui.sandbox.yousign_views import (
    audit_json,
    audit_pdf,
    created,
    current_pdf,
    document_view,
    signer_view,
    sr_activated_view,
    sr_in_list_view,
    sr_view,
)


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
        reject_unknown(body, CREATE_KEYS)
        unsupported = sorted(NOT_SIMULATED & body.keys())
        if unsupported:
            raise bad(unsupported[0], "Not simulated by the lsc-tui sandbox: upload documents, add signers.")
        workspace = request.state.account["workspace"]
        if body.get("workspace_id") not in (None, workspace):
            raise bad("workspace_id", "Workspace not found.")
        tz = timezone(body)
        sr = {
            "id": new_id(),
            "status": "draft",
            "name": text(body, "name", "name", low=1, high=128, required=True),
            "delivery_mode": choice(body, "delivery_mode", "delivery_mode", DELIVERY_MODES, required=True),
            "created_at": iso(self.state.now()),
            "ordered_signers": flag(body, "ordered_signers"),
            "ordered_approvers": flag(body, "ordered_approvers"),
            "reminder_settings": reminder_settings(body),
            "timezone": tz,
            "email_custom_note": text(body, "email_custom_note", "email_custom_note", low=0, high=500,
                                       required=False),
            "expiration_date": expiration(body, tz, self.state.now()),
            "source": "public_api",
            "external_id": external_id(body),
            "signers_allowed_to_decline": flag(body, "signers_allowed_to_decline"),
            "audit_trail_locale": choice(body, "audit_trail_locale", "audit_trail_locale", AUDIT_LOCALES,
                                          required=False) or DEFAULT_AUDIT_LOCALE,
            "workspace_id": workspace,
            "approvers": [], "labels": [], "sender": None, "branding_id": None, "custom_experience_id": None,
            "email_notification": obj(body, "email_notification", "email_notification", SR_EMAIL_NOTIFICATION),
            "bulk_send_batch_id": None, "decline_information": None,
            "_documents": [], "_events": [], "_plans": [], "_auto_reminders": 0, "signers": [],
        }  # fmt: skip
        self.state.requests[sr["id"]] = sr
        self.state.log(sr, "signature_request.created", ip=request.client.host if request.client else "")
        return created(sr_view(sr))

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
        data = [sr_in_list_view(sr) for sr in page]
        return JSONResponse({"meta": {"next_cursor": cursor}, "data": data})

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
        return created(sr_activated_view(sr))

    async def cancel(self, request: Request) -> Response:
        self._writer(request)
        sr = self._sr(request)
        body = await self._body(request)
        reject_unknown(body, {"reason", "custom_note"})
        reason = choice(body, "reason", "reason", CANCEL_REASONS, required=True) or ""
        note = text(body, "custom_note", "custom_note", low=0, high=500, required=False)
        if sr["status"] not in ACTIVE:
            raise bad("status", f"Only approval or ongoing requests can be canceled (it is {sr['status']}).")
        self.state.cancel(sr, reason, note)
        return created(sr_view(sr))

    async def reactivate(self, request: Request) -> Response:
        """An expired request gets a new expiration date and its waiting signers a new link (§4, §6)."""
        self._writer(request)
        sr = self._sr(request)
        body = await self._body(request)
        reject_unknown(body, {"expiration_date"})
        if "expiration_date" not in body:
            raise bad("expiration_date", "This value should not be blank.")
        until = expiration(body, sr["timezone"], self.state.now())
        if sr["status"] != "expired":
            raise bad("status", f"Only expired requests can be reactivated (it is {sr['status']}).")
        self.state.reactivate(sr, until)
        return created(sr_view(sr))

    # -- documents

    async def upload(self, request: Request) -> Response:
        self._writer(request)
        sr = self._draft(request)
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise bad("file", "This value should not be blank (multipart part `file`).")
        nature = choice(dict(form), "nature", "nature", NATURES, required=True)
        if len(sr["_documents"]) >= 50:
            raise bad("documents", "A signature request holds at most 50 documents.")
        data = await upload.read()
        if len(data) > 50 * 1024 * 1024:
            raise bad("file", "The file is larger than 50 MB.")
        if not data.startswith(
            b"%PDF"
        ):  # YouSign answers a file it cannot take with a 400 (ViolationResponse)
            raise bad(
                "file", "The file is not a PDF (DOCX conversion is not simulated by the lsc-tui sandbox)."
            )
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
        return created(document_view(document))

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
        files = {d["filename"]: current_pdf(d) for d in sr["_documents"]}
        if not files:
            raise not_found("Document")
        if len(files) == 1 and request.query_params.get("archive", "false").lower() != "true":
            name, data = next(iter(files.items()))
            return pdf_response(data, name)
        return zip_response(files, f"{sr['id']}.zip")

    async def download_one(self, request: Request) -> Response:
        document = self.state.document(self._sr(request), request.path_params["document_id"])
        return pdf_response(current_pdf(document), document["filename"])

    # -- signers

    async def add_signer(self, request: Request) -> Response:
        self._writer(request)
        sr = self._draft(request)
        body = await self._body(request)
        reject_unknown(body, SIGNER_KEYS)
        if "user_id" in body or "contact_id" in body:
            raise bad("info", "user_id and contact_id are not simulated by the lsc-tui sandbox: send info.")
        mode = choice(body, "signature_authentication_mode", "signature_authentication_mode", AUTH_MODES,
                       required=False)  # fmt: skip
        signer = {
            "id": new_id(),
            "info": signer_info(body, mode),
            "status": "initiated",
            "signature_level": choice(body, "signature_level", "signature_level", LEVELS, required=True),
            "signature_authentication_mode": mode,
            "delivery_mode": choice(body, "delivery_mode", "delivery_mode", DELIVERY_MODES, required=False),
            "signature_link": None,
            "signature_link_expiration_date": None,
            "signature_image_preview": None,
            "identification_attestation_id": None,
            "pre_identity_verification_required": bool(body.get("pre_identity_verification_required")),
        }
        signer.update({key: obj(body, key, key, shape) for key, shape in SIGNER_OBJECTS.items()})
        strict = self.state.ctx.accounts.get(PROVIDER, {}).get("strict_field_bounds", True)
        signer["fields"] = FieldRules(sr, strict, signer["id"]).check_all(body.get("fields"))
        if len(sr["signers"]) >= 100:
            raise bad("signers", "A signature request holds at most 100 signers.")
        sr["signers"].append(signer)
        return created(signer_view(signer))

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
        return JSONResponse(audit_json(sr, signer))

    async def signer_audit_pdf(self, request: Request) -> Response:
        sr = self._sr(request)
        signer = self._signed_signer(sr, request.path_params["signer_id"])
        return pdf_response(audit_pdf(sr, [signer]), f"audit_trail_{signer['id']}.pdf")

    async def audit_pdf(self, request: Request) -> Response:
        sr = self._sr(request)
        if sr["status"] != "done":
            raise bad("status", "Audit trails are available once the signature request is done.")
        if request.query_params.get("merge", "false").lower() == "true":
            return pdf_response(audit_pdf(sr, sr["signers"]), f"audit_trails_{sr['id']}.pdf")
        files = {f"audit_trail_{s['id']}.pdf": audit_pdf(sr, [s]) for s in sr["signers"]}
        return zip_response(files, f"audit_trails_{sr['id']}.zip")

    def _signed_signer(self, sr: dict[str, Any], signer_id: str) -> dict[str, Any]:
        signer = self.state.signer(sr, signer_id)
        if signer["status"] != "signed":
            raise bad("status", "The audit trail exists once the signer has signed.")
        return signer


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
