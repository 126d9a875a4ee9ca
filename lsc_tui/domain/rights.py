"""Rights a user may be given beyond their role (C5): what the source system calls « Gestion des profils ».

An administrator may do everything; a member of staff gets a right by name, given by an administrator.
Kept as names on the user, so a right added by a later version is simply unknown to an older one.
"""

from __future__ import annotations

from lsc_tui.domain.users import User

MESSAGES = "messages"

RIGHTS: dict[str, str] = {
    MESSAGES: "Gestion des modèles de messages de la signature électronique",
}


def may(user: User, right: str) -> bool:
    return user.is_admin or right in user.rights
