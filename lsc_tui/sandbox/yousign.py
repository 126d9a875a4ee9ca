"""Fake YouSign API v3, written from docs/providers/yousign.md (paths, fields, enums, status codes, errors).

Mounted at `/yousign/v3` (API) and `/yousign` (control routes under `/_sandbox/`). Strict where the spec is
strict (regexes, enums, draft-only edits, activation prerequisites, field bounds on the real page sizes) so
that a client bug shows up as the 400 the real API would return. 400 `detail` starts with the offending
property path (`signers.info.phone_number: ...`), as the real API's validation messages do.
"""

from __future__ import annotations

import secrets
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lsc_tui.sandbox.context import SandboxContext
from lsc_tui.sandbox.signing import (
    Gate,
    Quota,
    Refusal,
    answering,
    control_error,
    control_routes,
    json_object,
    new_id,
)
from lsc_tui.sandbox.yousign_api import YouSignApi
from lsc_tui.sandbox.yousign_rules import ACTIVE
from lsc_tui.sandbox.yousign_state import PROVIDER, YouSignState
from lsc_tui.sandbox.yousign_views import sr_view


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
        (sr + "/reactivate", api.reactivate, "POST"),
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
