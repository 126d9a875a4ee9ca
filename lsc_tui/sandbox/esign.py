"""Fake ESign, written from docs/providers/esign.md (our own small, strict contract for the unnamed vendor).

Mounted at `/esign`: the API under `/v1/...`, control routes under `/_sandbox/...`. Errors are
`{"error": slug, "message": French text, "field": name | null}`; `reference` is an idempotency key per account.
The signer's journey is the one the source describes: email, SMS code (unless `sms_check` is false),
consent screen, acceptance; they may withdraw before accepting.
"""

from __future__ import annotations

import json
import re
import secrets
from datetime import UTC, datetime, timedelta
from hashlib import sha256
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lsc_tui.sandbox.context import SandboxContext
from lsc_tui.sandbox.pdfinfo import Stamp, UnreadablePdf, page_sizes, stamp_pdf
from lsc_tui.sandbox.signing import (
    Gate,
    PlannedState,
    Quota,
    Refusal,
    answering,
    autopilot_plan,
    b64decode,
    b64encode,
    control_routes,
    iso,
    json_object,
    new_id,
    pdf_response,
    zip_bytes,
)

PROVIDER = "esign"
SIGNER_IP = "198.51.100.23"  # TEST-NET-2: where the simulated signers sign from
PHONE_RE = re.compile(r"^\+[1-9][0-9]{7,14}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
STATUSES = {"sent", "signed", "refused", "expired", "cancelled"}
META_KEYS = {"title", "reference", "sms_check", "visible_signatures", "expires_in_days", "signers"}
SIGNER_KEYS = {"first_name", "last_name", "email", "phone", "boxes"}
BOX_KEYS = {"page", "x", "y", "width", "height"}
MIN_BOX = (40.0, 20.0)  # points: smaller boxes cannot hold a readable signature


def default_accounts() -> dict[str, Any]:
    """ESign section of the sandbox accounts, with a fresh random key (none is ever stored in the repo).

    Schema::

        {"api_keys": {"<key>": {"id": "<account id>", "name": "<account name>", "credits_left": 500}},
         "rate_limit": {"per_minute": 6000, "per_hour": 360000}}   # optional, these are the defaults

    One key is one account; an envelope costs one credit; `reference` is unique per account.
    """
    return {
        "api_keys": {
            secrets.token_urlsafe(24): {
                "id": new_id(),
                "name": "Cabinet Démo (sandbox ESign)",
                "credits_left": 500,
            }
        },
        "rate_limit": {"per_minute": 6000, "per_hour": 360000},
    }


# ---- errors in ESign's shape ---------------------------------------------------------------------------------


def invalid(field: str | None, message: str) -> Refusal:
    return Refusal(400, {"error": "validation_error", "message": message, "field": field})


def conflict(message: str, slug: str = "wrong_state") -> Refusal:
    return Refusal(409, {"error": slug, "message": message, "field": None})


def _unauthorized() -> Response:
    body = {"error": "unauthorized", "message": "Clé d'API absente ou invalide.", "field": None}
    return JSONResponse(body, status_code=401)


def _too_many(retry_after: int) -> Response:
    body = {"error": "rate_limited", "message": "Trop de requêtes : réessayez plus tard.", "field": None}
    return JSONResponse(body, status_code=429, headers={"Retry-After": str(retry_after)})


def _quota_headers(quota: Quota) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(quota.limit_minute),
        "X-RateLimit-Remaining": str(quota.remaining_minute),
    }


def _api_key(request: Request) -> str | None:
    return request.headers.get("x-api-key") or None


def _public(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if not k.startswith("_")}


# ---- meta validation -----------------------------------------------------------------------------------------


def _only(body: dict[str, Any], allowed: set[str], prefix: str) -> None:
    for key in body:
        if key not in allowed:
            raise invalid(f"{prefix}{key}", f"Champ inconnu : {prefix}{key}.")


def _string(body: dict[str, Any], key: str, field: str, high: int, *, required: bool = True) -> str | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > high:
        raise invalid(field, f"{field} : texte de 1 à {high} caractères attendu.")
    return value


def _boolean(body: dict[str, Any], key: str, default: bool) -> bool:
    value = body.get(key, default)
    if not isinstance(value, bool):
        raise invalid(key, f"{key} : vrai ou faux attendu.")
    return value


def _number(box: dict[str, Any], key: str, field: str) -> float:
    value = box.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
        raise invalid(f"{field}.{key}", f"{field}.{key} : nombre positif attendu.")
    return float(value)


