"""AR24's status callbacks (ar24.md §11): where `lsc-tui webhooks serve` is reached from the internet, and the
secret that proves a callback came through the address we gave AR24.

AR24 documents no signature on its callbacks, only the address they come from (185.183.140.195,
`AR24_SOURCE_IP`). So the receiver checks two things before it reads a byte of the body: the caller's address
(AR24's, or this machine when a reverse proxy stands in front), and a random token in the URL path that only
AR24 — told it on each POST mail, in the `webhook` parameter — and the firm know. What a callback then says is
applied like a refresh's answer (letter_tracking): only forward, once per letter and state, so a replay (AR24
repeats a call for 12 hours until it gets a 200) changes nothing.

The public base URL is a setting the firm shares (section « ar24 » of the store, administrators only); the
token lives in the secrets file, never in the store, and a screen shows it masked.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from lsc_tui.config import mask, secrets_for
from lsc_tui.providers.logs import register_secret
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import EditConflict, ValidationFailed
from lsc_tui.store import Conflict

SECTION = "ar24"
EDIT_ACTION = "Modifier l'adresse des notifications AR24"
ROUTE = "ar24"
"""The receiver's path for AR24 (webhook_server): `<base>/ar24/<token>`."""
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class WebhookSetting:
    """What the Compte AR24 screen shows: the base URL as typed, and what AR24 is told, token masked."""

    base_url: str = ""
    url_masked: str = ""
    rev: int | None = None

    @property
    def line(self) -> str:
        if not self.base_url:
            return "Notifications AR24 : aucune adresse — les statuts arrivent par l'actualisation (F5)."
        return f"AR24 notifiera : {self.url_masked}"


def check_base_url(text: str) -> str | None:
    """Why `text` cannot be the public address of the receiver (None: it can). AR24 calls from the internet,
    so the token must travel encrypted: https, except on this machine (tests, a local demo)."""
    value = text.strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        return "Adresse des notifications : https://… attendue (l'adresse publique de « lsc-tui webhooks serve »)."
    if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
        return "Adresse des notifications : https:// obligatoire (le jeton secret voyage dans l'adresse)."
    if parts.query or parts.fragment:
        return "Adresse des notifications : sans « ? » ni « # » (AR24 y ajoute /ar24/ et le jeton)."
    return None


def _token(data_dir: Path) -> str:
    return str(secrets_for(data_dir).read().get(SECTION, {}).get("webhook_token") or "")


def _full(base: str, token: str) -> str:
    return f"{base.rstrip('/')}/{ROUTE}/{token}"


def read(ctx: AppContext) -> WebhookSetting:
    section = ctx.repos.settings.section(SECTION)
    base = str(section.get("webhook_url") or "")
    token = _token(ctx.data_dir) if base else ""
    return WebhookSetting(base, _full(base, mask(token)) if base else "", section.get("_rev"))


def save(ctx: AppContext, base_url: str, *, expect_rev: int | None) -> WebhookSetting:
    """The receiver's public address (empty: no callbacks asked of AR24). The first time, a token is drawn and
    kept in the secrets file; it stays the same afterwards, so letters already at AR24 keep reaching us."""
    ctx.require_admin(EDIT_ACTION)
    problem = check_base_url(base_url)
    if problem:
        raise ValidationFailed({"webhook_url": problem})
    base = base_url.strip().rstrip("/")
    if base and not _token(ctx.data_dir):
        store = secrets_for(ctx.data_dir)
        data = store.read()
        store.write({**data, SECTION: {**data.get(SECTION, {}), "webhook_token": secrets.token_urlsafe(24)}})
    try:
        with ctx.write() as w:
            current = w.settings.section(SECTION)
            values = {k: v for k, v in current.items() if k not in {"id", "_rev", "key"}}
            w.settings.put(SECTION, {**values, "webhook_url": base}, expect_rev=expect_rev)
            ctx.audit(w, "reglages.ar24", w.settings, SECTION, f"notifications : {base or 'aucune'}")
    except Conflict as exc:
        raise EditConflict("L'adresse des notifications AR24") from exc
    return read(ctx)


def callback_url(ctx: AppContext) -> str | None:
    """The `webhook` parameter of every POST mail, or None when no address is set (polling only)."""
    base = str(ctx.repos.settings.section(SECTION).get("webhook_url") or "")
    token = _token(ctx.data_dir) if base else ""
    if not token:
        return None
    register_secret(token)
    return _full(base, token)


def token_ok(data_dir: Path, token: str) -> bool:
    """The token of a callback's path is ours (constant-time compare; no token on file: nothing is)."""
    expected = _token(data_dir)
    return bool(expected) and hmac.compare_digest(expected.encode(), token.encode("utf-8", "replace"))
