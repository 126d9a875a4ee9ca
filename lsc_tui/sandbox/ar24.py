"""Fake AR24 (electronic registered letters), served under /ar24 — written from docs/providers/ar24.md.

Faithful to the real API's oddities (§2–§4, §13): form data in, HTTP 200 always, success bodies AES-encrypted
with a key derived from the request's `date`, errors in clear JSON with a slug, `{"status": "maintenance"}`
in lower case, `mail` and `mail/` both accepted. Where AR24's public material is silent it serves lsc-tui's
choices of §15 (to_valid queue + mail/validate, consent/*, user/payment_methods, paper letters).

Our own choices beyond §15, each to be revisited once AR24's Postman collection is in hand:
- idempotency: `ref_dossier` is the client's key; a second POST mail with the same `ref_dossier` for the same
  user returns the first letter instead of a duplicate (real AR24 is not documented to do so);
- types: `lre` (eIDAS), `ere` (Avis électronique, eidas=0), `lr` (paper); `mail/validate` answers
  `{"validated": [{"id", "status", "date"}], "errors": [{"id", "slug", "message", "mail_status"?}]}` — compact,
  because a batch of 1,000 letters should not carry 1,000 full mail objects back (read them with user/mail);
- `GET user/mail` pages with `max` (default 10) / `start`, like the other AR24 lists;
- the ±10 min date window is checked against the sandbox clock (and the wall clock once it was advanced).

Layout: ar24_crypto (signature, body encryption — the sandbox's own copy), ar24_proofs (PDFs, A4 check),
ar24_state (rules and memory), this module (HTTP: envelope, auth, routes, control routes).
"""

from __future__ import annotations

import html
import json
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pyotp
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from lsc_tui.sandbox.ar24_crypto import DATE_FORMAT, PARIS, encrypt_body, signature_matches
from lsc_tui.sandbox.ar24_proofs import proof_pdf
from lsc_tui.sandbox.ar24_state import PROOF_DATES, Ar24Error, Ar24State
from lsc_tui.sandbox.context import SandboxContext

DATE_WINDOW = timedelta(minutes=10)


