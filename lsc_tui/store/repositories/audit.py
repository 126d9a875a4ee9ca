"""The audit log (X6): who did what, when, on which record — appended in the writer's own transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lsc_tui.store.repositories import table_names
from lsc_tui.store.repositories.base import Record, Repository
from lsc_tui.store.tables import TableSpec


@dataclass(frozen=True)
class AuditEntry:
    at: str
    user: str
    action: str
    table: str
    record_id: str
    detail: str = ""
    id: str = ""

    def to_record(self) -> Record:
        return {
            "at": self.at,
            "user": self.user,
            "action": self.action,
            "table": self.table,
            "record_id": self.record_id,
            "detail": self.detail,
        }


class AuditRepository(Repository[AuditEntry]):
    SPEC = TableSpec(
        table_names.AUDIT,
        indexed=("record_id", "user", "action", "table", "day"),
        order=(("at", True),),
        computed={"day": lambda r: str(r.get("at") or "")[:10]},
        search=lambda r: " ".join(
            str(r.get(k, "")) for k in ("user", "action", "table", "record_id", "detail")
        ),
    )
    NOUN = "Cette ligne du journal"

    def to_model(self, record: Record) -> AuditEntry:
        return AuditEntry(
            record["at"],
            record["user"],
            record["action"],
            record.get("table", ""),
            record.get("record_id", ""),
            record.get("detail", ""),
            record["id"],
        )

    def append(self, entry: AuditEntry) -> None:
        """`detail` must never hold a secret: callers pass field names and public values only."""
        self._tx().insert(self.table, entry.to_record())

    def for_record(self, record_id: str) -> list[AuditEntry]:
        return self._select({"record_id": record_id}, order=(("at", False),))

    def for_records(self, record_ids: list[str]) -> dict[str, list[AuditEntry]]:
        """The lines of many records in one read (a proof bundle: one read per chunk, not per file), oldest
        first."""
        out: dict[str, list[AuditEntry]] = {i: [] for i in record_ids}
        if record_ids:
            for entry in self._select({"record_id": tuple(record_ids)}, order=(("at", False),)):
                out.setdefault(entry.record_id, []).append(entry)
        return out

    def actions(self) -> list[str]:
        """Every action the log holds (a count by the indexed column: no line read)."""
        return sorted(str(a) for a in self._count_by("action"))

    def oldest_day(self) -> dt.date | None:
        """The day of the first line (the start of « up to » a date), None for an empty log."""
        found = self._select(order=(("at", False),), limit=1)
        return dt.date.fromisoformat(found[0].at[:10]) if found else None
