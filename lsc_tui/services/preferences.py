"""The current user's own preferences (O1): read and saved for `ctx.user.login` only, never for someone else.

A preference is the user's choice as a whole (the statuses ticked in the dialog), not a change computed from
what was stored: saving merges it into whatever the record holds (`ANY_REV`), so a second session of the same
person saving a minute later simply wins, as it would on their home page anywhere else.
"""

from __future__ import annotations

from lsc_tui.domain.preferences import MAX_SIGNED_DAYS, HomePreferences
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import ValidationFailed
from lsc_tui.store import ANY_REV

HOME = "home"


def home(ctx: AppContext) -> HomePreferences:
    """What Accueil shows for this user: their saved choice, or every status and no time limit."""
    return HomePreferences.from_record(ctx.repos.preferences.of(ctx.user.login).get(HOME))


def save_home(ctx: AppContext, chosen: HomePreferences) -> HomePreferences:
    ctx.require_write()
    errors: dict[str, str] = {}
    if not chosen.statuses:
        errors["statuses"] = "Cochez au moins un statut : sinon le bloc Signatures resterait vide."
    days = chosen.signed_days
    if days is not None and not 1 <= days <= MAX_SIGNED_DAYS:
        errors["signed_days"] = f"Nombre de jours de 1 à {MAX_SIGNED_DAYS} attendu (vide : ne rien masquer)."
    if errors:
        raise ValidationFailed(errors)
    login = ctx.user.login
    with ctx.write() as w:
        w.preferences.guard()
        exists = bool(w.preferences.of(login))
        saved = w.preferences.put(login, HOME, chosen.to_record(), expect_rev=ANY_REV if exists else None)
    return HomePreferences.from_record(saved.get(HOME))
