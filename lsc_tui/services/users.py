"""Who is at the keyboard: the OS login picks the User; an unknown login reads but cannot write (C5)."""

from __future__ import annotations

import getpass
import os

from lsc_tui.domain.models import User, UserRole
from lsc_tui.store import Store

USERS = "users"


def current_login() -> str:
    return os.environ.get("LSC_TUI_USER") or getpass.getuser()


def resolve_user(store: Store, login: str) -> tuple[User, bool]:
    """Return the user and whether the session is read-only (unknown login)."""
    for rec in store.all(USERS):
        if rec.get("login") == login:
            return User.from_record(rec), False
    return User(login=login, name=f"{login} (invité)", role=UserRole.STAFF), True


def list_users(store: Store) -> list[User]:
    return [User.from_record(r) for r in store.all(USERS)]
