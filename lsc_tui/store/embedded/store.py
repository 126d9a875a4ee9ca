"""The embedded store: JSON records in small TinyDB shard files, shared by many processes on one folder.

Layout of a data directory::

    store.json              manifest: format name and schema number (what makes a folder "ours")
    catalog.json            the commit point: current file of every shard, counts, counters (catalog.py)
    catalog.json.bak        the previous catalog (its files are kept until the next commit)
    .lock                   inter-process lock, held by a writer for the length of one transaction
    tables/<table>/0001.g42.json …   shard files, immutable once written (shards.py)

Why this shape (ARCHITECTURE.md, "The store at firm scale"): one TinyDB file rewrites itself on every write,
1 s per update at 100,000 records. Here a write rewrites only the shards it touched (≤ `shard_size` records).
Every process keeps the parsed shards in memory, keyed by file name; "did anything change?" is one stat of
the catalog, and only the shards whose file name changed are read again.

Readers never lock and never see half a commit (they read the files one catalog names). Writers serialise on
`.lock` for the length of a transaction, which reads and checks under that lock and commits all at once.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from lsc_tui.domain.listing import MemoryListing
from lsc_tui.store.embedded.cache import FileGone, TableCache, check_files, load_shard, missing_file_error
from lsc_tui.store.embedded.catalog import Catalog, parse_catalog
from lsc_tui.store.embedded.commit import CATALOG, collect, collect_temps, write_commit
from lsc_tui.store.embedded.files import (
    FILE_MODE,
    atomic_write,
    dumps,
    loads,
    make_dir,
    read_bytes,
)
from lsc_tui.store.embedded.reads import StoreReads
from lsc_tui.store.embedded.shards import ShardData
from lsc_tui.store.embedded.transaction import EmbeddedTx
from lsc_tui.store.errors import CorruptFileError, StoreError
from lsc_tui.store.tables import TableSpec, default_spec

Record = dict[str, Any]
T = TypeVar("T")

FORMAT = "lsc-tui-store"
MANIFEST = "store.json"
LOCK_FILE = ".lock"
TABLES = "tables"
LOCK_TIMEOUT_S = 30.0
READ_ATTEMPTS = 5


class EmbeddedStore(StoreReads):
    """A data directory opened by one process. Thread-safe; several processes may open the same directory."""

    SCHEMA_VERSION = 2
    SHARD_SIZE = 1000

    def __init__(
        self, root: Path, *, readonly: bool, shard_size: int | None, specs: Mapping[str, TableSpec] | None
    ) -> None:
        """Use `EmbeddedStore.open`, which checks the directory; this only sets up the in-memory state."""
        self.root = root
        self.readonly = readonly
        self.shard_size = shard_size or self.SHARD_SIZE
        self.specs: Mapping[str, TableSpec] = specs if specs is not None else {}
        self.tables_dir = root / TABLES
        self._lock = threading.RLock()  # guards the in-memory cache
        self._tx_lock = (
            threading.RLock()
        )  # one transaction at a time per process; the file lock orders processes
        self._local = threading.local()
        self._file_lock: Any = None  # made by the first transaction (filelock: 10 ms of every start)
        self._catalog = Catalog()
        self._catalog_stamp: tuple[int, int, int] | None = None
        self._caches: dict[str, TableCache] = {}
        self._listings: dict[tuple[str, Any], tuple[int, MemoryListing]] = {}
        self._seen: dict[str, int] | None = None

    @property
    def location(self) -> str:
        return str(self.root)

    def spec(self, table: str) -> TableSpec:
        return self.specs.get(table) or default_spec(table)

    # ---- opening ---------------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        root: Path | str,
        *,
        create: bool = False,
        readonly: bool = False,
        shard_size: int | None = None,
        specs: Mapping[str, TableSpec] | None = None,
    ) -> EmbeddedStore:
        """Open a data directory; with `create`, make it if it does not exist or is an empty folder."""
        root = Path(root).expanduser().absolute()
        if root.exists() and not root.is_dir():
            raise StoreError(f"{root} est un fichier, pas un dossier de données lsc-tui.", path=root)
        if not root.exists():
            if not create:
                raise StoreError(
                    f"Le dossier de données {root} n'existe pas : créez-le avec"
                    f" « lsc-tui init --data {root} --admin <identifiant> ».",
                    path=root,
                )
            make_dir(root)
        access = os.R_OK | os.X_OK | (0 if readonly else os.W_OK)
        if not os.access(root, access):
            raise StoreError(
                f"Le dossier {root} n'est pas accessible en {'lecture' if readonly else 'écriture'} : vérifiez"
                " qu'il appartient au groupe du cabinet et que vous en êtes membre.",
                path=root,
            )
        store = cls(root, readonly=readonly, shard_size=shard_size, specs=specs)
        manifest = store._read_manifest()
        if manifest is None:
            if not create or readonly:
                raise store._not_ours()
            with store._tx_lock, store._locked():
                if store._read_manifest() is None:
                    store._create()
            manifest = store._read_manifest()
            assert manifest is not None
        schema = store._check_manifest(manifest)
        if schema < cls.SCHEMA_VERSION:
            if readonly:
                raise StoreError(
                    f"Le dossier de données {root} doit être mis à jour (schéma {schema} → {cls.SCHEMA_VERSION}) :"
                    " ouvrez-le une fois sans l'option lecture seule.",
                    path=root,
                )
            with store._tx_lock, store._locked():
                current = store._check_manifest(store._read_manifest() or {})
                if current < cls.SCHEMA_VERSION:
                    from lsc_tui.store.embedded import migrate  # once per folder: not on every start

                    migrate.to_catalog(root, store.tables_dir, store.specs)
                    store._write_manifest(cls.SCHEMA_VERSION, str(manifest.get("created_at", "")))
        store.verify()
        return store

    def _not_ours(self) -> StoreError:
        return StoreError(
            f"Le dossier {self.root} n'est pas un dossier de données lsc-tui (pas de fichier {MANIFEST} valide)"
            " : choisissez un autre dossier, ou un dossier vide pour en créer un.",
            path=self.root,
        )

    def _read_manifest(self) -> dict[str, Any] | None:
        path = self.root / MANIFEST
        result = read_bytes(path)
        if result is None:
            names = [n for n in os.listdir(self.root) if n != LOCK_FILE and not n.startswith(".")]
            if names:
                raise self._not_ours()
            return None
        try:
            data = loads(result[0], path)
        except CorruptFileError as exc:
            raise self._not_ours() from exc
        if (
            not isinstance(data, dict)
            or data.get("format") != FORMAT
            or not isinstance(data.get("schema"), int)
        ):
            raise self._not_ours()
        return data

    def _check_manifest(self, manifest: dict[str, Any]) -> int:
        schema = int(manifest.get("schema", 0))
        if schema > self.SCHEMA_VERSION:
            raise StoreError(
                f"Le dossier de données {self.root} a été créé par une version plus récente (schéma {schema}) ;"
                f" cette version de lsc-tui ne lit que le schéma {self.SCHEMA_VERSION} : mettez lsc-tui à jour.",
                path=self.root / MANIFEST,
            )
        return schema

    def _write_manifest(self, schema: int, created_at: str) -> None:
        atomic_write(
            self.root / MANIFEST, dumps({"format": FORMAT, "schema": schema, "created_at": created_at})
        )

    def _create(self) -> None:
        make_dir(self.tables_dir)
        atomic_write(self.root / CATALOG, dumps(Catalog().to_raw()))
        self._write_manifest(self.SCHEMA_VERSION, datetime.now(UTC).isoformat(timespec="seconds"))

    def verify(self, *, deep: bool = False) -> None:
        """Refuse a damaged directory before anything is shown: missing, emptied, truncated or hand-edited shard
        files are named (one stat per shard; files changed outside lsc-tui are read and checked). `deep` reads
        and checks every record of every shard (`lsc-tui store check`)."""
        for folder in (self.tables_dir,):
            if folder.is_symlink() or not folder.is_dir():
                raise CorruptFileError(
                    f"Le dossier {folder} manque ou est un lien : faites restaurer le dossier de données.",
                    path=folder,
                )
        with self._lock:
            for table, number, file, data in self._read(lambda catalog: self._checked(catalog, deep)):
                self._cache(table).install(number, file, data)

    def _checked(self, catalog: Catalog, deep: bool) -> list[tuple[str, int, str, ShardData]]:
        """`verify` on one catalog: the shards to install. A file that catalog named may be collected by
        commits landing meanwhile (FileGone): `_read` then runs it again on the newer catalog."""
        for table in catalog.tables:
            folder = self.tables_dir / table
            if folder.is_symlink() or not folder.is_dir():
                raise CorruptFileError(
                    f"Le dossier de la table {table} ({folder}) manque ou est un lien : rien n'a été lu."
                    " Faites restaurer le dossier de données depuis la sauvegarde.",
                    path=folder,
                )
        suspects = check_files(self.tables_dir, catalog)
        targets = [(t, n, e) for t, n, e, _p in catalog.shard_files(self.tables_dir)] if deep else suspects
        return [
            (
                table,
                number,
                entry.file,
                load_shard(self.tables_dir, table, number, entry, self.spec(table), verify=deep),
            )
            for table, number, entry in targets
        ]

    # ---- catalog and cache -----------------------------------------------------------------------------

    def _read_catalog(self, *, force: bool = False) -> Catalog:
        with self._lock:
            return self._read_catalog_locked(force)

    def _read_catalog_locked(self, force: bool) -> Catalog:
        path = self.root / CATALOG
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise CorruptFileError(
                f"Le catalogue {path} manque : sans lui les données ne peuvent pas être lues sûrement."
                f" La version précédente est {CATALOG}.bak : faites restaurer le dossier de données.",
                path=path,
            ) from None
        stamp = (st.st_ino, st.st_size, st.st_mtime_ns)
        if force or stamp != self._catalog_stamp:
            result = read_bytes(path)
            if result is None:
                return self._read_catalog_locked(True)
            raw, st2 = result
            self._catalog = parse_catalog(loads(raw, path), path)
            self._catalog_stamp = (st2.st_ino, st2.st_size, st2.st_mtime_ns)
        return self._catalog

    def _read(self, fn: Callable[[Catalog], T]) -> T:
        """Run a read on the current catalog; if a file it names was collected meanwhile (this reader was more
        than one commit behind), read the newer catalog and run it again."""
        for attempt in range(READ_ATTEMPTS):
            catalog = self._read_catalog(force=attempt > 0)
            try:
                return fn(catalog)
            except FileGone:
                continue
        raise self._gone_error()

    def _gone_error(self) -> StoreError:
        catalog = self._read_catalog(force=True)
        for table, _number, entry, path in catalog.shard_files(self.tables_dir):
            if not path.exists():
                return missing_file_error(self.tables_dir, table, entry)
        return StoreError(f"Le dossier de données {self.root} change trop vite pour être lu ; réessayez.")

    # ---- transactions ----------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        from filelock import FileLock, Timeout

        if self._file_lock is None:  # callers hold `_tx_lock`: made once
            self._file_lock = FileLock(str(self.root / LOCK_FILE), timeout=LOCK_TIMEOUT_S, mode=FILE_MODE)
        try:
            self._file_lock.acquire()
        except Timeout as exc:
            raise StoreError(
                f"Le dossier de données {self.root} est occupé par un autre utilisateur depuis plus de"
                f" {LOCK_TIMEOUT_S:.0f} s ; réessayez dans un instant.",
                path=self.root / LOCK_FILE,
            ) from exc
        except OSError as exc:
            raise StoreError(
                f"Le verrou {self.root / LOCK_FILE} ne peut pas être pris ({exc.strerror}) : vérifiez les droits du"
                " groupe du cabinet sur le dossier.",
                path=self.root / LOCK_FILE,
            ) from exc
        try:
            yield
        finally:
            self._file_lock.release()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[EmbeddedTx]:
        """All-or-nothing writes under the inter-process lock.

        A transaction opened while another is open in the same thread joins it (services call each other); if the
        inner block fails, the outer one writes nothing even if it catches the error.
        """
        if self.readonly:
            raise StoreError(
                f"Le dossier de données {self.root} est ouvert en lecture seule : rien ne peut y être enregistré.",
                path=self.root,
            )
        current: EmbeddedTx | None = getattr(self._local, "tx", None)
        if current is not None:
            try:
                yield current
            except BaseException:
                current.doomed = True
                raise
            return
        with self._tx_lock, self._locked():
            with self._lock:
                base = self._read_catalog()
            tx = EmbeddedTx(self, base)
            self._local.tx = tx
            try:
                yield tx
                if tx.doomed:
                    raise StoreError(
                        f"Transaction abandonnée après une erreur : rien n'a été enregistré dans {self.root}.",
                        path=self.root,
                    )
                self._commit(tx)
            finally:
                self._local.tx = None
                tx.closed = True

    def _commit(self, tx: EmbeddedTx) -> None:
        if not tx.work and not tx.sequences:
            return
        catalog, files = write_commit(self.tables_dir, self.root, tx.base, tx.work, tx.sequences, self.specs)
        with self._lock:
            # Nobody else could commit while we held the lock: install what we wrote without reading it back.
            for (table, number), name in files.items():
                self._cache(table).install(number, name, tx.work[(table, number)])
            for table in {t for t, _n in files}:
                cache = self._cache(table)
                entry = catalog.table(table)
                if entry is not None and cache.loaded_gen == tx.base.tables.get(table, entry).gen:
                    cache.loaded_gen = entry.gen
            self._catalog = catalog
            with contextlib.suppress(OSError):
                st = os.stat(self.root / CATALOG)
                self._catalog_stamp = (st.st_ino, st.st_size, st.st_mtime_ns)
        # Every table, not only those written: a writer killed mid-commit may have left files anywhere.
        collect(self.tables_dir, self.root, set(catalog.tables) | set(tx.base.tables), catalog, tx.base)
        collect_temps(self.root)

    def close(self) -> None:
        with self._lock:
            self._caches.clear()
            self._listings.clear()
