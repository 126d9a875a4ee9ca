"""AR24's API surface in the fake: form params, the token/date/signature check, one handler per route.

Handlers take (state, params, origin) and return the `result` that ar24.py encrypts into the success
envelope; a business refusal is raised as `Ar24Error` and answered in clear JSON (spec §4).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse

from lsc_tui.sandbox.ar24_crypto import DATE_FORMAT, PARIS, signature_matches
from lsc_tui.sandbox.ar24_errors import Ar24Error
from lsc_tui.sandbox.ar24_state import Ar24State

URLENCODED = "application/x-www-form-urlencoded"

DATE_WINDOW = timedelta(minutes=10)


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
        return [
            v for k, v in self.items if k == f"{name}[]" or (k.startswith(f"{name}[") and k.endswith("]"))
        ]


Handler = Callable[[Ar24State, Params, str], Any]


def origin_of(request: Request) -> str:
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
    form["_origin"] = origin  # proof links in the letter's webhook calls
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


def error_response(slug: str, message: str | None = None) -> JSONResponse:
    return JSONResponse({"status": "ERROR", "slug": slug, "message": message or Ar24Error(slug).message})


def check_auth(state: Ar24State, p: Params, signature: str | None) -> str | None:
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


async def read_params(request: Request) -> Params:
    items: list[tuple[str, Any]] = list(request.query_params.multi_items())
    if request.method == "POST" and request.headers.get("content-type", "").startswith(URLENCODED):
        # The pairs starlette's form parser gives (same decoding), without a quarter of the CPU of a validate.
        items += parse_qsl((await request.body()).decode("latin-1"), keep_blank_values=True)
    elif request.method == "POST":
        async with request.form() as form:
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    items.append((key, (value.filename or "", await value.read())))
                else:
                    items.append((key, value))
    return Params(items)
