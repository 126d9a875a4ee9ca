"""Fake AR24 (electronic registered letters), served under /ar24 — written from docs/providers/ar24.md.

Faithful to the real API's oddities (§2–§4, §13): form data in, HTTP 200 always, success bodies AES-encrypted
with a key derived from the request's `date`, errors in clear JSON with a slug, `{"status": "maintenance"}`
in lower case, `mail` and `mail/` both accepted. Where AR24's public material is silent it serves lsc-tui's
choices of §15 (to_valid queue + mail/validate, consent/*, user/payment_methods, paper letters).

Our own choices beyond §15, each to be revisited once AR24's Postman collection is in hand:
- no de-duplication: a second POST mail with the same `ref_dossier` makes a second letter, as nothing in AR24's
  material promises otherwise — a client must look its letter up (`user/mail`) after an ambiguous failure;
- `dest_statut` other than `particulier` / `professionnel` → `invalid_dest_statut`; an LRE (eIDAS or not) to a
  `particulier`, and any Avis électronique, without an accepted consent → `consent_missing` (§15);
- paper letters only for an account with `paper_extension` (§15), else `paper_not_available`;
- `webhook` on POST mail: called after each status change of that letter (ar24_callbacks.py, §11);
- types: `lre` (eIDAS), `ere` (ERE simple / Avis électronique, eidas=0), `lr` (paper); `mail/validate` answers
  `{"validated": [{"id", "status", "date"}], "errors": [{"id", "slug", "message", "mail_status"?}]}` — compact,
  because a batch of 1,000 letters should not carry 1,000 full mail objects back (read them with user/mail);
- `GET user/mail` pages with `max` (default 10) / `start`, like the other AR24 lists;
- the ±10 min date window is checked against the sandbox clock (and the wall clock once it was advanced).

Layout: ar24_crypto (signature, body encryption — the sandbox's own copy, see its docstring), ar24_errors
(slugs), ar24_state (users, OTP, consents, attachments, persistence) + ar24_mails (letters' rules, events,
clock), ar24_callbacks (webhook calls), ar24_proofs (PDFs, A4 check), ar24_api (params, auth check, route handlers), this module (the app:
envelope, proof links, consent page, `/_sandbox` control routes, default accounts).
"""

from __future__ import annotations

import html
import json
import secrets
from typing import Any

import pyotp
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from lsc_tui.sandbox.ar24_api import API, check_auth, error_response, origin_of, read_params
from lsc_tui.sandbox.ar24_crypto import encrypt_body
from lsc_tui.sandbox.ar24_errors import Ar24Error
from lsc_tui.sandbox.ar24_mails import PROOF_DATES
from lsc_tui.sandbox.ar24_proofs import proof_pdf
from lsc_tui.sandbox.ar24_state import Ar24State
from lsc_tui.sandbox.context import SandboxContext


def default_accounts() -> dict[str, Any]:
    """The `ar24` section of the sandbox accounts, with fresh random secrets (none lives in the repo).

    Schema (the demo seeder fills its own users and consents through it):
    {"token": str, "private_key": str, "paper_extension": bool (§15 paper letters; absent = false),
     "users": [{"id": int, "email", "firstname", "lastname", "company", "statut": "professionnel",
                "otp_secret": base32 TOTP secret (the sender's "clé OTP"), "password",
                "access_granted": bool (linked to our API token), "confirmed": bool,
                "payment_methods": [{"id": int, "label", "type": "sepa" | "card"}],
                "consents": [{"email", "status": "accepted" | "refused" | "waiting", "date": "Y-m-d H:i:s" | null,
                              "firstname"?, "lastname"?}]}]}
    The second user has not linked his account yet: "Autoriser le compte" (user/request_access) has
    something to do in the demo.
    """
    return {
        "token": secrets.token_hex(20),
        "private_key": secrets.token_urlsafe(24),
        "paper_extension": True,  # §15: this demo contract lets AR24 print and post paper letters
        "users": [
            {
                "id": 63161,
                "email": "claire.martin@cabinet-martin.example",
                "firstname": "Claire",
                "lastname": "Martin",
                "company": "Cabinet Martin Gestion",
                "statut": "professionnel",
                "otp_secret": pyotp.random_base32(),
                "password": secrets.token_urlsafe(12),
                "access_granted": True,
                "confirmed": True,
                "payment_methods": [
                    {"id": 7101, "label": "SEPA — Résidence Les Tilleuls", "type": "sepa"},
                    {"id": 7102, "label": "SEPA — Le Clos des Vignes", "type": "sepa"},
                ],
                "consents": [
                    {
                        "email": "jeanne.dubois@example.org",
                        "status": "accepted",
                        "date": "2025-09-12 10:04:00",
                        "firstname": "Jeanne",
                        "lastname": "Dubois",
                    },
                    {
                        "email": "paul.lefebvre@example.org",
                        "status": "accepted",
                        "date": "2025-10-02 16:40:00",
                        "firstname": "Paul",
                        "lastname": "Lefebvre",
                    },
                    {
                        "email": "lucie.bernard@example.org",
                        "status": "refused",
                        "date": "2025-10-20 09:15:00",
                        "firstname": "Lucie",
                        "lastname": "Bernard",
                    },
                ],
            },
            {
                "id": 63162,
                "email": "julien.moreau@cabinet-martin.example",
                "firstname": "Julien",
                "lastname": "Moreau",
                "company": "Cabinet Martin Gestion",
                "statut": "professionnel",
                "otp_secret": pyotp.random_base32(),
                "password": secrets.token_urlsafe(12),
                "access_granted": False,
                "confirmed": True,
                "payment_methods": [],
                "consents": [],
            },
        ],
    }


