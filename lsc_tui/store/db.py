"""The store: JSON records in small TinyDB shard files, shared by many processes on one data directory.

Layout of a data directory::

    store.json            manifest: format name and schema number (what makes a folder "ours")
    .lock                 inter-process lock, held by a writer for the length of one transaction
    sequences.json        durable counters (chrono numbers)
    commit.json           present only while a multi-file transaction is being applied (roll-forward journal)
    tables/<table>/0001.json, 0002.json, …   shards (see shards.py), each with its `.bak`
    tables/<table>/summary.json              counts per shard (see below)

Why this shape (see ARCHITECTURE.md, "The store at firm scale"): one TinyDB file rewrites itself on every write,
1 s per update at 100,000 records. Here a write rewrites only the shards it touched (≤ `shard_size` records), and
every process keeps the parsed shards in memory, re-reading a shard only when its stamp (inode, size, mtime_ns)
changed. Each table folder's mtime is bumped after every commit, so "did anything change?" costs one stat.

Readers never lock: they see each shard either before or after a commit. Writers serialise on `.lock`; a
transaction buffers its writes and, on exit, writes each dirty shard once. When it touches several shards, a
journal makes it all-or-nothing across a crash: the new versions are written and fsynced beside their targets,
the journal listing them is written, then they are renamed into place; whoever takes the lock next finishes an
interrupted rename sequence.

Records handed out by `get` and the `Tx` methods are private deep copies (what a caller edits and saves back).
`all`, `find` and `page` hand out the cached records themselves as `ReadOnlyRecord`s (dicts that refuse
changes), because copying 100,000 records on every listing would cost more than reading them; nested lists and
dicts in those must not be mutated either.

Each table folder also holds `summary.json`: per shard, its stamp, record count and counts by the fields of
`Store.SUMMARY_FIELDS`, so a fresh process answers `count` and `count_by` (the home screen) without parsing
100,000 records. It is derived data, validated entry by entry against the shards' stamps.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from filelock import FileLock, Timeout

from lsc_tui.store import migrations as _migrations
from lsc_tui.store.errors import Conflict, NotFoundError, StoreError
from lsc_tui.store.shards import (
    TABLE_NAME_RE,
    ReadOnlyRecord,
    ShardData,
    is_generated_id,
    list_shards,
    make_id,
    parse_id,
    shard_filename,
    tally,
)
from lsc_tui.store.storage import (
    DIR_MODE,
    FILE_MODE,
    PendingWrite,
    Stamp,
    atomic_write,
    bump_mtime,
    discard,
    dumps,
    fsync_dir,
    gc_paused,
    is_temp_name,
    publish,
    read_json,
    stamp_of,
    write_temp,
)

Record = dict[str, Any]
Predicate = Callable[[Record], bool]

FORMAT = "lsc-tui-store"
MANIFEST = "store.json"
LOCK_FILE = ".lock"
SEQUENCES = "sequences.json"
JOURNAL = "commit.json"
TABLES = "tables"
SUMMARY = "summary.json"
LOCK_TIMEOUT_S = 30.0

_NEVER = -1  # "never verified": no real mtime_ns (nor None, a missing folder) equals it


def _dir_mtime(path: Path) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except FileNotFoundError:
        return None


def _plain(value: Any, table: str) -> Record:
    """A private deep copy that is guaranteed to be plain JSON.

    A datetime or a dataclass would be silently turned into a string by the codec and come back different from
    what was saved, so they are refused here, where the bug is, rather than discovered on the next read.
    """
    if not isinstance(value, dict):
        raise TypeError(f"a record for table {table!r} must be a dict, not {type(value).__name__}")
    try:
        return orjson.loads(
            orjson.dumps(value, option=orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS)
        )
    except orjson.JSONEncodeError as exc:
        raise TypeError(f"a record for table {table!r} is not plain JSON: {exc}") from exc


def _deep_copy(record: Record) -> Record:
    return orjson.loads(orjson.dumps(record))


def _entry_is_valid(entry: Any, stamp: Stamp, field_name: str | None) -> bool:
    if (
        not isinstance(entry, dict)
        or entry.get("stamp") != list(stamp)
        or not isinstance(entry.get("count"), int)
    ):
        return False
    return field_name is None or isinstance(entry.get("by", {}).get(field_name), list)


@dataclass
class _CachedShard:
    data: ShardData
    stamp: Stamp
    checked_at: int | None  # the table folder's mtime when `stamp` was last compared with the file
    counts: dict[str, Counter[Any]] = field(default_factory=dict)

    def count_by(self, field_name: str) -> Counter[Any]:
        counts = self.counts.get(field_name)
        if counts is None:
            counts = self.counts[field_name] = Counter(r.get(field_name) for r in self.data.docs.values())
        return counts


class _Table:
    """What this process knows of one table: the shards it has parsed, and since when they are known fresh."""

    def __init__(self, name: str, path: Path) -> None:
        self.name = name
        self.dir = path
        self.shards: dict[int, _CachedShard] = {}
        self.complete = False  # every shard of the table is loaded (and kept so by later refreshes)
        self.synced_at: int | None = _NEVER  # folder mtime at which the complete table was last verified
        self.index: dict[str, int] = {}  # caller-chosen id → shard number
        self.rows: list[Record] | None = None  # all records in shard order, rebuilt after a change
        self.summary: dict[str, Any] = {}  # summary.json's per-shard entries, as last read or written
        self.summary_stamp: Stamp | None = None

    def install(self, number: int, cached: _CachedShard | None) -> None:
        old = self.shards.pop(number, None)
        if old is not None:
            for custom_id in old.data.custom_ids:
                if self.index.get(custom_id) == number:
                    del self.index[custom_id]
        if cached is not None:
            self.shards[number] = cached
            for custom_id in cached.data.custom_ids:
                self.index[custom_id] = number
        self.rows = None

    def all_rows(self) -> list[Record]:
        if self.rows is None:
            rows: list[Record] = []
            for number in sorted(self.shards):
                rows.extend(self.shards[number].data.docs.values())
            self.rows = rows
        return self.rows


class Store:
    """A data directory opened by one process. Thread-safe; several processes may open the same directory."""

    SCHEMA_VERSION: int = 1
    SHARD_SIZE: int = 1000
    # Fields whose per-shard counts are kept in each table's summary.json, so that `count_by(table, "status")`
    # (the home screen's figures) needs no shard parsed in a fresh process. Others are counted from the records.
    SUMMARY_FIELDS: tuple[str, ...] = ("status",)
    SUMMARY_MAX_VALUES: int = 64

    def __init__(self, root: Path, *, readonly: bool, shard_size: int | None = None) -> None:
        """Use `Store.open`, which checks the directory; this only sets up the in-memory state."""
        self.root = root
        self.readonly = readonly
        self.shard_size = shard_size or self.SHARD_SIZE
        self._tables_dir = root / TABLES
        self._tables: dict[str, _Table] = {}
        self._lock = threading.RLock()  # guards the in-memory cache
        # One transaction at a time per process (threads queue here); the file lock orders the processes.
        self._tx_lock = threading.RLock()
        self._local = threading.local()
        self._file_lock = FileLock(str(root / LOCK_FILE), timeout=LOCK_TIMEOUT_S, mode=FILE_MODE)

    # ----------------------------------------------------------------------------------------------- opening

    @classmethod
    def open(
        cls, root: Path | str, *, create: bool = True, readonly: bool = False, shard_size: int | None = None
    ) -> Store:
        root = Path(root).expanduser().absolute()
        if root.exists() and not root.is_dir():
            raise StoreError(f"{root} n'est pas un dossier : impossible d'y ouvrir les données.", path=root)
        if not root.exists():
            if readonly or not create:
                raise StoreError(f"Le dossier de données {root} n'existe pas.", path=root)
            try:
                root.mkdir(parents=True, mode=DIR_MODE)
            except FileExistsError:
                pass
            except OSError as exc:
                raise StoreError(
                    f"Le dossier {root} n'est pas accessible en écriture ({exc.strerror}).", path=root
                ) from exc
        if not readonly and not os.access(root, os.W_OK | os.X_OK):
            raise StoreError(f"Le dossier {root} n'est pas accessible en écriture.", path=root)
        if not readonly and not os.access(root, os.R_OK | os.X_OK):
            raise StoreError(f"Le dossier {root} n'est pas accessible en lecture.", path=root)

        store = cls(root, readonly=readonly, shard_size=shard_size)
        manifest = store._read_manifest()
        if manifest is None:
            if readonly or not create:
                raise store._not_ours()
            with store._tx_lock, store._locked():
                manifest = store._read_manifest()
                if manifest is None:
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
            store._migrate()
        if not readonly:
            store._tidy()
        return store

    def _not_ours(self) -> StoreError:
        return StoreError(
            f"Le dossier {self.root} n'est pas un dossier de données lsc-tui (pas de fichier {MANIFEST} valide).",
            path=self.root,
        )

    def _read_manifest(self) -> dict[str, Any] | None:
        path = self.root / MANIFEST
        result = read_json(path)
        if result is None:
            names = [n for n in os.listdir(self.root) if n != LOCK_FILE and not is_temp_name(n)]
            if names:
                raise self._not_ours()
            return None
        data, _stamp = result
        if (
            not isinstance(data, dict)
            or data.get("format") != FORMAT
            or not isinstance(data.get("schema"), int)
        ):
            raise self._not_ours()
        return data

    def _check_manifest(self, manifest: dict[str, Any]) -> int:
        schema = int(manifest["schema"])
        if schema > self.SCHEMA_VERSION:
            raise StoreError(
                f"Le dossier de données {self.root} a été créé par une version plus récente (schéma {schema}) ;"
                f" cette version de lsc-tui ne lit que le schéma {self.SCHEMA_VERSION} : mettez lsc-tui à jour.",
                path=self.root / MANIFEST,
            )
        return schema

    def _write_manifest(self, schema: int, created_at: str) -> None:
        payload = {"format": FORMAT, "schema": schema, "created_at": created_at}
        atomic_write(self.root / MANIFEST, dumps(payload))

    def _create(self) -> None:
        self._write_manifest(self.SCHEMA_VERSION, datetime.now(UTC).isoformat(timespec="seconds"))
        self._tables_dir.mkdir(mode=DIR_MODE, exist_ok=True)
        fsync_dir(self.root)

    def _migrate(self) -> None:
        with self._tx_lock, self._locked():
            manifest = self._read_manifest()
            assert manifest is not None
            schema = self._check_manifest(manifest)  # another process may have migrated while we waited
            while schema < self.SCHEMA_VERSION:
                step = _migrations.MIGRATIONS.get(schema)
                if step is None:
                    raise StoreError(
                        f"Le dossier de données {self.root} est au schéma {schema} et aucune migration vers le"
                        f" schéma {schema + 1} n'existe.",
                        path=self.root / MANIFEST,
                    )
                step(self)
                schema += 1
                self._write_manifest(schema, str(manifest.get("created_at", "")))

    def _tidy(self) -> None:
        """Finish a commit interrupted by a crash and remove its leftovers, if there is anything to do."""
        leftovers = (self.root / JOURNAL).exists() or any(self._temp_files())
        if not leftovers:
            if not self._tables_dir.exists():
                self._tables_dir.mkdir(mode=DIR_MODE, exist_ok=True)
            return
        with self._tx_lock, self._locked():
            self._recover()
            for path in self._temp_files():  # under the lock, no writer is between write_temp and publish
                with contextlib.suppress(OSError):
                    path.unlink()
            self._tables_dir.mkdir(mode=DIR_MODE, exist_ok=True)

    def _temp_files(self) -> Iterator[Path]:
        dirs = [self.root]
        with contextlib.suppress(FileNotFoundError):
            dirs += [self._tables_dir / n for n in os.listdir(self._tables_dir)]
        for d in dirs:
            with contextlib.suppress(NotADirectoryError, FileNotFoundError):
                for name in os.listdir(d):
                    if is_temp_name(name):
                        yield d / name

    # ------------------------------------------------------------------------------------- cache and freshness

    def _table(self, name: str) -> _Table:
        table = self._tables.get(name)
        if table is None:
            if not isinstance(name, str) or not TABLE_NAME_RE.match(name):
                raise ValueError(f"invalid table name {name!r}: lowercase letters, digits and _ only")
            table = self._tables[name] = _Table(name, self._tables_dir / name)
        return table

    def _load_shard(self, table: _Table, number: int) -> _CachedShard | None:
        path = table.dir / shard_filename(number)
        result = read_json(path)
        if result is None:
            table.install(number, None)
            return None
        raw, stamp = result
        cached = _CachedShard(ShardData.from_raw(raw, path), stamp, _NEVER)
        table.install(number, cached)
        return cached

    def _check_shard(
        self, table: _Table, number: int, dir_mtime: int | None
    ) -> tuple[_CachedShard | None, bool]:
        cached = table.shards.get(number)
        if cached is not None and cached.checked_at == dir_mtime:
            return cached, False
        try:
            st = os.stat(table.dir / shard_filename(number))
        except FileNotFoundError:
            if cached is not None:
                table.install(number, None)
                return None, True
            return None, False
        changed = False
        if cached is None or cached.stamp != stamp_of(st):
            cached = self._load_shard(table, number)
            changed = True
        if cached is not None:
            cached.checked_at = dir_mtime
        return cached, changed

    def _sync_table(self, table: _Table) -> bool:
        """Make the whole table current; True if anything was re-read. One stat when nothing changed."""
        dir_mtime = _dir_mtime(table.dir)
        if table.complete and dir_mtime == table.synced_at:
            return False
        numbers = list_shards(table.dir) if dir_mtime is not None else []
        changed = False
        present = set(numbers)
        for number in [n for n in table.shards if n not in present]:
            table.install(number, None)
            changed = True
        with gc_paused():
            for number in numbers:
                changed |= self._check_shard(table, number, dir_mtime)[1]
        table.complete = True
        table.synced_at = dir_mtime
        return changed

    def _shard_fresh(self, table: _Table, number: int) -> _CachedShard | None:
        dir_mtime = _dir_mtime(table.dir)
        if table.complete and dir_mtime == table.synced_at:
            return table.shards.get(number)
        return self._check_shard(table, number, dir_mtime)[0]

    def _refresh_known(self, table: _Table) -> bool:
        if table.complete:
            return self._sync_table(table)
        dir_mtime = _dir_mtime(table.dir)
        changed = False
        for number in list(table.shards):
            changed |= self._check_shard(table, number, dir_mtime)[1]
        return changed

    def _rows(self, table: str) -> list[Record]:
        with self._lock:
            t = self._table(table)
            self._sync_table(t)
            return t.all_rows()

    def _find_committed(self, table: str, record_id: str) -> Record | None:
        with self._lock:
            t = self._table(table)
            parsed = parse_id(record_id) if isinstance(record_id, str) else None
            if parsed is not None:
                number, key = parsed
                cached = self._shard_fresh(t, number)
                record = cached.data.docs.get(key) if cached is not None else None
                return record if record is not None and record.get("id") == record_id else None
            self._sync_table(t)
            number = t.index.get(record_id)
            if number is None:
                return None
            data = t.shards[number].data
            return data.docs.get(data.custom_ids[record_id])

    # ------------------------------------------------------------------------------------------------- reads

    def get(self, table: str, record_id: str) -> Record | None:
        record = self._find_committed(table, record_id)
        return _deep_copy(record) if record is not None else None

    def all(self, table: str) -> list[Record]:
        """Every record, in insertion order; read-only (`ReadOnlyRecord`), shared with other callers."""
        return list(self._rows(table))

    def find(self, table: str, pred: Predicate) -> list[Record]:
        return [r for r in self._rows(table) if pred(r)]

    def count(self, table: str, pred: Predicate | None = None) -> int:
        if pred is None:
            return self._summarised(table, None)[0]
        return sum(1 for r in self._rows(table) if pred(r))

    def count_by(self, table: str, field_name: str) -> dict[Any, int]:
        """{value of `field_name` (None when absent): number of records}. For a field in SUMMARY_FIELDS a fresh
        process answers from the summary files, without parsing the shards (≈ ms instead of ≈ 200 ms at 100k)."""
        return dict(self._summarised(table, field_name)[1])

    def page(
        self,
        table: str,
        *,
        pred: Predicate | None = None,
        key: Callable[[Record], Any] | None = None,
        reverse: bool = False,
        offset: int = 0,
        limit: int = 200,
    ) -> tuple[list[Record], int]:
        rows = self._rows(table)
        matching = rows if pred is None else [r for r in rows if pred(r)]
        total = len(matching)
        if key is not None:
            matching = sorted(matching, key=key, reverse=reverse)
        elif reverse:
            matching = matching[::-1]
        return matching[offset : offset + limit], total

    def _summarised(self, table: str, field_name: str | None) -> tuple[int, Counter[Any]]:
        """Record count (and counts by a field) per shard, from memory when fresh, else from summary.json when its
        entry's stamp matches the shard file, else by parsing the shard."""
        with self._lock:
            t = self._table(table)
            dir_mtime = _dir_mtime(t.dir)
            total, counts = 0, Counter[Any]()
            if dir_mtime is None:
                return total, counts
            fresh = t.complete and dir_mtime == t.synced_at
            summary: dict[str, Any] | None = None
            for number in sorted(t.shards) if fresh else list_shards(t.dir):
                cached = t.shards.get(number)
                if not fresh and (cached is None or cached.checked_at != dir_mtime):
                    try:
                        stamp = stamp_of(os.stat(t.dir / shard_filename(number)))
                    except FileNotFoundError:
                        continue
                    if cached is None or cached.stamp != stamp:
                        if summary is None:
                            summary = self._read_summary(t)
                        entry = summary.get(str(number))
                        if _entry_is_valid(entry, stamp, field_name):
                            total += entry["count"]
                            if field_name is not None:
                                for value, n in entry["by"][field_name]:
                                    counts[value] += n
                            continue
                    cached = self._check_shard(t, number, dir_mtime)[0]
                    if cached is None:
                        continue
                total += len(cached.data.docs)
                if field_name is not None:
                    counts.update(cached.count_by(field_name))
            return total, counts

    def _read_summary(self, t: _Table) -> dict[str, Any]:
        """summary.json is derived data checked entry by entry: missing or damaged, it is simply not used."""
        path = t.dir / SUMMARY
        try:
            stamp = stamp_of(os.stat(path))
        except FileNotFoundError:
            return {}
        if stamp == t.summary_stamp:
            return t.summary
        try:
            result = read_json(path)
        except StoreError:
            return {}
        if result is None:
            return {}
        data, t.summary_stamp = result
        shards = data.get("shards") if isinstance(data, dict) else None
        t.summary = shards if isinstance(shards, dict) else {}
        return t.summary

    def _write_summary(self, t: _Table, fresh_at: int | None) -> None:
        """After a commit: entries for the shards this process knows to be current (checked at `fresh_at`), others
        carried over as they are (a stale one no longer matches its shard's stamp and is ignored). Not fsynced:
        it is only a shortcut, checked on every use."""
        entries = dict(self._read_summary(t))
        for number, cached in t.shards.items():
            entry = entries.get(str(number))
            if cached.checked_at == fresh_at and not _entry_is_valid(entry, cached.stamp, None):
                by = {
                    f: tally(cached.data.docs.values(), f, self.SUMMARY_MAX_VALUES)
                    for f in self.SUMMARY_FIELDS
                }
                entries[str(number)] = {"stamp": list(cached.stamp), "count": len(cached.data.docs), "by": by}
        path = t.dir / SUMMARY
        try:
            pending = write_temp(
                path, dumps({"fields": list(self.SUMMARY_FIELDS), "shards": entries}), durable=False
            )
            os.replace(pending.temp, path)
        except (OSError, StoreError):
            return
        t.summary, t.summary_stamp = entries, pending.stamp

    def refresh(self) -> set[str]:
        """Re-read what other processes changed, for the tables this process has read; their names."""
        changed: set[str] = set()
        with self._lock:
            for table in list(self._tables.values()):
                if self._refresh_known(table):
                    changed.add(table.name)
        return changed

    def version_token(self) -> object:
        """Changes whenever any process commits a transaction (one stat: every commit bumps `tables/`'s mtime)."""
        return _dir_mtime(self._tables_dir)

    # ------------------------------------------------------------------------------------------ transactions

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self._file_lock.acquire()
        except Timeout as exc:
            raise StoreError(
                f"Le dossier de données {self.root} est occupé par un autre utilisateur depuis plus de"
                f" {LOCK_TIMEOUT_S:.0f} s (verrou {self.root / LOCK_FILE}) ; réessayez.",
                path=self.root / LOCK_FILE,
            ) from exc
        except OSError as exc:
            raise StoreError(
                f"Le verrou {self.root / LOCK_FILE} ne peut pas être pris ({exc.strerror}).",
                path=self.root / LOCK_FILE,
            ) from exc
        try:
            yield
        finally:
            self._file_lock.release()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Tx]:
        """All-or-nothing writes under the inter-process lock.

        A transaction opened while another is open in the same thread joins it (services call each other); if the
        inner block fails, the outer one writes nothing even if it catches the error.
        """
        if self.readonly:
            raise StoreError(
                f"Le dossier de données {self.root} est ouvert en lecture seule : rien ne peut y être enregistré.",
                path=self.root,
            )
        current: Tx | None = getattr(self._local, "tx", None)
        if current is not None:
            try:
                yield current
            except BaseException:
                current._doomed = True
                raise
            return
        with self._tx_lock, self._locked():
            self._recover()
            tx = Tx(self)
            self._local.tx = tx
            try:
                yield tx
                if tx._doomed:
                    raise StoreError(
                        f"Transaction abandonnée après une erreur : rien n'a été enregistré dans {self.root}.",
                        path=self.root,
                    )
                self._commit(tx)
            finally:
                self._local.tx = None
                tx._closed = True

    def _commit(self, tx: Tx) -> None:
        if not tx._work:
            return
        with self._lock:
            by_table: dict[str, list[tuple[int, ShardData]]] = {}
            for (name, number), data in tx._work.items():
                by_table.setdefault(name, []).append((number, data))
            before: dict[str, int | None] = {}
            new_dirs = False
            for name in by_table:
                t = self._tables[name]
                before[name] = _dir_mtime(t.dir)
                if before[name] is None:
                    try:
                        t.dir.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
                    except OSError as exc:
                        raise StoreError(
                            f"Impossible de créer le dossier {t.dir} ({exc.strerror}).", path=t.dir
                        ) from exc
                    new_dirs = True
            if new_dirs:
                fsync_dir(self._tables_dir)

            pending: list[tuple[_Table, int, ShardData, PendingWrite]] = []
            try:
                for name, shards in by_table.items():
                    t = self._tables[name]
                    for number, data in shards:
                        payload = dumps(data.to_raw(name, number))
                        pending.append((t, number, data, write_temp(t.dir / shard_filename(number), payload)))
                journal = self._write_journal([p for *_, p in pending]) if len(pending) > 1 else None
            except BaseException:
                for *_, p in pending:
                    discard(p)
                raise
            try:
                for *_, p in pending:
                    publish(p)
            except OSError as exc:
                self._forget_freshness()
                if journal is None:  # the single rename did not happen: nothing was written
                    for *_, p in pending:
                        discard(p)
                    raise StoreError(
                        f"Rien n'a pu être enregistré dans {pending[0][3].target} ({exc.strerror}).",
                        path=pending[0][3].target,
                    ) from exc
                with contextlib.suppress(StoreError, OSError):
                    self._recover()  # the journal makes the commit durable: finish it now if the disk allows
                raise StoreError(
                    f"L'enregistrement dans {self.root} a été interrompu ({exc.strerror}) ; il sera terminé à la"
                    " prochaine écriture.",
                    path=self.root,
                ) from exc
            for name in by_table:
                fsync_dir(self._tables[name].dir)
            if journal is not None:
                journal.unlink()

            # Nobody else could write while we held the lock, so what was current before our renames still is:
            # carry that knowledge forward, refresh the summary, then announce the commit (the mtime bump last,
            # so the folder's final mtime is the one this process records).
            for t, number, data, p in pending:
                t.install(number, _CachedShard(data, p.stamp, before[t.name]))
            for name in by_table:
                self._write_summary(self._tables[name], before[name])
            for name in by_table:
                t = self._tables[name]
                after = bump_mtime(t.dir)
                for cached in t.shards.values():
                    if cached.checked_at == before[name]:
                        cached.checked_at = after
                if t.complete and t.synced_at == before[name]:
                    t.synced_at = after
            bump_mtime(self._tables_dir)

    def _write_journal(self, pending: list[PendingWrite]) -> Path:
        path = self.root / JOURNAL
        entries = [
            [str(p.temp.relative_to(self.root)), str(p.target.relative_to(self.root))] for p in pending
        ]
        atomic_write(path, dumps({"writes": entries}), keep_backup=False)
        return path

    def _recover(self) -> None:
        """Finish renaming the files of a commit whose journal survived a crash (caller holds the lock)."""
        path = self.root / JOURNAL
        result = read_json(path)
        if result is None:
            return
        data, _stamp = result
        dirs: set[Path] = set()
        for temp_rel, target_rel in data.get("writes", []):
            temp, target = self.root / temp_rel, self.root / target_rel
            if temp.exists():
                publish(PendingWrite(target, temp, (0, 0, 0)))
            dirs.add(target.parent)
        for d in dirs:
            fsync_dir(d)
        path.unlink()
        for d in dirs:
            bump_mtime(d)
        bump_mtime(self._tables_dir)
        self._forget_freshness()

    def _forget_freshness(self) -> None:
        with self._lock:
            for table in self._tables.values():
                table.synced_at = _NEVER
                for cached in table.shards.values():
                    cached.checked_at = _NEVER

    def _next_sequence(self, name: str) -> int:
        if not isinstance(name, str) or not name:
            raise ValueError("a sequence name is a non-empty string")
        path = self.root / SEQUENCES
        result = read_json(path)
        values: dict[str, int] = {}
        if result is not None:
            values = result[0]
            if not isinstance(values, dict):
                raise StoreError(
                    f"Le fichier de données {path} est illisible (structure inattendue).", path=path
                )
        value = int(values.get(name, 0)) + 1
        values[name] = value
        atomic_write(path, dumps(values))
        return value


