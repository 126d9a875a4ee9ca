"""Réglages signature (C1, C2, C6): which provider, its key, the historisation template, the manager's variables.

What a colleague may see lives in the store (section « signature » of the settings: the V2 switch and the
provider); what would let someone sign in the firm's name lives in the secrets file (API keys, base URLs,
webhook secrets), or in `LSC_TUI_<PROVIDER>_<KEY>` environment variables, and reaches the screen masked. Only
administrators change them (C5), checked here whatever the screen shows. « Tester l'accès au service » asks
the provider with the key as typed and says which of four things is true: it works, the key is refused, the
service cannot be reached, or it limits requests.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from lsc_tui.config import ConfigError, env_name, mask, secrets_for
from lsc_tui.domain.contact import check_email
from lsc_tui.domain.models import MailVariables
from lsc_tui.domain.names import check_name, normalise_name
from lsc_tui.providers.base import (
    AuthError,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
    SignatureProvider,
)
from lsc_tui.providers.factory import build_providers
from lsc_tui.services.context import AppContext
from lsc_tui.services.entities import administration_variables
from lsc_tui.services.errors import EditConflict, ServiceError, ValidationFailed
from lsc_tui.store import Conflict
from lsc_tui.store.repositories import Repos
from lsc_tui.store.repositories.settings import ADMINISTRATION

SECTION = "signature"
PROVIDERS = {"yousign": "YouSign", "esign": "ESign"}
EDIT_ACTION = "Modifier les réglages de signature"
SECRET_KEYS = ("api_key", "base_url", "webhook_secret")


@dataclass(frozen=True)
class SignatureSettings:
    """What Réglages signature shows. Secrets appear only masked, with where they come from."""

    v2: bool = False
    provider: str = "yousign"
    base_urls: dict[str, str] = field(default_factory=dict)
    keys_masked: dict[str, str] = field(default_factory=dict)
    webhook_secrets_masked: dict[str, str] = field(default_factory=dict)
    from_environment: frozenset[str] = frozenset()
    """`provider.key` pairs set by environment variables (the screen says they cannot be changed here)."""
    historisation_template_id: str = ""
    templates: tuple[tuple[str, str], ...] = ()
    """(id, name) of every template, for the historisation choice."""
    manager_name: str = ""
    manager_email: str = ""
    rev: int | None = None
    """Revision of the « signature » section read (None: never saved)."""
    admin_rev: int | None = None

    @property
    def provider_label(self) -> str:
        return PROVIDERS.get(self.provider, self.provider)


@dataclass(frozen=True)
class SettingsForm:
    """What the screen submits. An empty `api_key` or `webhook_secret` keeps the one on file."""

    v2: bool
    provider: str
    base_url: str
    api_key: str
    webhook_secret: str
    historisation_template_id: str
    manager_name: str
    manager_email: str


@dataclass(frozen=True)
class AccessVerdict:
    ok: bool
    kind: str  # ok | auth | unreachable | rate_limited | refused | missing
    message: str


def read(ctx: AppContext) -> SignatureSettings:
    section = ctx.repos.settings.section(SECTION)
    admin = ctx.repos.settings.administration()
    effective = secrets_for(ctx.data_dir).effective()
    env = frozenset(f"{p}.{k}" for p in PROVIDERS for k in SECRET_KEYS if os.environ.get(env_name(p, k)))
    history = ctx.repos.templates.historisation()
    manager = administration_variables(ctx)
    return SignatureSettings(
        v2=bool(section.get("v2", False)),
        provider=str(section.get("provider") or "yousign"),
        base_urls={p: str(effective.get(p, {}).get("base_url", "")) for p in PROVIDERS},
        keys_masked={p: mask(effective.get(p, {}).get("api_key")) for p in PROVIDERS},
        webhook_secrets_masked={p: mask(effective.get(p, {}).get("webhook_secret")) for p in PROVIDERS},
        from_environment=env,
        historisation_template_id=history.id if history else "",
        templates=tuple(sorted(ctx.repos.templates.names().items(), key=lambda kv: kv[1].lower())),
        manager_name=manager.manager_name,
        manager_email=manager.manager_email,
        rev=section.get("_rev"),
        admin_rev=admin.get("_rev"),
    )


def _validate(ctx: AppContext, form: SettingsForm) -> dict[str, str]:
    errors: dict[str, str] = {}
    if form.provider not in PROVIDERS:
        errors["provider"] = "Choisissez YouSign ou ESign."
    if form.historisation_template_id and ctx.repos.templates.get(form.historisation_template_id) is None:
        errors["historisation"] = "Ce modèle n'existe plus : choisissez-en un autre."
    if form.manager_name.strip() and (problem := check_name(form.manager_name, field="Nom du gestionnaire")):
        errors["manager_name"] = problem
    if form.manager_email.strip() and (problem := check_email(form.manager_email)):
        errors["manager_email"] = problem
    base = form.base_url.strip()
    if (
        base
        and base != "sandbox"
        and not base.startswith(("https://", "http://127.0.0.1", "http://localhost"))
    ):
        errors["base_url"] = "Adresse du service : https://… attendue (ou « sandbox » pour le bac à sable)."
    if form.v2 and not form.api_key.strip() and not _stored_key(ctx, form.provider):
        errors["api_key"] = (
            f"Signature V2 cochée : saisissez la clé d'API {PROVIDERS.get(form.provider, '')}."
        )
    return errors


def _stored_key(ctx: AppContext, provider: str) -> str:
    return str(secrets_for(ctx.data_dir).effective().get(provider, {}).get("api_key") or "")


def save(
    ctx: AppContext, form: SettingsForm, *, expect_rev: int | None, admin_rev: int | None
) -> SignatureSettings:
    """One transaction for what the store keeps (switch, provider, historisation template, administration's
    mail variables), then the secrets file; the provider's client is rebuilt with the new key."""
    ctx.require_admin(EDIT_ACTION)
    errors = _validate(ctx, form)
    if errors:
        raise ValidationFailed(errors)
    try:
        with ctx.write() as w:
            values = {"v2": form.v2, "provider": form.provider}
            w.settings.put(SECTION, values, expect_rev=expect_rev)
            mail = MailVariables(normalise_name(form.manager_name), form.manager_email.strip()).to_record()
            w.settings.put(ADMINISTRATION, {"mail_variables": mail}, expect_rev=admin_rev)
            _set_historisation(ctx, w, form.historisation_template_id)
            ctx.audit(
                w, "reglages.signature", w.settings, SECTION, f"v2={form.v2}, prestataire={form.provider}"
            )
    except Conflict as exc:
        raise EditConflict("Les réglages de signature") from exc
    _save_secrets(ctx, form)
    rebuild_clients(ctx)
    return read(ctx)