def build(ctx: SandboxContext) -> Starlette:
    """The /ar24 app: `/api/...` (AR24's API), `/get/...` (proof links), `/consent/...`, `/_sandbox/...`."""
    state = Ar24State(ctx, ctx.accounts.get("ar24") or default_accounts())
    ctx.register("ar24", state)

    async def api(request: Request) -> Response:
        path = request.path_params["path"].strip("/")
        handler = API.get((request.method, path))
        if handler is None:
            return JSONResponse({"message": f"No route {request.method} /{path}"}, status_code=404)
        if state.maintenance:
            return JSONResponse({"status": "maintenance"})
        params = await read_params(request)
        slug = check_auth(state, params, request.headers.get("signature"))
        if slug:
            return error_response(slug)
        try:
            result = handler(state, params, origin_of(request))
        except Ar24Error as exc:
            return error_response(exc.slug, exc.message)
        body = json.dumps({"status": "SUCCESS", "result": result}, ensure_ascii=False)
        return PlainTextResponse(encrypt_body(body, str(params.get("date")), state.private_key))

    async def proof(request: Request) -> Response:
        kind, _, raw_id = request.path_params["name"].partition("-")
        token = request.query_params.get("token", "")
        if kind == "cs":  # consent proof
            for user in state.users.values():
                for consent in user["consents"]:
                    if (
                        str(consent["id"]) == raw_id
                        and _token_ok(consent, token)
                        and consent["status"] == "accepted"
                    ):
                        about = {"id": f"consentement {consent['id']}", "type": "consentement",
                                 "to_email": consent["email"], "to_name": user.get("company", "")}  # fmt: skip
                        return _pdf(proof_pdf("consent", about, consent.get("date") or ""))
            return PlainTextResponse("Not found", status_code=404)
        mail = state.mails.get(int(raw_id)) if raw_id.isdigit() else None
        date_field = PROOF_DATES.get(kind)
        if not mail or not date_field or not mail.get(date_field) or not _token_ok(mail, token):
            return PlainTextResponse("Not found", status_code=404)
        return _pdf(proof_pdf(kind, mail, mail[date_field]))

    async def content(request: Request) -> Response:
        raw_id = request.path_params["id"]
        mail = state.mails.get(int(raw_id)) if raw_id.isdigit() else None
        if not mail or not mail.get("date") or not _token_ok(mail, request.query_params.get("token", "")):
            return PlainTextResponse("Not found", status_code=404)
        return _pdf(proof_pdf("content", mail, mail["date"]))

    async def consent_page(request: Request) -> Response:
        """The link a recipient follows to give consent (AR24_LienConsentement, MISSION L2)."""
        found = state.consent_by_token(request.path_params["token"])
        if found is None:
            return HTMLResponse("<p>Lien inconnu ou expiré.</p>", status_code=404)
        user, consent = found
        if request.method == "POST":
            async with request.form() as form:
                state.answer_consent(consent, accepted=form.get("answer") == "accept")
        sender = html.escape(
            f"{user.get('firstname', '')} {user.get('lastname', '')} ({user.get('company', '')})"
        )
        return HTMLResponse(
            f"<h1>Consentement aux lettres recommandées électroniques</h1><p>{sender} souhaite vous adresser ses "
            f"courriers recommandés par voie électronique.</p><p>Réponse actuelle : {consent['status']}</p>"
            '<form method="post"><button name="answer" value="accept">J\'accepte</button> '
            '<button name="answer" value="refuse">Je refuse</button></form>'
        )

    async def control_event(request: Request) -> Response:
        mail = state.mails.get(int(request.path_params["id"]))
        if mail is None:
            return JSONResponse({"error": "unknown mail"}, status_code=404)
        try:
            state.apply_event(mail, request.path_params["event"])
        except Ar24Error as exc:
            return JSONResponse({"error": exc.slug, "message": exc.message}, status_code=409)
        return JSONResponse(state.public_mail(mail, origin_of(request)))

    async def control_clock(request: Request) -> Response:
        body = await _json(request)
        ctx.clock.advance(
            days=float(body.get("advance_days", 0)), seconds=float(body.get("advance_seconds", 0))
        )
        for provider in ctx.providers.values():
            provider.tick()
        ctx.webhooks.wake()
        return JSONResponse({"now": ctx.clock.now().isoformat(), "offset_seconds": ctx.clock.offset_seconds})

    async def control_outbox(request: Request) -> Response:
        return JSONResponse(ctx.outbox.for_provider("ar24"))

    async def control_otp(request: Request) -> Response:
        """Sandbox-only: the code the sender's OTP key shows right now (for `lsc-tui demo otp`)."""
        user = state.users.get(int(request.path_params["id_user"]))
        if user is None or not user.get("otp_secret"):
            return JSONResponse({"error": "unknown user"}, status_code=404)
        step = 30 - int(state.now().timestamp()) % 30
        return JSONResponse({"id_user": user["id"], "otp": state.totp_now(user), "valid_for_s": step})

    async def control_grant(request: Request) -> Response:
        user = state.users.get(int(request.path_params["id_user"]))
        if user is None:
            return JSONResponse({"error": "unknown user"}, status_code=404)
        state.grant_access(user)
        return JSONResponse(state.public_user(user))

    async def control_consent(request: Request) -> Response:
        body = await _json(request)
        user = state.users.get(int(body.get("id_user", 0)))
        if user is None:
            return JSONResponse({"error": "unknown user"}, status_code=404)
        consent = state.consent_for(user, str(body.get("email", "")))
        if consent is None:
            consent = state._new_consent({"email": str(body.get("email", ""))})
            user["consents"].append(consent)
        state.answer_consent(consent, accepted=body.get("status", "accepted") == "accepted")
        return JSONResponse(state.public_consent(consent, origin_of(request)))

    async def control_maintenance(request: Request) -> Response:
        state.maintenance = bool((await _json(request)).get("on", True))
        return JSONResponse({"maintenance": state.maintenance})

    async def control_seed_mails(request: Request) -> Response:
        """Sandbox-only bulk POST mail for seeders and benches: {"id_user", "mails": [POST mail fields]}; the
        same rules as the API (consent, payment, to_valid…), no signature, no latency."""
        body = await _json(request)
        user = state.users.get(int(body.get("id_user", 0)))
        if user is None:
            return JSONResponse({"error": "unknown user"}, status_code=404)
        ids, errors = [], []
        for index, fields in enumerate(body.get("mails", [])):
            try:
                ids.append(state.create_mail(user, {"attachments": [], **fields})["id"])
            except Ar24Error as exc:
                errors.append({"index": index, "slug": exc.slug, "message": exc.message})
        return JSONResponse({"ids": ids, "errors": errors})

    async def control_webhooks(request: Request) -> Response:
        """Every call made to the letters' `webhook` URLs, with each attempt's outcome."""
        return JSONResponse({"deliveries": ctx.webhooks.for_provider("ar24")})

    async def control_reset(request: Request) -> Response:
        state.reset()
        return JSONResponse({"reset": True})

    return Starlette(
        routes=[
            Route("/api/{path:path}", api, methods=["GET", "POST"]),
            Route("/get/proof/{name}", proof),
            Route("/get/content/{id}", content),
            Route("/consent/{token}", consent_page, methods=["GET", "POST"]),
            Route("/_sandbox/mail/{id:int}/{event}", control_event, methods=["POST"]),
            Route("/_sandbox/clock", control_clock, methods=["POST"]),
            Route("/_sandbox/outbox", control_outbox),
            Route("/_sandbox/otp/{id_user:int}", control_otp),
            Route("/_sandbox/users/{id_user:int}/grant_access", control_grant, methods=["POST"]),
            Route("/_sandbox/consent", control_consent, methods=["POST"]),
            Route("/_sandbox/maintenance", control_maintenance, methods=["POST"]),
            Route("/_sandbox/mails", control_seed_mails, methods=["POST"]),
            Route("/_sandbox/reset", control_reset, methods=["POST"]),
            Route("/_sandbox/webhooks", control_webhooks),
        ]
    )


def _token_ok(item: dict[str, Any], token: str) -> bool:
    """Proof links are bearer links (§9): the per-mail / per-consent token is the only key."""
    return secrets.compare_digest(item["_token"].encode(), token.encode())


def _pdf(data: bytes) -> Response:
    return Response(data, media_type="application/pdf")


async def _json(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
