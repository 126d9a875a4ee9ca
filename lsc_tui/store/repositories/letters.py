"""Registered letters (LRE through AR24): one record per letter and recipient, with AR24's status and dates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lsc_tui.domain.letters import LetterKind, RegisteredLetter
from lsc_tui.domain.statuses import LetterStatus, check_letter_transition
from lsc_tui.store.protocol import ExpectRev
from lsc_tui.store.repositories import table_names
from lsc_tui.store.repositories.base import Record, Repository, folded_text
from lsc_tui.store.tables import TableSpec


def _check(record: Record) -> str:
    status, kind = record.get("status", "draft"), record.get("kind", "eidas")
    if status not in LetterStatus.__members__.values():
        return f"statut inconnu « {status} »"
    if kind not in LetterKind.__members__.values():
        return f"type de lettre inconnu « {kind} »"
    return ""


def _status_label(record: Record) -> str:
    status = record.get("status")
    return LetterStatus(status).label if status in LetterStatus.__members__.values() else str(status)


class LetterRepository(Repository[RegisteredLetter]):
    SPEC = TableSpec(
        table_names.LETTERS,
        indexed=(
            "status",
            "created_by",
            "entity_id",
            "event_id",
            "party_id",
            "kind",
            "reference",
            "remote_id",
            "day",
        ),
        order=(("deposit_sort", True),),
        computed={
            "deposit_sort": lambda r: r.get("deposit_date") or "9999",
            "day": lambda r: str(r.get("deposit_date") or r.get("created_at") or "")[:10],
        },
        search=folded_text(
            lambda r: r.get("status"),
            _status_label,
            lambda r: r.get("recipient_name"),
            lambda r: r.get("recipient_email"),
            lambda r: r.get("subject"),
            lambda r: r.get("reference"),
        ),
        summary=("status",),
        check=_check,
    )
    NOUN = "Cette lettre"

    def to_model(self, record: Record) -> RegisteredLetter:
        return RegisteredLetter.from_record(record)

    def counts_by_status(self) -> dict[str, int]:
        return {str(k): v for k, v in self._count_by("status").items()}

    def pending_for(self, login: str) -> list[RegisteredLetter]:
        """`login`'s letters waiting for the end-of-day OTP validation, by entity then date (L8)."""
        return self._select(
            {"status": LetterStatus.TO_VALID.value, "created_by": login},
            order=(("entity_id", False), ("created_at", False)),
        )

    def interrupted_for(self, login: str) -> list[RegisteredLetter]:
        """`login`'s letters whose end-of-day send was cut (SENDING at the validate stage): F9 retries them,
        looking each one up at AR24 by its reference first, so none is sent twice."""
        found = self._select({"status": LetterStatus.SENDING.value, "created_by": login})
        return [x for x in found if x.stage == "validate"]

    def in_flight(self, login: str | None = None) -> list[RegisteredLetter]:
        """Letters written as SENDING (a batch was cut, or is running): what a re-run reconciles."""
        where: dict[str, Any] = {"status": LetterStatus.SENDING.value}
        if login is not None:
            where["created_by"] = login
        return self._select(where)

    def for_events(self, event_ids: Sequence[str]) -> list[RegisteredLetter]:
        return self._select({"event_id": tuple(event_ids)}) if event_ids else []

    def with_status(
        self, statuses: Sequence[LetterStatus], login: str | None = None
    ) -> list[RegisteredLetter]:
        where: dict[str, Any] = {"status": tuple(s.value for s in statuses)}
        if login is not None:
            where["created_by"] = login
        return self._select(where, order=(("entity_id", False), ("created_at", False)))

    def by_remote_id(self, remote_id: str) -> RegisteredLetter | None:
        found = self._select({"remote_id": str(remote_id)}, limit=1) if remote_id else []
        return found[0] if found else None

    def by_reference(self, reference: str) -> RegisteredLetter | None:
        found = self._select({"reference": reference}, limit=1)
        return found[0] if found else None

    def set_status(
        self, letter_id: str, status: LetterStatus, *, expect_rev: ExpectRev, **fields: Any
    ) -> RegisteredLetter:
        """Move a letter to `status` if the trade allows it from where it stands (statuses.py)."""
        current = self._tx().get(self.table, letter_id)
        if current is not None:
            check_letter_transition(LetterStatus(current.get("status", "draft")), status)
        return self.change(letter_id, {"status": status.value, **fields}, expect_rev=expect_rev)

    def change_many(self, changes: Sequence[tuple[str, Record, ExpectRev]]) -> dict[str, int]:
        """Merge fields into many letters in the open transaction, each with the revision its caller read,
        without building the models back: a 1,000-letter end-of-day batch writes at once. → new revisions."""
        tx = self._tx()
        out: dict[str, int] = {}
        for letter_id, fields, expect_rev in changes:
            out[letter_id] = int(
                tx.update(self.table, letter_id, fields, expect_rev=expect_rev).get("_rev", 0)
            )
        return out

    def states(self, letter_ids: Sequence[str]) -> dict[str, tuple[LetterStatus, int]]:
        """(status, revision) of many letters, without building the models: what a batch checks before it
        writes AR24's answers (a third of writing 1,000 outcomes was reading the letters back whole)."""
        found = self._reader.get_many(self.table, letter_ids)
        return {
            rid: (LetterStatus(r.get("status", "draft")), int(r.get("_rev", 0))) for rid, r in found.items()
        }
