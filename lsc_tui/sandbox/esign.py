"""Fake ESign, written from docs/providers/esign.md (our own small, strict contract for the unnamed vendor).

Mounted at `/esign`: the API under `/v1/...`, control routes under `/_sandbox/...`. Errors are
`{"error": slug, "message": French text, "field": name | null}`; `reference` is an idempotency key per account.
The signer's journey is the one the source describes: email, SMS code (unless `sms_check` is false),
consent screen, acceptance; they may withdraw before accepting.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime, timedelta
from hashlib import sha256
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lsc_tui.sandbox.context import SandboxContext
from lsc_tui.sandbox.esign_rules import (
    STATUSES,
    boolean,
    check_signer,
    conflict,
    invalid,
    meta_part,
    pdf_part,
    string,
)
from lsc_tui.sandbox.esign_state import PROVIDER, ESignState, created_view, envelope_view
from lsc_tui.sandbox.signing import (
    Gate,
    Quota,
    Refusal,
    answering,
    b64decode,
    b64encode,
    control_routes,
    iso,
    json_object,
    new_id,
    pdf_response,
    zip_bytes,
)


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


def caller_ip(request: Request) -> str:
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
        meta = meta_part(form.get("meta"))
        reference = string(meta, "reference", "reference", 100, required=False)
        existing = self.state.by_reference(request.state.key, reference) if reference else None
        if existing is not None:
            return JSONResponse(envelope_view(existing), status_code=200)
        data, pages = await pdf_part(form)
        envelope = self._new_envelope(meta, reference, data, pages)
        account = request.state.account
        if account["credits_left"] <= 0:
            raise conflict("Crédit de signatures épuisé.", "no_credits")
        account["credits_left"] -= 1
        envelope["_account"] = request.state.key
        self.state.envelopes[envelope["id"]] = envelope
        self.state.open(envelope, caller_ip(request))
        return JSONResponse(created_view(envelope), status_code=201)

    def _new_envelope(
        self, meta: dict[str, Any], reference: str | None, data: bytes, pages: list[list[float]]
    ) -> dict[str, Any]:
        sms_check = boolean(meta, "sms_check", False)
        visible = boolean(meta, "visible_signatures", True)
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
            "title": string(meta, "title", "title", 200),
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
                check_signer(raw, f"signers[{i}]", sms_check, visible, pages) for i, raw in enumerate(signers)
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
        reason = string(body, "reason", "reason", 500)
        if envelope["status"] != "sent":
            raise conflict(f"L'enveloppe est « {envelope['status']} » : elle ne peut plus être annulée.")
        self.state.cancel(envelope, reason or "", caller_ip(request))
        return JSONResponse(envelope_view(envelope))

    async def remind(self, request: Request) -> Response:
        self.state.remind(self._sent(request), caller_ip(request))
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
