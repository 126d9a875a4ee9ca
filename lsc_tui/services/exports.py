"""CSV files written where the user says (the journal, consumption): readable by the firm's group only, whole
or not at all, and opened without surprise in a French spreadsheet.

- 0640: the data holds clients' names; the firm's folder is group-shared, never world-readable.
- Written beside the target then renamed: an export cut short (disk full, Ctrl+C) never leaves half a file.
- « ; » between fields and a UTF-8 BOM: what a French Excel expects to show accents and columns right.
- A cell starting with = + - @ is prefixed with ' : a name typed as `=HYPERLINK(…)` stays text in a
  spreadsheet instead of becoming a formula (CSV injection).
"""

from __future__ import annotations

import contextlib
import csv
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lsc_tui.services.errors import ServiceError

MODE = 0o640
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class FileExists(ServiceError):
    """The target exists: the screen asks before writing over it."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"Le fichier {path} existe déjà.")
        self.path = path


@dataclass(frozen=True)
class Export:
    path: Path
    rows: int


def target(text: str) -> Path:
    """The absolute path a typed path means (« ~ » is the user's home; relative: from where lsc-tui runs)."""
    text = text.strip()
    if not text:
        raise ServiceError("Indiquez le chemin du fichier à écrire (ex. ~/journal.csv).")
    path = Path(text).expanduser()
    return path if path.is_absolute() else Path.cwd() / path


def cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv(
    text: str, header: Sequence[str], rows: Iterable[Sequence[object]], *, overwrite: bool = False
) -> Export:
    path = target(text)
    if path.is_dir():
        raise ServiceError(f"{path} est un dossier : ajoutez le nom du fichier (ex. {path / 'export.csv'}).")
    if not path.parent.is_dir():
        raise ServiceError(f"Le dossier {path.parent} n'existe pas : créez-le ou choisissez un autre chemin.")
    if path.exists() and not overwrite:
        raise FileExists(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    count = 0
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, MODE)
        os.fchmod(fd, MODE)  # whatever the umask
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out, delimiter=";")
            writer.writerow([cell(h) for h in header])
            for row in rows:
                writer.writerow([cell(v) for v in row])
                count += 1
        os.replace(temporary, path)
    except PermissionError as exc:
        raise ServiceError(
            f"Écriture refusée dans {path.parent} : choisissez un dossier où vous pouvez écrire."
        ) from exc
    except OSError as exc:
        raise ServiceError(
            f"Le fichier {path} n'a pas pu être écrit ({exc.strerror}) : rien n'a été écrit."
        ) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    return Export(path, count)
