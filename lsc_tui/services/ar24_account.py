"""Compte AR24 (C3) and moyens de paiement (C4): which AR24 account sends for the current user, whether
AR24 lets our API token act for it, how its letters wait for validation, and which payment method each
entity's letters use.

Passwords are never asked nor stored: « Autoriser le compte » asks AR24 (`user/request_access`) to email the
account holder, who confirms there; the screen then shows whether the link is active (a `GET user` answers).
Store writes run off the event loop (`asyncio.to_thread`): these functions are called from an async worker.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from lsc_tui.domain.consents import Ar24Account, ValidationMode
from lsc_tui.domain.contact import InvalidEmail, normalise_email
from lsc_tui.domain.models import Entity
from lsc_tui.providers.ar24 import Ar24Client
from lsc_tui.providers.base import NotFound, PaymentMethod, Rejected
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import ServiceError, ValidationFailed
from lsc_tui.store.errors import Conflict
from lsc_tui.store.protocol import ANY_REV

NOT_CONFIGURED = (
    "AR24 n'est pas configuré : renseignez le jeton et la clé privée d'API AR24 dans les réglages (C1)."
)
NO_ACCOUNT = "Aucun compte AR24 pour vous : renseignez votre email AR24 dans Réglages → Compte AR24."


def client(ctx: AppContext) -> Ar24Client:
    if ctx.providers.ar24 is None:
        raise ServiceError(NOT_CONFIGURED)
    return ctx.providers.ar24


def account(ctx: AppContext, login: str | None = None) -> Ar24Account | None:
    """The saved account, else one made from the user's `ar24_email` (not saved until it is linked)."""
    login = login or ctx.user.login
    found = ctx.repos.ar24_accounts.of(login)
    if found is not None:
        return found
    user = ctx.repos.users.by_login(login)
    email = user.ar24_email if user else ""
    return Ar24Account(login=login, email=email) if email else None


def save_account(ctx: AppContext, email: str, mode: ValidationMode) -> Ar24Account:
    """The user's AR24 email and validation mode; a new email means a new link to make."""
    try:
        email = normalise_email(email)
    except InvalidEmail as exc:
        raise ValidationFailed({"email": str(exc)}) from exc
    login = ctx.user.login
    with ctx.write() as w:
        current = w.ar24_accounts.of(login)
        if current is None:
            saved = w.ar24_accounts.create(Ar24Account(login, email, validation_mode=mode.value))
        else:
            changes: dict[str, object] = {"email": email, "validation_mode": mode.value}
            if email != current.email:
                changes.update(remote_id="", linked=False, link_requested_at="", checked_at="")
            saved = w.ar24_accounts.change(login, changes, expect_rev=current.rev)
        ctx.audit(w, "ar24.compte", w.ar24_accounts, login, f"mode {mode.value}")
    return saved


def _record_link(ctx: AppContext, base: Ar24Account, **changes: object) -> Ar24Account:
    """Merge what AR24 said about the link (a fact, not an edit: ANY_REV) into the user's record."""
    with ctx.write() as w:
        current = w.ar24_accounts.of(base.login)
        if current is None:
            try:
                saved = w.ar24_accounts.create(base.evolve(**changes))
            except Conflict:
                saved = w.ar24_accounts.change(base.login, dict(changes), expect_rev=ANY_REV)
        else:
            saved = w.ar24_accounts.change(base.login, dict(changes), expect_rev=ANY_REV)
        ctx.audit(w, "ar24.lien", w.ar24_accounts, base.login, "actif" if saved.linked else "en attente")
    return saved


async def check_link(ctx: AppContext) -> Ar24Account:
    """Ask AR24 whether our API token may act for the user's account; remember its id when it may."""
    base = account(ctx)
    if base is None:
        raise ServiceError(NO_ACCOUNT)
    ar24 = client(ctx)
    try:
        user = await ar24.user_by_email(base.email)
    except Rejected as exc:
        if exc.reason != "user_unavailable":
            raise
        return await asyncio.to_thread(
            _record_link, ctx, base, linked=False, checked_at=ctx.now_iso(), remote_id=base.remote_id
        )
    return await asyncio.to_thread(
        _record_link, ctx, base, linked=True, remote_id=user.remote_id, checked_at=ctx.now_iso()
    )


async def authorize(ctx: AppContext) -> Ar24Account:
    """« Autoriser le compte »: already linked → say so; else AR24 emails the holder to confirm the link."""
    linked = await check_link(ctx)
    if linked.linked:
        return linked
    try:
        await client(ctx).request_access(linked.email)
    except NotFound as exc:
        raise ServiceError(
            f"Aucun compte AR24 pour {linked.email} : créez-le chez AR24 ou corrigez l'email."
        ) from exc
    return await asyncio.to_thread(_record_link, ctx, linked, link_requested_at=ctx.now_iso())


async def sender(ctx: AppContext, login: str | None = None) -> tuple[Ar24Client, Ar24Account]:
    """The client and the linked account that sends for `login` (the current user by default)."""
    ar24 = client(ctx)
    found = account(ctx, login)
    if found is None:
        raise ServiceError(NO_ACCOUNT)
    if found.remote_id and found.linked:
        return ar24, found
    if login not in (None, ctx.user.login):
        raise ServiceError(f"Le compte AR24 de {login} n'est pas autorisé.")
    checked = await check_link(ctx)
    if not checked.linked:
        raise ServiceError(
            "Votre compte AR24 n'a pas autorisé lsc-tui : Réglages → Compte AR24 → « Autoriser le compte »,"
            " puis confirmez le courriel d'AR24."
        )
    return ar24, checked


# ------------------------------------------------------------------------------------------ payment methods


@dataclass(frozen=True)
class PaymentLinks:
    methods: list[PaymentMethod]
    entities: list[Entity]

    def label_of(self, method_id: str) -> str:
        found = next((m for m in self.methods if m.remote_id == method_id), None)
        return found.label if found else (f"{method_id} (inconnu d'AR24)" if method_id else "—")


async def payment_methods(ctx: AppContext) -> PaymentLinks:
    """The methods AR24 knows for the user's account, and each entity's current choice (C4)."""
    ar24, acc = await sender(ctx)
    methods = await ar24.payment_methods(acc.remote_id)
    entities = await asyncio.to_thread(lambda: ctx.repos.entities.all())
    return PaymentLinks(methods, entities)


def link_payment_method(ctx: AppContext, entity_id: str, method_id: str) -> Entity:
    """One method per entity (one per building for a syndic): its letters go out with it. Admin only (C5)."""
    ctx.require_admin("Lier un moyen de paiement")
    with ctx.write() as w:
        entity = w.entities.require(entity_id)
        saved = w.entities.change(entity_id, {"payment_method_id": method_id}, expect_rev=entity.rev)
        ctx.audit(w, "entite.paiement", w.entities, entity_id, method_id)
    return saved


def payment_method_for(ctx: AppContext, entity_id: str) -> str:
    entity = ctx.repos.entities.get(entity_id)
    return entity.payment_method_id if entity else ""
