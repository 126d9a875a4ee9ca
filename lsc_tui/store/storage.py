"""Files on disk: orjson codec, atomic replace with a backup of the previous version, and change stamps.

Every byte the store writes goes through `write_temp` + `publish`: the new content is written beside the target,
fsynced, then renamed over it, so a reader (or a crash) only ever sees the old file or the new one, never half of
each. Before the rename the old version is hard-linked to `<file>.bak`: that is the "last good copy" a person can
restore when a file is damaged outside our control. Locking is the caller's job (the `Store` holds the
inter-process lock around a transaction); this module only guarantees that each single file changes atomically.
"""

from __future__ import annotations

import contextlib
import gc
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from lsc_tui.store.errors import CorruptFileError, StoreError

FILE_MODE = 0o600
DIR_MODE = 0o700
TEMP_SUFFIX = ".tmp"
BACKUP_SUFFIX = ".bak"

# (inode, size, mtime_ns): a rename gives a new inode, and `write_temp` forces a strictly increasing mtime_ns, so
# two versions of a file never share a stamp even when written within one clock tick with the same size.
Stamp = tuple[int, int, int]


def stamp_of(st: os.stat_result) -> Stamp:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + BACKUP_SUFFIX)


def is_temp_name(name: str) -> bool:
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Parsing 100,000 records allocates 100,000 dicts; the cyclic GC would rescan them again and again (2x slower).

    JSON data has no reference cycles, so pausing the collector while building it loses nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def corrupt_error(path: Path, detail: str) -> CorruptFileError:
    bak = backup_path(path)
    if bak.exists():
        kept = f"la version précédente est conservée dans {bak.name}"
    else:
        kept = "aucune copie de sauvegarde n'existe"
    return CorruptFileError(
        f"Le fichier de données {path} est illisible ({detail}) ; {kept}. Faites restaurer ce fichier avant de continuer.",
        path=path,
    )


def read_json(path: Path) -> tuple[Any, Stamp] | None:
    """Parse a data file; None if it does not exist. The stamp is taken from the open descriptor, so it describes
    exactly the bytes parsed even if a writer replaces the file meanwhile."""
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            raw = f.read()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(
            f"Le fichier de données {path} ne peut pas être lu ({exc.strerror}).", path=path
        ) from exc
    if not raw.strip():
        raise corrupt_error(path, "fichier vide")
    try:
        with gc_paused():
            data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise corrupt_error(path, "contenu JSON invalide") from exc
    return data, stamp_of(st)


def fsync_dir(path: Path) -> None:
    """Make a rename durable: the directory entry itself must reach the disk, not only the file's content."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError:  # some filesystems refuse fsync on a directory; the rename is still atomic there
        pass
    finally:
        os.close(fd)


def bump_mtime(path: Path) -> int:
    """Give a directory a fresh, strictly increasing mtime_ns, so pollers see a change even within one clock tick.

    The kernel stamps a renamed-into directory with a coarse clock (one tick is several ms); two commits in the
    same tick would otherwise leave the directory's mtime unchanged.
    """
    try:
        before = os.stat(path).st_mtime_ns
    except FileNotFoundError:
        return 0
    new = max(time.time_ns(), before + 1)
    os.utime(path, ns=(new, new))
    return new


@dataclass(frozen=True)
class PendingWrite:
    """New content durably written next to its target, waiting for `publish` to rename it into place."""

    target: Path
    temp: Path
    stamp: Stamp


def write_temp(target: Path, payload: bytes, *, durable: bool = True) -> PendingWrite:
    """Write beside `target`; `durable=False` skips the fsync, for derived files that are checked on read."""
    temp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
    try:
        before = os.stat(target).st_mtime_ns
    except FileNotFoundError:
        before = 0
    mtime = max(time.time_ns(), before + 1)
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
    except OSError as exc:
        raise StoreError(
            f"Impossible d'écrire dans le dossier {target.parent} ({exc.strerror}).", path=target
        ) from exc
    try:
        view = memoryview(payload)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.utime(fd, ns=(mtime, mtime))
        if durable:
            os.fsync(fd)
        st = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise StoreError(f"Impossible d'écrire le fichier {target} ({exc.strerror}).", path=target) from exc
    os.close(fd)
    return PendingWrite(target, temp, stamp_of(st))


def publish(pending: PendingWrite, *, keep_backup: bool = True) -> None:
    """Rename the new content into place, first keeping the current version as `<file>.bak`.

    The backup is a hard link (no copy: the old inode simply keeps a second name), taken before the rename so the
    target path exists at every instant.
    """
    target = pending.target
    if keep_backup:
        bak = backup_path(target)
        bak_temp = target.with_name(f".{bak.name}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
        try:
            os.link(target, bak_temp)
        except FileNotFoundError:
            bak_temp = None  # first version of this file: nothing to keep
        except OSError:  # a filesystem without hard links: copy instead
            shutil.copy2(target, bak_temp)
        if bak_temp is not None:
            os.replace(bak_temp, bak)
    os.replace(pending.temp, target)


def discard(pending: PendingWrite) -> None:
    with contextlib.suppress(OSError):
        os.unlink(pending.temp)


def atomic_write(target: Path, payload: bytes, *, keep_backup: bool = True) -> Stamp:
    pending = write_temp(target, payload)
    try:
        publish(pending, keep_backup=keep_backup)
    except OSError as exc:
        discard(pending)
        raise StoreError(
            f"Impossible de remplacer le fichier {target} ({exc.strerror}).", path=target
        ) from exc
    fsync_dir(target.parent)
    return pending.stamp


def dumps(data: Any) -> bytes:
    return orjson.dumps(data)


class OrjsonStorage(Storage):
    """TinyDB storage for one shard: orjson instead of `json` (5-10x faster) and an atomic, backed-up replace.

    Any shard file can be opened with `TinyDB(path, storage=OrjsonStorage)` for inspection or a one-off repair
    script; the `Store` itself calls `read`/`write` through the same functions, holding the inter-process lock.
    """

    def __init__(self, path: str | os.PathLike[str], create_dirs: bool = False, **_: Any) -> None:
        super().__init__()
        self.path = Path(path)
        if create_dirs:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)

    def read(self) -> dict[str, dict[str, Any]] | None:
        result = read_json(self.path)
        if result is None:
            return None
        data, _stamp = result
        if not isinstance(data, dict):
            raise corrupt_error(self.path, "structure inattendue")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        atomic_write(self.path, dumps(data))

    def close(self) -> None:
        pass