class Tx:
    """Buffered writes of one transaction; reads through it see its own writes."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._work: dict[tuple[str, int], ShardData] = {}
        self._checked: set[tuple[str, int]] = set()
        self._synced: set[str] = set()
        self._fill: dict[str, int] = {}
        self._doomed = False
        self._closed = False

    # -------------------------------------------------------------------------------------------- internals

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("this transaction is closed; open a new one with store.transaction()")

    def _committed(self, table: str, number: int) -> ShardData | None:
        """The committed shard, verified current once per transaction (the lock keeps it so afterwards)."""
        store = self._store
        with store._lock:
            t = store._table(table)
            key = (table, number)
            if key in self._checked or table in self._synced:
                cached = t.shards.get(number)
            else:
                cached = store._shard_fresh(t, number)
                self._checked.add(key)
            return cached.data if cached is not None else None

    def _view(self, table: str, number: int) -> ShardData | None:
        work = self._work.get((table, number))
        return work if work is not None else self._committed(table, number)

    def _writable(self, table: str, number: int) -> ShardData:
        key = (table, number)
        work = self._work.get(key)
        if work is None:
            base = self._committed(table, number)
            work = base.copy() if base is not None else ShardData()
            self._work[key] = work
        return work

    def _sync(self, table: str) -> _Table:
        store = self._store
        with store._lock:
            t = store._table(table)
            if table not in self._synced:
                store._sync_table(t)
                self._synced.add(table)
            return t

    def _locate(self, table: str, record_id: str) -> tuple[int, str] | None:
        if not isinstance(record_id, str):
            return None
        parsed = parse_id(record_id)
        if parsed is not None:
            number, key = parsed
            data = self._view(table, number)
            record = data.docs.get(key) if data is not None else None
            return parsed if record is not None and record.get("id") == record_id else None
        t = self._sync(table)
        for (name, number), work in self._work.items():
            if name == table and record_id in work.custom_ids:
                return number, work.custom_ids[record_id]
        number = t.index.get(record_id)
        if number is None or (table, number) in self._work:
            return None
        key = t.shards[number].data.custom_ids.get(record_id)
        return (number, key) if key is not None else None

    def _current(self, table: str, record_id: str, expect_rev: int | None) -> tuple[ShardData, str, Record]:
        location = self._locate(table, record_id)
        t = self._store._table(table)
        if location is None:
            parsed = parse_id(record_id) if isinstance(record_id, str) else None
            where = t.dir / shard_filename(parsed[0]) if parsed else t.dir
            raise NotFoundError(
                f"L'enregistrement « {record_id} » n'existe pas (ou plus) dans la table {table} ({where}).",
                path=where,
            )
        number, key = location
        work = self._writable(table, number)
        current = work.docs[key]
        rev = int(current.get("_rev", 0))
        if expect_rev is not None and expect_rev != rev:
            where = t.dir / shard_filename(number)
            raise Conflict(
                f"L'enregistrement « {record_id} » de la table {table} a été modifié par un autre utilisateur"
                f" (version {rev} enregistrée, {expect_rev} attendue) — fichier {where}.",
                path=where,
            )
        return work, key, current

    def _fill_shard(self, table: str) -> tuple[int, ShardData]:
        number = self._fill.get(table)
        if number is None:
            numbers = list_shards(self._store._table(table).dir)
            number = self._fill[table] = numbers[-1] if numbers else 1
        work = self._writable(table, number)
        if work.next_serial > self._store.shard_size:
            number = self._fill[table] = number + 1
            work = self._writable(table, number)
        return number, work

    # ---------------------------------------------------------------------------------------------- writes

    def insert(self, table: str, record: Record, *, id: str | None = None) -> Record:
        """Add a record; its id is generated unless given (argument, or an "id" key in the record)."""
        self._check_open()
        rec = _plain(record, table)
        given = rec.pop("id", None)
        rec.pop("_rev", None)
        if id is not None and given is not None and given != id:
            raise ValueError(f"two different ids for one record: {id!r} and {given!r}")
        record_id = id if id is not None else given
        if record_id is not None:
            if not isinstance(record_id, str) or not record_id:
                raise ValueError(f"a record id is a non-empty string, not {record_id!r}")
            if is_generated_id(record_id):
                raise ValueError(
                    f"ids shaped like {record_id!r} (NNNN-NNNNNN) are reserved for generated ids"
                )
            if self._locate(table, record_id) is not None:
                raise Conflict(
                    f"L'enregistrement « {record_id} » existe déjà dans la table {table}"
                    f" ({self._store._table(table).dir}).",
                    path=self._store._table(table).dir,
                )
        number, work = self._fill_shard(table)
        serial = work.next_serial
        work.next_serial += 1
        key = str(serial)
        if record_id is None:
            record_id = make_id(number, serial)
        else:
            work.custom_ids[record_id] = key
        stored = ReadOnlyRecord({"id": record_id, **rec, "_rev": 1})
        work.docs[key] = stored
        return _deep_copy(stored)

    def insert_many(self, table: str, records: list[Record]) -> list[Record]:
        return [self.insert(table, r) for r in records]

    def update(self, table: str, record_id: str, changes: Record, *, expect_rev: int | None = None) -> Record:
        """Merge `changes` into the record (top-level keys). A "_rev" in `changes` counts as `expect_rev`."""
        self._check_open()
        ch = _plain(changes, table)
        if ch.pop("id", record_id) != record_id:
            raise ValueError("update cannot change a record's id")
        rev_in = ch.pop("_rev", None)
        work, key, current = self._current(table, record_id, expect_rev if expect_rev is not None else rev_in)
        merged = {**current, **ch}
        merged.pop("_rev", None)  # keep "_rev" last, as in every stored record
        merged["_rev"] = int(current.get("_rev", 0)) + 1
        new = work.docs[key] = ReadOnlyRecord(merged)
        return _deep_copy(new)

    def replace(self, table: str, record: Record, *, expect_rev: int | None = None) -> Record:
        """Store `record` whole (keys it lacks are dropped). Its own "_rev", if any, counts as `expect_rev`."""
        self._check_open()
        rec = _plain(record, table)
        record_id = rec.pop("id", None)
        if not isinstance(record_id, str):
            raise ValueError("replace needs the record's id")
        rev_in = rec.pop("_rev", None)
        work, key, current = self._current(table, record_id, expect_rev if expect_rev is not None else rev_in)
        new = work.docs[key] = ReadOnlyRecord(
            {"id": record_id, **rec, "_rev": int(current.get("_rev", 0)) + 1}
        )
        return _deep_copy(new)

    def delete(self, table: str, record_id: str, *, expect_rev: int | None = None) -> None:
        self._check_open()
        work, key, _current = self._current(table, record_id, expect_rev)
        del work.docs[key]
        work.custom_ids.pop(record_id, None)

    # ----------------------------------------------------------------------------------------------- reads

    def get(self, table: str, record_id: str) -> Record | None:
        self._check_open()
        location = self._locate(table, record_id)
        if location is None:
            return None
        number, key = location
        data = self._view(table, number)
        assert data is not None
        return _deep_copy(data.docs[key])

    def next_sequence(self, name: str) -> int:
        """Next value of a durable counter, written to disk before this returns: never handed out twice, even if
        the transaction then fails or the process dies (a failed transaction leaves a gap, never a duplicate)."""
        self._check_open()
        return self._store._next_sequence(name)
