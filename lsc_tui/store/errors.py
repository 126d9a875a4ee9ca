"""Errors of the store, worded for people: the CLI and the screens show `message` as it is."""

from __future__ import annotations

from pathlib import Path

from lsc_tui.domain.errors import ExplainedError


class StoreError(ExplainedError):
    """A problem with the data directory that a person can act on (permissions, a damaged file, a newer version).

    The message is one line of French that names the file or folder, because the person reading it is the one who
    will restore a backup or call the administrator.
    """

    def __init__(self, message: str, *, path: Path | str | None = None) -> None:
        super().__init__(message)
        self.path = Path(path) if path is not None else None


class Conflict(StoreError):
    """Someone else saved this record first: the caller reloads it and asks the person what to keep."""


class NotFoundError(StoreError):
    """The record is gone (deleted by another user, or a stale link)."""


class CorruptFileError(StoreError):
    """A data file does not parse; the previous good version is kept beside it as `<file>.bak`."""


RESTORE_HINT = (
    " Rien n'a été modifié : faites restaurer ce fichier depuis la sauvegarde du dossier, puis vérifiez le tout"
    " avec « lsc-tui store check »."
)
