"""Bytes on disk: the orjson codec, group-shared modes, durable new files, and change stamps.

A firm's staff are separate OS accounts in one group, so everything the store creates is group read-write
and never world-readable (files 0660, folders 2770: the setgid bit makes new files inherit the firm's
group). The mode is set with fchmod after creation, because a user's umask (often 022) would otherwise strip
the group's write bit and lock colleagues out.

Files are never modified in place: new content goes to a new file, fsynced, and becomes visible only when
the catalog that names it is renamed into place (see `catalog.py`). Several fsyncs of one commit run
concurrently: the filesystem journals them together, so a commit costs about one fsync, not one per file.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from lsc_tui.store.errors import RESTORE_HINT, CorruptFileError, StoreError

FILE_MODE = 0o660
DIR_MODE = 0o2770
TEMP_SUFFIX = ".tmp"

# (size, mtime_ns): what the catalog records of each file it names, to notice a file changed by hand.
Stamp = tuple[int, int]

_FSYNC_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="lsc-fsync")


def _new_fsync_pool() -> None:
    """A forked child has none of its parent's threads: a pool inherited with workers would never run."""
    global _FSYNC_POOL
    _FSYNC_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="lsc-fsync")


os.register_at_fork(after_in_child=_new_fsync_pool)


def stamp_of(st: os.stat_result) -> Stamp:
    return (st.st_size, st.st_mtime_ns)


def is_temp_name(name: str) -> bool:
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def temp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}{TEMP_SUFFIX}")


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Parsing 100,000 records allocates 100,000 dicts; the cyclic GC would rescan them again and again.

    JSON data has no reference cycles, so pausing the collector while building it loses nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def loads(raw: bytes, path: Path) -> Any:
    if not raw.strip():
        raise CorruptFileError(f"Le fichier de données {path} est vide.{RESTORE_HINT}", path=path)
    try:
        with gc_paused():
            return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        detail = "encodage invalide" if "utf-8" in str(exc).lower() else "contenu JSON invalide ou tronqué"
        raise CorruptFileError(
            f"Le fichier de données {path} est illisible ({detail}).{RESTORE_HINT}", path=path
        ) from exc


def read_bytes(path: Path) -> tuple[bytes, os.stat_result] | None:
    """The file's bytes and the stat of exactly those bytes; None if it does not exist."""
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            return f.read(), st
    except FileNotFoundError:
        return None
    except IsADirectoryError as exc:
        raise CorruptFileError(f"{path} est un dossier, pas un fichier de données.", path=path) from exc
    except OSError as exc:
        raise StoreError(
            f"Le fichier de données {path} ne peut pas être lu ({exc.strerror}) : vérifiez ses droits"
            " (groupe du cabinet, lecture-écriture).",
            path=path,
        ) from exc


def dumps(data: Any) -> bytes:
    return orjson.dumps(data)


def make_dir(path: Path) -> None:
    """A group-shared folder (2770), whatever the umask; an existing one is left as it is."""
    try:
        path.mkdir(mode=DIR_MODE)
    except FileExistsError:
        return
    except OSError as exc:
        raise StoreError(f"Impossible de créer le dossier {path} ({exc.strerror}).", path=path) from exc
    with contextlib.suppress(OSError):
        os.chmod(path, DIR_MODE)


@dataclass
class NewFile:
    """Content written beside its target, not yet fsynced nor visible: `sync_all`, then `publish`."""

    fd: int
    temp: Path
    target: Path
    stamp: Stamp = (0, 0)

    def take_stamp(self) -> Stamp:
        self.stamp = stamp_of(os.fstat(self.fd))
        return self.stamp

    def close(self) -> None:
        if self.fd >= 0:
            self.take_stamp()
            os.close(self.fd)
            self.fd = -1

    def publish(self) -> None:
        """Rename into place (atomic: a reader sees the old file or the new one, never half of each); a file
        written directly under its final name only needs closing."""
        self.close()
        if self.temp != self.target:
            os.replace(self.temp, self.target)

    def abandon(self) -> None:
        with contextlib.suppress(OSError):
            if self.fd >= 0:
                os.close(self.fd)
        self.fd = -1
        with contextlib.suppress(OSError):
            os.unlink(self.temp)


def write_new(target: Path, payload: bytes, *, direct: bool = False) -> NewFile:
    """Write `payload` to a temp file beside `target` (group-shared mode whatever the umask).

    `direct` writes under the final name at once: for a new file that nothing references until a catalog names
    it (its folder entry then exists before the folder is fsynced, so the commit needs no second round).
    """
    temp = target if direct else temp_name(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW | (os.O_TRUNC if direct else os.O_EXCL)
    try:
        fd = os.open(temp, flags, FILE_MODE)
    except OSError as exc:
        raise StoreError(
            f"Impossible d'écrire dans le dossier {target.parent} ({exc.strerror}) : vérifiez ses droits.",
            path=target,
        ) from exc
    new = NewFile(fd, temp, target)
    try:
        os.fchmod(fd, FILE_MODE)
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        new.abandon()
        raise StoreError(f"Impossible d'écrire le fichier {target} ({exc.strerror}).", path=target) from exc
    return new


def sync_all(files: Iterable[NewFile], dirs: Iterable[Path] = ()) -> None:
    """fsync every file and folder concurrently (one journal commit for all of them on most filesystems)."""
    dir_fds: list[int] = []
    try:
        for d in dirs:
            dir_fds.append(os.open(d, os.O_RDONLY | os.O_DIRECTORY))
        list(_FSYNC_POOL.map(_fsync, [*(f.fd for f in files), *dir_fds]))
    finally:
        for fd in dir_fds:
            os.close(fd)


def _fsync(fd: int) -> None:
    try:
        os.fsync(fd)
    except OSError as exc:
        if (
            exc.errno != errno.EINVAL
        ):  # a folder on a filesystem that refuses fsync: the rename is still atomic
            raise StoreError(f"Écriture sur disque impossible ({exc.strerror}).") from exc


def fsync_dir(path: Path) -> None:
    sync_all((), (path,))


def atomic_write(target: Path, payload: bytes) -> None:
    """Replace one small file (the catalog, the manifest) all-or-nothing and durably."""
    new = write_new(target, payload)
    try:
        sync_all((new,))
        new.publish()
    except OSError as exc:
        new.abandon()
        raise StoreError(
            f"Impossible de remplacer le fichier {target} ({exc.strerror}).", path=target
        ) from exc
    except BaseException:
        new.abandon()
        raise
    fsync_dir(target.parent)
