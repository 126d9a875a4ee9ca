"""Files kept beside the store: rendered letters, signed PDFs, proof files — byte for byte, with their hash.

A signed PDF is evidence: it is kept exactly as the provider returned it and its SHA-256 goes into the record
that points to it, so anyone can later show the file was not altered. Files live under the firm's data folder
(`<data>/documents/<category>/…`), group-shared like the store, written whole or not at all, and read back
only through a path this module made (no `..`, no absolute path, no link), whatever a record says.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from lsc_tui.documents.pdf import DocumentError

ROOT = "documents"
FILE_MODE = 0o660
DIR_MODE = 0o2770
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RELATIVE = re.compile(r"^[a-z][a-z0-9_-]{0,40}/[A-Za-z0-9._-]{1,120}$")


@dataclass(frozen=True)
class StoredFile:
    path: str
    """Relative to the data folder's `documents/`: what a record stores."""
    sha256: str
    size: int


def _folder(data_dir: Path, category: str) -> Path:
    folder = data_dir / ROOT / category
    for d in (data_dir / ROOT, folder):
        if not d.exists():
            with contextlib.suppress(FileExistsError):
                d.mkdir(mode=DIR_MODE)
                os.chmod(d, DIR_MODE)
    return folder


def store_file(data_dir: Path, category: str, name: str, data: bytes, *, suffix: str = ".pdf") -> StoredFile:
    """Keep `data` under a new name derived from `name` (never overwriting another file); durable on return.
    `suffix`: ".zip" for a proof file (S10) or a provider's zipped audit trail."""
    stem = _SAFE.sub("-", name.removesuffix(suffix)).strip("-.")[:80] or "document"
    relative = f"{category}/{stem}.{secrets.token_hex(4)}{suffix}"
    if not _RELATIVE.match(relative):
        raise ValueError(f"bad archive category {category!r}")
    target = _folder(data_dir, category) / relative.split("/", 1)[1]
    temp = target.with_name(f".{target.name}.tmp")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
        try:
            os.fchmod(fd, FILE_MODE)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise DocumentError(
            f"Impossible d'enregistrer le document dans {target.parent} ({exc.strerror}) : vérifiez l'espace"
            " disque et les droits du groupe du cabinet."
        ) from exc
    return StoredFile(relative, hashlib.sha256(data).hexdigest(), len(data))


def read_file(data_dir: Path, relative: str, *, sha256: str = "") -> bytes:
    """The bytes of a kept file; with `sha256`, refused if they are not exactly the ones kept."""
    if not _RELATIVE.match(relative or ""):
        raise DocumentError(f"Chemin de document refusé : « {relative} ».")
    path = data_dir / ROOT / relative
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError as exc:
        raise DocumentError(f"Le document {path} a disparu : restaurez-le depuis la sauvegarde.") from exc
    except OSError as exc:
        raise DocumentError(f"Le document {path} ne peut pas être lu ({exc.strerror}).") from exc
    with os.fdopen(fd, "rb") as f:
        data = f.read()
    if sha256 and hashlib.sha256(data).hexdigest() != sha256:
        raise DocumentError(
            f"Le document {path} a été modifié depuis son enregistrement (empreinte SHA-256 différente) :"
            " restaurez l'original depuis la sauvegarde."
        )
    return data


def absolute(data_dir: Path, relative: str) -> Path:
    if not _RELATIVE.match(relative or ""):
        raise DocumentError(f"Chemin de document refusé : « {relative} ».")
    return data_dir / ROOT / relative