def default_accounts() -> dict[str, Any]:
    """The `ar24` section of the sandbox accounts, with fresh random secrets (none lives in the repo).

    Schema (the demo seeder fills its own users and consents through it):
    {"token": str, "private_key": str,
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
                    {"email": "jeanne.dubois@example.org", "status": "accepted", "date": "2025-09-12 10:04:00",
                     "firstname": "Jeanne", "lastname": "Dubois"},
                    {"email": "paul.lefebvre@example.org", "status": "accepted", "date": "2025-10-02 16:40:00",
                     "firstname": "Paul", "lastname": "Lefebvre"},
                    {"email": "lucie.bernard@example.org", "status": "refused", "date": "2025-10-20 09:15:00",
                     "firstname": "Lucie", "lastname": "Bernard"},
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


class Params:
    """Query string + form fields of one call (AR24 reads both); uploaded files already read."""

    def __init__(self, items: list[tuple[str, Any]]) -> None:
        self.items = items

    def get(self, key: str, default: Any = None) -> Any:
        for k, v in reversed(self.items):
            if k == key:
                return v
        return default

    def getlist(self, key: str) -> list[Any]:
        return [v for k, v in self.items if k == key]

    def indexed(self, name: str) -> list[Any]:
        """`name[]=a&name[]=b` or `name[0]=a&name[1]=b` (both are used by real clients, §7)."""
        return [v for k, v in self.items if k == f"{name}[]" or (k.startswith(f"{name}[") and k.endswith("]"))]


Handler = Callable[[Ar24State, Params, str], Any]


def _origin(request: Request) -> str:
    """Absolute URL of the /ar24 mount, for proof links (tokenized, on the web host — §9)."""
    return f"{request.url.scheme}://{request.url.netloc}{request.scope.get('root_path', '')}".rstrip("/")


# ---- API handlers: (state, params, origin) → result ------------------------------------------------------


def _get_user(state: Ar24State, p: Params, origin: str) -> Any:
    return state.public_user(state.user_for_api(p.get("id_user"), p.get("email")))


def _request_access(state: Ar24State, p: Params, origin: str) -> Any:
    return state.request_access(state.find_user(p.get("id_user"), p.get("email")))


def _auth_otp(state: Ar24State, p: Params, origin: str) -> Any:
    return state.auth_otp(state.user_for_api(p.get("id_user")), str(p.get("otp") or ""))


def _payment_methods(state: Ar24State, p: Params, origin: str) -> Any:
    user = state.user_for_api(p.get("id_user"))
    return {"payment_methods": [dict(m) for m in user.get("payment_methods", [])]}


def _consent_list(state: Ar24State, p: Params, origin: str) -> Any:
    user = state.user_for_api(p.get("id_user"))
    return {"consents": [state.public_consent(c, origin) for c in user["consents"]]}


def _consent_request(state: Ar24State, p: Params, origin: str) -> Any:
    user = state.user_for_api(p.get("id_user"))
    try:
        delay = int(p.get("delay_days") or 15)
    except ValueError as exc:
        raise Ar24Error("invalid_delay_days") from exc
    email = str(p.get("email") or "").strip()
    return state.request_consent(
        user, email, str(p.get("firstname") or ""), str(p.get("lastname") or ""), delay, origin
    )


def _upload(state: Ar24State, p: Params, origin: str) -> Any:
    user = state.user_for_api(p.get("id_user"))
    upload = p.get("file")
    if not isinstance(upload, tuple):
        raise Ar24Error("attachment_missing_file")
    filename, data = upload
    attachment = state.add_attachment(user, str(p.get("file_name") or filename or ""), data)
    return {"file_id": attachment["id"]}


MAIL_FIELDS = (
    "to_email", "to_firstname", "to_lastname", "to_company", "dest_statut", "content", "ref_dossier",
    "ref_client", "ref_facturation", "eidas", "otp", "auth_otp_hash", "to_valid", "paper", "color", "duplex",
    "to_address1", "to_address2", "to_zipcode", "to_city", "to_country", "id_payment_method", "webhook",
)  # fmt: skip


def _post_mail(state: Ar24State, p: Params, origin: str) -> Any:
    user = state.user_for_api(p.get("id_user"))
    form: dict[str, Any] = {k: p.get(k) for k in MAIL_FIELDS}
    form["attachments"] = p.indexed("attachment")
    return state.public_mail(state.create_mail(user, form), origin)


def _validate(state: Ar24State, p: Params, origin: str) -> Any:
    user = state.user_for_api(p.get("id_user"))
    ids = [str(v) for v in p.indexed("id")] or ([str(p.get("id"))] if p.get("id") else [])
    outcome = state.validate(user, ids, p.get("otp"), p.get("auth_otp_hash"))
    validated = [{"id": m["id"], "status": m["status"], "date": m["date"]} for m in outcome["mails"]]
    return {"validated": validated, "errors": outcome["errors"]}


def _get_mail(state: Ar24State, p: Params, origin: str) -> Any:
    return state.public_mail(state.mail_for_api(p.get("id"), p.get("id_user")), origin)


def _user_mails(state: Ar24State, p: Params, origin: str) -> Any:
    user = state.user_for_api(p.get("id_user"))
    wanted = {str(v) for v in p.indexed("mail")}
    mails = [m for m in state.mails.values() if m["id_sender"] == user["id"]]
    if wanted:
        mails = [m for m in mails if str(m["id"]) in wanted]
    mails.sort(key=lambda m: m["id"], reverse=str(p.get("sort") or "ASC").upper() == "DESC")
    try:
        start, size = int(p.get("start") or 0), int(p.get("max") or 10)
    except ValueError:
        start, size = 0, 10
    return [state.public_mail(m, origin) for m in mails[start : start + size]]


API: dict[tuple[str, str], Handler] = {
    ("GET", "user"): _get_user,
    ("POST", "user/request_access"): _request_access,
    ("POST", "user/auth_otp"): _auth_otp,
    ("GET", "user/payment_methods"): _payment_methods,
    ("GET", "user/mail"): _user_mails,
    ("GET", "consent/list"): _consent_list,
    ("POST", "consent/request"): _consent_request,
    ("POST", "attachment"): _upload,
    ("POST", "mail"): _post_mail,
    ("GET", "mail"): _get_mail,
    ("POST", "mail/validate"): _validate,
}


def _error(slug: str, message: str | None = None) -> JSONResponse:
    return JSONResponse({"status": "ERROR", "slug": slug, "message": message or Ar24Error(slug).message})


def _check_auth(state: Ar24State, p: Params, signature: str | None) -> str | None:
    """token, then date (±10 min, Paris), then the `signature` header; the first failure's slug."""
    token = str(p.get("token") or "")
    if not token:
        return "token_missing"
    if not secrets.compare_digest(token.encode(), state.token.encode()):
        return "token_invalid"
    date = str(p.get("date") or "")
    if not date:
        return "empty_date"
    try:
        sent = datetime.strptime(date, DATE_FORMAT).replace(tzinfo=PARIS)
    except ValueError:
        return "invalid_date"
    offsets = [sent - t for t in state.reference_times()]
    if not any(abs(o) <= DATE_WINDOW for o in offsets):
        return "expired_date" if all(o < -DATE_WINDOW for o in offsets) else "date_in_future"
    if not signature:
        return "empty_signature"
    if not signature_matches(signature, date, state.private_key):
        return "invalid_signature"
    return None


async def _read_params(request: Request) -> Params:
    items: list[tuple[str, Any]] = list(request.query_params.multi_items())
    if request.method == "POST":
        async with request.form() as form:
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    items.append((key, (value.filename or "", await value.read())))
                else:
                    items.append((key, value))
    return Params(items)


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
        params = await _read_params(request)
        slug = _check_auth(state, params, request.headers.get("signature"))
        if slug:
            return _error(slug)
        try:
            result = handler(state, params, _origin(request))
        except Ar24Error as exc:
            return _error(exc.slug, exc.message)
        body = json.dumps({"status": "SUCCESS", "result": result}, ensure_ascii=False)
        return PlainTextResponse(encrypt_body(body, str(params.get("date")), state.private_key))

    async def proof(request: Request) -> Response:
        kind, _, raw_id = request.path_params["name"].partition("-")
        token = request.query_params.get("token", "")
        if kind == "cs":  # consent proof
            for user in state.users.values():
                for consent in user["consents"]:
                    if str(consent["id"]) == raw_id and _token_ok(consent, token) and consent["status"] == "accepted":
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
        sender = html.escape(f"{user.get('firstname', '')} {user.get('lastname', '')} ({user.get('company', '')})")
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
        return JSONResponse(state.public_mail(mail, _origin(request)))

    async def control_clock(request: Request) -> Response:
        body = await _json(request)
        ctx.clock.advance(days=float(body.get("advance_days", 0)), seconds=float(body.get("advance_seconds", 0)))
        for provider in ctx.providers.values():
            provider.tick()
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
        return JSONResponse(state.public_consent(consent, _origin(request)))

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
