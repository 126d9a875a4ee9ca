"""Errors a screen can show as they are: every message is French and says what to do."""

from __future__ import annotations

from lsc_tui.domain.errors import ExplainedError


class ServiceError(ExplainedError):
    """A use case refused or failed for a reason a person can act on."""


class Forbidden(ServiceError):
    """The user's role does not allow the action (checked here, not only hidden on screen)."""


class ReadOnly(Forbidden):
    def __init__(self) -> None:
        super().__init__("Lecture seule : votre identifiant n'est pas déclaré comme utilisateur de lsc-tui.")


class ValidationFailed(ServiceError):
    """Field-level problems; the screen keeps what was typed and shows each message next to its field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ; ".join(errors.values()))
        self.errors = errors


class EditConflict(ServiceError):
    def __init__(self, what: str) -> None:
        super().__init__(
            f"{what} a été modifié par un autre utilisateur pendant votre saisie. "
            "Votre saisie est conservée : rechargez (F5) pour voir sa version, puis enregistrez à nouveau."
        )
