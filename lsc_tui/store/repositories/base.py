"""What every repository shares: its table, the record ↔ model mapping, and reads/writes with revisions.

A repository is bound to a `Reader`: the store (committed data) or a transaction (its own writes included,
and the only way to write). Services never see table names, filters or records: they call a repository's
named queries and get domain objects back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Generic, TypeVar, cast

from lsc_tui.store.errors import NotFoundError, StoreError
from lsc_tui.store.protocol import ExpectRev, Listing, Reader, RecordStore, Transaction, Where
from lsc_tui.store.tables import TableSpec

M = TypeVar("M")
Record = dict[str, Any]


class UnreadableRecord(StoreError):
    """A stored record this version cannot turn into a model (an unknown status written by hand, a missing
    field): the message names the record and its table, and nothing else is affected."""


class Repository(Generic[M]):
    SPEC: ClassVar[TableSpec]
    NOUN: ClassVar[str] = "Cet enregistrement"
    """How messages name one record: « Ce tiers », « Ce modèle »…"""

    def __init__(self, reader: Reader) -> None:
        self._reader = reader

    @property
    def table(self) -> str:
        """The table's name, for the audit log's record references."""
        return self.SPEC.name

    # ---- mapping --------------------------------------------------------------------------------------

    def to_model(self, record: Record) -> M:
        raise NotImplementedError

    def to_record(self, model: M) -> Record:
        record = cast(Any, model).to_record()
        record.pop("id", None)
        return cast(Record, record)

    def model(self, record: Record) -> M:
        """`to_model`, with a damaged record reported by name instead of a KeyError deep in a screen."""
        try:
            return self.to_model(record)
        except (KeyError, ValueError, TypeError) as exc:
            raise UnreadableRecord(
                f"L'enregistrement « {record.get('id', '?')} » de la table {self.table} est illisible"
                f" ({describe(exc)}) : corrigez-le ou faites restaurer la sauvegarde."
            ) from exc

    # ---- reads ----------------------------------------------------------------------------------------

    def get(self, record_id: str) -> M | None:
        record = self._reader.get(self.table, record_id)
        return self.model(record) if record is not None else None

    def require(self, record_id: str) -> M:
        found = self.get(record_id)
        if found is None:
            raise NotFoundError(f"{self.NOUN} n'existe plus (supprimé par un autre utilisateur ?).")
        return found

    def get_many(self, record_ids: Sequence[str]) -> dict[str, M]:
        return {rid: self.model(r) for rid, r in self._reader.get_many(self.table, record_ids).items()}

    def _select(
        self, where: Where | None = None, *, order: Sequence[tuple[str, bool]] = (), limit: int | None = None
    ) -> list[M]:
        return [self.model(r) for r in self._reader.select(self.table, where, order=order, limit=limit)]

    def _count(self, where: Where | None = None) -> int:
        return self._reader.count(self.table, where)

    def count(self) -> int:
        return self._count()

    def all(self) -> list[M]:
        return self._select(order=self.SPEC.order)

    # ---- lists ----------------------------------------------------------------------------------------

    def _store(self) -> RecordStore:
        if not isinstance(self._reader, RecordStore):
            raise TypeError("lists and counts by field are read from the store, not inside a transaction")
        return self._reader

    def listing(self, where: Where | None = None) -> Listing:
        return self._store().listing(self.table, where)

    def token(self) -> object:
        return self._store().table_token(self.table)

    def _count_by(self, field: str, where: Where | None = None) -> dict[Any, int]:
        return self._store().count_by(self.table, field, where)

    # ---- writes (inside a transaction) ----------------------------------------------------------------

    def _tx(self) -> Transaction:
        writable = self.__dict__.get("_writable")
        if writable is None:  # a runtime-checkable Protocol's isinstance costs ~50 µs: once per repository
            writable = isinstance(self._reader, Transaction) and not isinstance(self._reader, RecordStore)
            self._writable = writable
        if not writable:
            raise TypeError(f"{type(self).__name__}: writes go through `with ctx.write() as w:`")
        return self._reader

    def insert(self, model: M) -> M:
        return self.model(self._tx().insert(self.table, self.to_record(model)))

    def insert_many(self, models: Sequence[M]) -> list[M]:
        tx = self._tx()
        return [self.model(tx.insert(self.table, self.to_record(m))) for m in models]

    def save(self, model: M) -> M:
        """Store the whole model, refused with `Conflict` if someone saved it since it was read (`model.rev`)."""
        record = self.to_record(model)
        record["id"] = cast(Any, model).id
        return self.model(self._tx().replace(self.table, record, expect_rev=cast(Any, model).rev))

    def change(self, record_id: str, changes: Record, *, expect_rev: ExpectRev) -> M:
        """Merge some fields (top level) into a record, with the revision the caller read."""
        return self.model(self._tx().update(self.table, record_id, changes, expect_rev=expect_rev))

    def remove(self, record_id: str, *, expect_rev: ExpectRev) -> None:
        self._tx().delete(self.table, record_id, expect_rev=expect_rev)

    def guard(self) -> None:
        """Serialise this check-then-write (a uniqueness test) with every other one on the table."""
        self._tx().guard(self.table)


def describe(exc: BaseException) -> str:
    """A short French reason for a mapping failure, without the record's content (personal data)."""
    if isinstance(exc, KeyError):
        return f"champ {exc.args[0]!r} manquant"
    text = str(exc)
    if "is not a valid" in text:
        value = text.split(" is not a valid")[0]
        return f"valeur {value} inconnue"
    return type(exc).__name__


def folded_text(*parts: Callable[[Record], Any]) -> Callable[[Record], str]:
    """A `TableSpec.search` built from field getters (each may return a string or a list of strings)."""

    def text(record: Record) -> str:
        out: list[str] = []
        for part in parts:
            value = part(record)
            if isinstance(value, (list, tuple)):
                out.extend(str(v) for v in value)
            elif value:
                out.append(str(value))
        return " ".join(out)

    return text