def _box(box: Any, field: str, pages: list[list[float]]) -> dict[str, Any]:
    if not isinstance(box, dict):
        raise invalid(field, "Case de signature : objet attendu.")
    _only(box, BOX_KEYS, f"{field}.")
    page = box.get("page")
    if not isinstance(page, int) or isinstance(page, bool) or not 1 <= page <= len(pages):
        raise invalid(f"{field}.page", f"Case de signature : page de 1 à {len(pages)} attendue.")
    x, y = _number(box, "x", field), _number(box, "y", field)
    width, height = _number(box, "width", field), _number(box, "height", field)
    page_width, page_height = pages[page - 1]
    if width < MIN_BOX[0] or height < MIN_BOX[1]:
        raise invalid(
            field, f"Case de signature trop petite (au moins {MIN_BOX[0]:.0f} × {MIN_BOX[1]:.0f} points)."
        )
    if x + width > page_width or y + height > page_height:
        raise invalid(
            field, f"Case de signature hors de la page {page} ({page_width:.0f} × {page_height:.0f} points)."
        )
    return {"page": page, "x": x, "y": y, "width": width, "height": height}


def _signer(raw: Any, field: str, sms_check: bool, visible: bool, pages: list[list[float]]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise invalid(field, "Signataire : objet attendu.")
    _only(raw, SIGNER_KEYS, f"{field}.")
    first_name = _string(raw, "first_name", f"{field}.first_name", 100)
    last_name = _string(raw, "last_name", f"{field}.last_name", 100)
    email = raw.get("email")
    if not isinstance(email, str) or not EMAIL_RE.match(email):
        raise invalid(f"{field}.email", "Adresse e-mail du signataire invalide.")
    phone = raw.get("phone")
    if phone is not None and (not isinstance(phone, str) or not PHONE_RE.match(phone)):
        raise invalid(f"{field}.phone", "Numéro de mobile invalide : format international attendu (+33…).")
    if phone is None and sms_check:
        raise invalid(f"{field}.phone", "Numéro de mobile obligatoire quand le code SMS est demandé.")
    boxes = raw.get("boxes") or []
    if not isinstance(boxes, list) or (visible and not boxes):
        raise invalid(f"{field}.boxes", "Au moins une case de signature est attendue par signataire.")
    return {
        "id": new_id(),
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "phone": phone,
        "status": "waiting",
        "signed_at": None,
        "refusal_reason": None,
        "boxes": [_box(box, f"{field}.boxes[{j}]", pages) for j, box in enumerate(boxes)],
    }


def _meta(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, str):
        raise invalid("meta", "Partie « meta » (JSON) absente.")
    try:
        meta = json.loads(raw)
    except ValueError as exc:
        raise invalid("meta", "Partie « meta » : JSON invalide.") from exc
    if not isinstance(meta, dict):
        raise invalid("meta", "Partie « meta » : objet JSON attendu.")
    _only(meta, META_KEYS, "")
    return meta


async def _pdf_part(form: Any) -> tuple[bytes, list[list[float]]]:
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise invalid("file", "Fichier PDF absent (partie « file »).")
    data = await upload.read()
    try:
        return data, [list(size) for size in page_sizes(data)]
    except UnreadablePdf as exc:
        raise invalid("file", "Le fichier n'est pas un PDF lisible.") from exc


# ---- the state -----------------------------------------------------------------------------------------------


class ESignState(PlannedState):
    """Envelopes of every account, with their PDFs (base64), audit steps and autopilot plans."""

    records_key = "envelopes"
    live_status = "sent"
    expires_key = "expires_at"

    @property
    def envelopes(self) -> dict[str, dict[str, Any]]:
        return self.records

    def perform(self, envelope: dict[str, Any], plan: dict[str, Any]) -> None:
        signer = self.signer(envelope, plan["actor"])
        if signer["status"] == "signed":
            return
        if plan["action"] == "sign":
            self.sign(envelope, signer)
        else:
            self.withdraw(envelope, signer, plan["reason"])

    # -- lookups

    def get(self, envelope_id: str, account_key: str | None = None) -> dict[str, Any]:
        envelope = self.envelopes.get(envelope_id)
        if envelope is None or (account_key is not None and envelope["_account"] != account_key):
            raise Refusal(404, {"error": "not_found", "message": "Enveloppe introuvable.", "field": None})
        return envelope

    def signer(self, envelope: dict[str, Any], signer_id: str) -> dict[str, Any]:
        for signer in envelope["signers"]:
            if signer["id"] == signer_id:
                return signer
        raise Refusal(404, {"error": "not_found", "message": "Signataire introuvable.", "field": None})

    def by_reference(self, account_key: str, reference: str) -> dict[str, Any] | None:
        for envelope in self.envelopes.values():
            if envelope["_account"] == account_key and envelope["reference"] == reference:
                return envelope
        return None

    # -- what happens to an envelope

    def touch(self, envelope: dict[str, Any], step: str, signer_id: str | None = None, ip: str = "") -> None:
        """Every change is an audit step and moves `updated_at` (what `updated_since` lists on)."""
        now = self.now()
        envelope["updated_at"] = iso(now, precise=True)
        envelope["_audit"].append(
            {"at": iso(now, precise=True), "step": step, "signer_id": signer_id, "ip": ip}
        )

    def mail(self, envelope: dict[str, Any], signer: dict[str, Any], subject: str, body: str) -> None:
        self.ctx.outbox.send(
            self.ctx.clock, PROVIDER, "email", signer["email"], subject, body, ref=envelope["id"]
        )

    def open(self, envelope: dict[str, Any], caller_ip: str) -> None:
        self.touch(envelope, "envelope.created", ip=caller_ip)
        for signer in envelope["signers"]:
            link = f"https://esign.example/sign/{envelope['id']}/{signer['id']}"
            self.mail(envelope, signer, f"Document à signer : {envelope['title']}",
                      f"Bonjour {signer['first_name']},\n\nMerci de signer « {envelope['title']} » : {link}")  # fmt: skip
            self.touch(envelope, "email.sent", signer["id"])
            plan = autopilot_plan(self.ctx, signer["id"])
            if plan:
                envelope["_plans"].append(plan)
        self.schedule(envelope)

    def sign(self, envelope: dict[str, Any], signer: dict[str, Any]) -> None:
        """The whole journey at once: SMS code (if asked), consent, acceptance."""
        if envelope["sms_check"] and signer["status"] == "waiting":
            code = f"{secrets.randbelow(10**6):06d}"
            self.ctx.outbox.send(self.ctx.clock, PROVIDER, "sms", signer["phone"], "Code de signature",
                                 f"Votre code ESign : {code}", ref=envelope["id"])  # fmt: skip
            signer["status"] = "code_sent"
            self.touch(envelope, "code_sent", signer["id"], SIGNER_IP)
        signer["status"] = "consented"
        self.touch(envelope, "consented", signer["id"], SIGNER_IP)
        signer["status"] = "signed"
        signer["signed_at"] = iso(self.now())
        self.touch(envelope, "signed", signer["id"], SIGNER_IP)
        if all(s["status"] == "signed" for s in envelope["signers"]):
            self.complete(envelope)

    def complete(self, envelope: dict[str, Any]) -> None:
        envelope["status"] = "signed"
        envelope["completed_at"] = iso(self.now())
        stamps = [
            Stamp(box["page"], box["x"], box["y"], box["width"], box["height"],
                  ("Signé électroniquement par", f"{s['first_name']} {s['last_name']}", f"le {s['signed_at']}"))
            for s in envelope["signers"]
            for box in s["boxes"]
        ] if envelope["visible_signatures"] else []  # fmt: skip
        envelope["_signed"] = b64encode(stamp_pdf(b64decode(envelope["_pdf"]), stamps))
        envelope["_plans"] = []
        self.touch(envelope, "envelope.completed")

    def withdraw(self, envelope: dict[str, Any], signer: dict[str, Any], reason: str) -> None:
        signer["status"] = "withdrawn"
        signer["refusal_reason"] = reason
        envelope["status"] = "refused"
        envelope["refusal_reason"] = reason
        envelope["_plans"] = []
        self.touch(envelope, "withdrawn", signer["id"], SIGNER_IP)

    def expire(self, envelope: dict[str, Any]) -> None:
        envelope["status"] = "expired"
        envelope["_plans"] = []
        self.touch(envelope, "envelope.expired")

    def cancel(self, envelope: dict[str, Any], reason: str, caller_ip: str) -> None:
        envelope["status"] = "cancelled"
        envelope["cancel_reason"] = reason
        envelope["_plans"] = []
        self.touch(envelope, "envelope.cancelled", ip=caller_ip)

    def remind(self, envelope: dict[str, Any], caller_ip: str) -> None:
        for signer in envelope["signers"]:
            if signer["status"] != "signed":
                self.mail(envelope, signer, f"Rappel : document à signer : {envelope['title']}",
                          f"Bonjour {signer['first_name']},\n\n« {envelope['title']} » attend votre signature.")  # fmt: skip
        self.touch(envelope, "reminder.sent", ip=caller_ip)


def envelope_view(envelope: dict[str, Any]) -> dict[str, Any]:
    return _public(envelope)


def _created_view(envelope: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": envelope["id"],
        "status": envelope["status"],
        "created_at": envelope["created_at"],
        "signers": [{"id": s["id"], "status": s["status"]} for s in envelope["signers"]],
    }


def _caller_ip(request: Request) -> str:
    return request.client.host if request.client else ""


# ---- the API ---------------------------------------------------------------------------------------------------


class ESignApi:
    """The contract's endpoints, each reading and writing `ESignState`."""

    def __init__(self, state: ESignState) -> None:
        self.state = state

    def _envelope(self, request: Request) -> dict[str, Any]:
        return self.state.get(request.path_params["envelope_id"], request.state.key)

    def _sent(self, request: Request) -> dict[str, Any]:
        envelope = self._envelope(request)
        if envelope["status"] != "sent":
            raise conflict(
                f"L'enveloppe est « {envelope['status']} » : action possible seulement si « sent »."
            )
        return envelope

    async def account(self, request: Request) -> Response:
        account = request.state.account
        return JSONResponse(
            {"id": account["id"], "name": account["name"], "credits_left": account["credits_left"]}
        )

    async def create(self, request: Request) -> Response:
        form = await request.form()
        meta = _meta(form.get("meta"))
        reference = _string(meta, "reference", "reference", 100, required=False)
        existing = self.state.by_reference(request.state.key, reference) if reference else None
        if existing is not None:
            return JSONResponse(envelope_view(existing), status_code=200)
        data, pages = await _pdf_part(form)
        envelope = self._new_envelope(meta, reference, data, pages)
        account = request.state.account
        if account["credits_left"] <= 0:
            raise conflict("Crédit de signatures épuisé.", "no_credits")
        account["credits_left"] -= 1
        envelope["_account"] = request.state.key
        self.state.envelopes[envelope["id"]] = envelope
        self.state.open(envelope, _caller_ip(request))
        return JSONResponse(_created_view(envelope), status_code=201)

    def _new_envelope(
        self, meta: dict[str, Any], reference: str | None, data: bytes, pages: list[list[float]]
    ) -> dict[str, Any]:
        sms_check = _boolean(meta, "sms_check", False)
        visible = _boolean(meta, "visible_signatures", True)
        days = meta.get("expires_in_days", 15)
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 90:
            raise invalid("expires_in_days", "Durée de validité : de 1 à 90 jours.")
        signers = meta.get("signers")
        if not isinstance(signers, list) or not 1 <= len(signers) <= 20:
            raise invalid("signers", "De 1 à 20 signataires attendus.")
        now = self.state.now()
        return {
            "id": new_id(),
            "reference": reference,
            "title": _string(meta, "title", "title", 200),
            "status": "sent",
            "created_at": iso(now),
            "updated_at": iso(now, precise=True),
            "expires_at": iso(now + timedelta(days=days)),
            "completed_at": None,
            "sms_check": sms_check,
            "visible_signatures": visible,
            "refusal_reason": None,
            "cancel_reason": None,
            "signers": [
                _signer(raw, f"signers[{i}]", sms_check, visible, pages) for i, raw in enumerate(signers)
            ],
            "_pdf": b64encode(data),
            "_signed": None,
            "_plans": [],
            "_audit": [],
        }

    async def fetch(self, request: Request) -> Response:
        return JSONResponse(envelope_view(self._envelope(request)))

    async def listing(self, request: Request) -> Response:
        query = request.query_params
        statuses = set(query["status"].split(",")) if query.get("status") else STATUSES
        if not statuses <= STATUSES:
            raise invalid("status", "Statut inconnu.")
        since = _since(query.get("updated_since"))
        try:
            offset = int(query.get("cursor") or 0)
            limit = max(1, min(200, int(query.get("limit") or 50)))
        except ValueError as exc:
            raise invalid("cursor", "Curseur invalide.") from exc
        selected = sorted(
            (
                e
                for e in self.state.envelopes.values()
                if e["_account"] == request.state.key
                and e["status"] in statuses
                and (since is None or datetime.fromisoformat(e["updated_at"]) >= since)
            ),
            key=lambda e: (e["updated_at"], e["id"]),
        )
        page = selected[offset : offset + limit]
        following = str(offset + limit) if offset + limit < len(selected) else None
        return JSONResponse({"items": [envelope_view(e) for e in page], "next": following})

    async def cancel(self, request: Request) -> Response:
        envelope = self._envelope(request)
        body = await json_object(request)
        if body is None:
            raise invalid(None, "Corps JSON attendu.")
        reason = _string(body, "reason", "reason", 500)
        if envelope["status"] != "sent":
            raise conflict(f"L'enveloppe est « {envelope['status']} » : elle ne peut plus être annulée.")
        self.state.cancel(envelope, reason or "", _caller_ip(request))
        return JSONResponse(envelope_view(envelope))

    async def remind(self, request: Request) -> Response:
        self.state.remind(self._sent(request), _caller_ip(request))
        return Response(status_code=204)

    async def document(self, request: Request) -> Response:
        envelope = self._signed(request)
        return pdf_response(b64decode(envelope["_signed"]), f"{envelope['id']}.pdf")

    async def proof(self, request: Request) -> Response:
        envelope = self._signed(request)
        original, signed = b64decode(envelope["_pdf"]), b64decode(envelope["_signed"])
        audit = {
            "envelope": {k: envelope[k] for k in ("id", "reference", "title", "created_at", "completed_at")},
            "signers": [{k: s[k] for k in ("id", "first_name", "last_name", "email", "phone")} for s in envelope["signers"]],
            "steps": envelope["_audit"],
        }  # fmt: skip
        hashes = f"{sha256(original).hexdigest()}  original.pdf\n{sha256(signed).hexdigest()}  signed.pdf\n"
        files = {
            "audit.json": json.dumps(audit, ensure_ascii=False, indent=2).encode("utf-8"),
            "signed.pdf": signed,
            "hashes.txt": hashes.encode("ascii"),
        }
        headers = {"Content-Disposition": f'attachment; filename="proof_{envelope["id"]}.zip"'}
        return Response(zip_bytes(files), media_type="application/zip", headers=headers)

    def _signed(self, request: Request) -> dict[str, Any]:
        envelope = self._envelope(request)
        if envelope["status"] != "signed":
            raise conflict("Le document n'est pas encore signé.")
        return envelope


def _since(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise invalid("updated_since", "Date ISO 8601 attendue.") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# ---- control routes (not part of the vendor contract) ----------------------------------------------------------


class ESignControl:
    def __init__(self, state: ESignState) -> None:
        self.state = state

    async def act(self, request: Request) -> Response:
        envelope = self.state.get(request.path_params["envelope_id"])
        signer = self.state.signer(envelope, request.path_params["signer_id"])
        action = request.path_params["action"]
        if envelope["status"] != "sent" or signer["status"] in {"signed", "withdrawn"}:
            raise conflict(f"Enveloppe « {envelope['status']} », signataire « {signer['status']} ».")
        if action == "sign":
            self.state.sign(envelope, signer)
        elif action == "withdraw":
            body = await json_object(request) or {}
            self.state.withdraw(envelope, signer, str(body.get("reason") or "Le signataire s'est désengagé."))
        elif action == "expire":
            self.state.expire(envelope)
        else:
            raise Refusal(404, {"error": "not_found", "message": "Action inconnue.", "field": None})
        return JSONResponse(envelope_view(envelope))


# ---- wiring --------------------------------------------------------------------------------------------------


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    slug = "method_not_allowed" if exc.status_code == 405 else "not_found"
    return JSONResponse(
        {"error": slug, "message": "Route inconnue.", "field": None}, status_code=exc.status_code
    )


def build(ctx: SandboxContext) -> Starlette:
    """Mounted at `/esign`: `/v1/...` behind the key gate, `/_sandbox/...` open."""
    state = ESignState(ctx)
    ctx.register(PROVIDER, state)
    api, control = ESignApi(state), ESignControl(state)
    gate = Gate(ctx, PROVIDER, _api_key, _unauthorized, _too_many, _quota_headers)
    envelope = "/v1/envelopes/{envelope_id}"
    table = [
        ("/v1/account", api.account, "GET"),
        ("/v1/envelopes", api.create, "POST"),
        ("/v1/envelopes", api.listing, "GET"),
        (envelope, api.fetch, "GET"),
        (envelope + "/cancel", api.cancel, "POST"),
        (envelope + "/remind", api.remind, "POST"),
        (envelope + "/document", api.document, "GET"),
        (envelope + "/proof", api.proof, "GET"),
    ]
    routes = [Route(path, gate(handler), methods=[method]) for path, handler, method in table]
    routes.append(
        Route("/_sandbox/envelopes/{envelope_id}/signers/{signer_id}/{action}", answering(control.act),
              methods=["POST"])
    )  # fmt: skip
    routes += control_routes(ctx, PROVIDER)
    return Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
