"""Who is at the keyboard, and who may work on the store (C5).

Identity is the OS account of the process (its real uid): staff log in over SSH with their own accounts, so
the system has already authenticated them. An environment variable is not identity — anyone can set
`USER=claire` — and is honoured only in a demo folder, where a salesperson switches between demo users.
An account unknown to the store opens read-only.
"""

from __future__ import annotations

import os
import pwd

from lsc_tui.domain.users import User, UserRole
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import ServiceError, ValidationFailed
from lsc_tui.store import RecordStore
from lsc_tui.store.repositories import Repos

DEMO_USER_ENV = "LSC_TUI_USER"


def os_login() -> str:
    """The login of the process's real uid (not $USER, not $LOGNAME)."""
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return str(os.getuid())


def current_login(*, demo: bool = False) -> str:
    if demo and os.environ.get(DEMO_USER_ENV):
        return os.environ[DEMO_USER_ENV]
    return os_login()


def resolve_user(store: RecordStore, login: str) -> tuple[User, bool]:
    """Return the user and whether the session is read-only (unknown login)."""
    user = Repos(store).users.by_login(login)
    if user is not None:
        return user, False
    return User(login=login, name=f"{login} (invité)", role=UserRole.STAFF), True


def list_users(ctx: AppContext) -> list[User]:
    return ctx.repos.users.all()


def _check_login(login: str) -> str:
    login = login.strip()
    if not login or len(login) > 32 or not all(c.isalnum() or c in "._-" for c in login):
        raise ValidationFailed({"login": f"« {login} » n'est pas un identifiant système valide."})
    return login


def add_first_admin(store: RecordStore, login: str, name: str = "") -> User:
    """`lsc-tui init`: the first user of an empty store is an admin (nobody else could create them)."""
    login = _check_login(login)
    with store.transaction() as tx:
        w = Repos(tx)
        w.users.guard()
        if w.users.count():
            raise ServiceError("Ce dossier a déjà des utilisateurs : ajoutez-en avec « lsc-tui users add ».")
        return w.users.insert(User(login=login, name=name or login, role=UserRole.ADMIN))


def add_user(ctx: AppContext, login: str, *, admin: bool = False, name: str = "", email: str = "") -> User:
    ctx.require_admin("Gérer les utilisateurs")
    login = _check_login(login)
    with ctx.write() as w:
        w.users.guard()
        if w.users.by_login(login) is not None:
            raise ServiceError(f"L'utilisateur {login} existe déjà.")
        user = w.users.insert(
            User(
                login=login, name=name or login, email=email, role=UserRole.ADMIN if admin else UserRole.STAFF
            )
        )
        ctx.audit(w, "utilisateur.ajouter", w.users, user.id, f"{login} ({user.role.value})")
    return user


def remove_user(ctx: AppContext, login: str) -> None:
    ctx.require_admin("Gérer les utilisateurs")
    with ctx.write() as w:
        w.users.guard()
        user = w.users.by_login(login)
        if user is None:
            raise ServiceError(f"L'utilisateur {login} n'existe pas.")
        if user.is_admin and len(w.users.admins()) == 1:
            raise ServiceError(f"{login} est le dernier administrateur : nommez-en un autre d'abord.")
        w.users.remove(user.id, expect_rev=user.rev)
        ctx.audit(w, "utilisateur.retirer", w.users, user.id, login)
