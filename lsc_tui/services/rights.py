"""Giving and taking back a right (C5): administrators only, one audit line each, checked again by every
service that needs the right (a screen hiding a key is a courtesy, not the check)."""

from __future__ import annotations

from lsc_tui.domain.rights import RIGHTS
from lsc_tui.domain.users import User
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import EditConflict, Forbidden, ServiceError
from lsc_tui.store import Conflict

ACTION = "Gérer les droits des utilisateurs"


def require(ctx: AppContext, right: str) -> None:
    """Refused with the right's name unless the user is an administrator or holds it."""
    ctx.require_write()
    if not (ctx.user.is_admin or right in ctx.user.rights):
        raise Forbidden(
            f"« {RIGHTS[right]} » est réservé aux administrateurs et aux utilisateurs qui en ont reçu le droit :"
            " demandez-le à un administrateur (lsc-tui users grant)."
        )


def set_right(ctx: AppContext, login: str, right: str, granted: bool) -> User:
    ctx.require_admin(ACTION)
    if right not in RIGHTS:
        known = ", ".join(RIGHTS)
        raise ServiceError(f"Droit inconnu « {right} » : les droits sont {known}.")
    try:
        with ctx.write() as w:
            user = w.users.by_login(login)
            if user is None:
                raise ServiceError(f"L'utilisateur {login} n'existe pas.")
            rights = sorted({*user.rights, right} if granted else set(user.rights) - {right})
            saved = w.users.change(user.id, {"rights": rights}, expect_rev=user.rev)
            ctx.audit(
                w,
                "utilisateur.droit",
                w.users,
                user.id,
                f"{login} : {right} {'donné' if granted else 'retiré'}",
            )
    except Conflict as exc:
        raise EditConflict(f"L'utilisateur {login}") from exc
    return saved
