"""Entities and their mail variables (C6): the manager's name and email printed on letters and used to sign.

Changing them changes who signs as Gérant on every future request of the entity, so it is admin-only.
"""

from __future__ import annotations

from typing import Any

from lsc_tui.domain.contact import check_email
from lsc_tui.domain.models import Entity, MailVariables
from lsc_tui.domain.names import check_name, normalise_name
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import EditConflict, ValidationFailed
from lsc_tui.store import Conflict


def list_entities(ctx: AppContext) -> list[Entity]:
    return ctx.repos.entities.all()


def administration(ctx: AppContext) -> dict[str, Any]:
    """The firm's own settings record (name, address, contact, mail variables); empty when not configured."""
    return ctx.repos.settings.administration()


def administration_variables(ctx: AppContext) -> MailVariables:
    return MailVariables.from_record(administration(ctx).get("mail_variables"))


def manager_of(ctx: AppContext, entity: Entity) -> MailVariables | None:
    """T2: the entity's variables, else the administration's; None when both lack a name or an email."""
    for mv in (entity.mail_variables, administration_variables(ctx)):
        if mv.manager_name.strip() and mv.manager_email.strip():
            return mv
    return None


def save_mail_variables(ctx: AppContext, entity_id: str, name: str, email: str, *, expect_rev: int) -> Entity:
    ctx.require_admin("Modifier les variables courrier")
    errors = {}
    if name.strip() and (msg := check_name(name, field="Nom du gestionnaire")):
        errors["manager_name"] = msg
    if email.strip() and (msg := check_email(email)):
        errors["manager_email"] = msg
    if errors:
        raise ValidationFailed(errors)
    try:
        with ctx.write() as w:
            w.entities.require(entity_id)
            saved = w.entities.change(
                entity_id,
                {"mail_variables": MailVariables(normalise_name(name), email.strip()).to_record()},
                expect_rev=expect_rev,
            )
            ctx.audit(w, "entite.variables_courrier", w.entities, entity_id, "manager_name, manager_email")
    except Conflict as exc:
        raise EditConflict("Cette entité") from exc
    return saved
