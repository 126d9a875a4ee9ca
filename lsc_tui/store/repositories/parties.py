"""Tiers: every person or company on file, with their contact details and LRE consent."""

from __future__ import annotations

from typing import Any

from lsc_tui.domain.models import Party, PartyKind
from lsc_tui.domain.search import fold
from lsc_tui.store.protocol import ExpectRev
from lsc_tui.store.repositories import table_names
from lsc_tui.store.repositories.base import Record, Repository, folded_text
from lsc_tui.store.tables import TableSpec


def display_name(record: Record) -> str:
    if record.get("kind") == "company" and record.get("company_name"):
        return str(record["company_name"])
    return f"{str(record.get('last_name', '')).upper()} {record.get('first_name', '')}".strip()


def _sort_name(record: Record) -> str:
    name = record.get("company_name") if record.get("kind") == "company" else record.get("last_name", "")
    return fold(f"{name} {record.get('first_name', '')}")


def _check(record: Record) -> str:
    kind = record.get("kind", "person")
    if kind not in PartyKind.__members__.values():
        return f"type de tiers inconnu « {kind} »"
    return ""


class PartyRepository(Repository[Party]):
    SPEC = TableSpec(
        table_names.PARTIES,
        indexed=("kind", "code", "email"),
        order=(("sort_name", False),),
        computed={"sort_name": _sort_name},
        search=folded_text(
            display_name,
            lambda r: r.get("email"),
            lambda r: r.get("mobile"),
            lambda r: (r.get("address") or {}).get("city"),
            lambda r: r.get("code"),
        ),
        check=_check,
    )
    NOUN = "Ce tiers"

    def to_model(self, record: Record) -> Party:
        return Party.from_record(record)

    def names(self, party_ids: list[str]) -> dict[str, str]:
        return {pid: p.display_name for pid, p in self.get_many(party_ids).items()}

    def update_contact(self, party_id: str, changes: dict[str, Any], *, expect_rev: ExpectRev) -> Party:
        return self.change(party_id, changes, expect_rev=expect_rev)