def _set_historisation(ctx: AppContext, w: Repos, template_id: str) -> None:
    """The historisation template is the one template flagged so (templates refuse to delete it)."""
    current = w.templates.historisation()
    if current is not None and current.id == template_id:
        return
    if current is not None:
        w.templates.change(current.id, {"is_historisation": False}, expect_rev=current.rev)
    if template_id:
        chosen = w.templates.require(template_id)
        w.templates.change(template_id, {"is_historisation": True}, expect_rev=chosen.rev)
        ctx.audit(w, "modele.historisation", w.templates, template_id, chosen.name)


def _save_secrets(ctx: AppContext, form: SettingsForm) -> None:
    secrets = secrets_for(ctx.data_dir)
    data = secrets.read()
    section = dict(data.get(form.provider, {}))
    section["base_url"] = form.base_url.strip()
    if form.api_key.strip():
        section["api_key"] = form.api_key.strip()
    if form.webhook_secret.strip():
        section["webhook_secret"] = form.webhook_secret.strip()
    if section != data.get(form.provider):
        secrets.write({**data, form.provider: section})


def rebuild_clients(ctx: AppContext) -> None:
    """New YouSign and ESign clients from the secrets as they now are (the registered-letter client is left)."""
    fresh = build_providers(_signature_secrets(ctx), ctx.providers.transport)
    ctx.providers.yousign, ctx.providers.esign = fresh.yousign, fresh.esign


def _signature_secrets(ctx: AppContext) -> dict[str, Any]:
    effective = secrets_for(ctx.data_dir).effective()
    return {p: effective.get(p, {}) for p in PROVIDERS}


# ---- using the settings -------------------------------------------------------------------------------------


def provider_name(ctx: AppContext) -> str:
    """The provider files go to, or why none can go (V2 not switched on)."""
    section = ctx.repos.settings.section(SECTION)
    if not section.get("v2"):
        raise ServiceError(
            "La signature électronique V2 n'est pas activée : un administrateur la coche dans Réglages signature."
        )
    return str(section.get("provider") or "yousign")


def active(ctx: AppContext) -> tuple[str, SignatureProvider]:
    """The provider to send with and its client, or why nothing can be sent (one French sentence)."""
    name = provider_name(ctx)
    client = client_for(ctx, name)
    if client is None:
        raise ServiceError(
            f"Aucune clé d'API {PROVIDERS.get(name, name)} : un administrateur la saisit dans Réglages signature."
        )
    return name, client


def client_for(ctx: AppContext, name: str) -> SignatureProvider | None:
    client: SignatureProvider | None = getattr(ctx.providers, name, None) if name in PROVIDERS else None
    return client


async def test_access(ctx: AppContext, provider: str, api_key: str, base_url: str) -> AccessVerdict:
    """Ask `provider` with the key as typed (empty: the one on file) and say what is true, in one sentence."""
    label = PROVIDERS.get(provider, provider)
    key = api_key.strip() or _stored_key(ctx, provider)
    if not key:
        return AccessVerdict(False, "missing", f"Aucune clé d'API {label} : saisissez-la puis testez.")
    section = {"api_key": key, "base_url": base_url.strip()}
    from lsc_tui.providers.http import RetryPolicy  # httpx: not before Accueil

    quick = RetryPolicy(attempts=1, base_delay=0.05, max_delay=0.1, jitter=0.0)  # a verdict, not patience
    clients = build_providers({provider: section}, ctx.providers.transport, policy=quick)
    client: SignatureProvider | None = getattr(clients, provider, None)
    if client is None:
        return AccessVerdict(False, "missing", f"Adresse du service {label} manquante : saisissez-la.")
    try:
        account = await client.test_access()
    except AuthError as exc:
        return AccessVerdict(False, "auth", f"Clé refusée par {label} : {exc.message}")
    except RateLimited:
        return AccessVerdict(
            False, "rate_limited", f"{label} limite le nombre de requêtes : réessayez dans une minute."
        )
    except ProviderUnavailable:
        return AccessVerdict(
            False, "unreachable", f"{label} ne répond pas : vérifiez l'adresse du service et la connexion."
        )
    except ProviderError as exc:
        return AccessVerdict(False, "refused", f"{label} a refusé le test : {exc.message}")
    except ConfigError as exc:
        return AccessVerdict(False, "refused", exc.message)
    finally:
        await client.aclose()
    detail = f" ({account.detail})" if account.detail else ""
    return AccessVerdict(True, "ok", f"Accès à {label} vérifié : la clé fonctionne{detail}.")
