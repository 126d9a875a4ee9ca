"""Events: letters and acts made from a template for an entity and its parties, numbered when sent (E1–E3).

An event carries the names of its entity, template and parties as they were when it was made (like a
letter's recipient name): lists show and search them without joining three tables, on both backends. The
embedded store keeps only the fields the list shows in memory (`listed`): `listing()` rows are not models.
"""

from __future__ import annotations

from lsc_tui.domain.models import Event
from lsc_tui.store.protocol import ExpectRev
from lsc_tui.store.repositories import table_names
from lsc_tui.store.repositories.base import Record, Repository, folded_text
from lsc_tui.store.tables import TableSpec

STATES = ("draft", "signature", "registered", "filed")


def _date(record: Record) -> str:
    return str(record.get("chrono_date") or record.get("created_at") or "")


def _check(record: Record) -> str:
    state = record.get("state", "draft")
    return "" if state in STATES else f"état inconnu « {state} »"


class EventRepository(Repository[Event]):
    SPEC = TableSpec(
        table_names.EVENTS,
        indexed=("entity_id", "template_id", "state", "chrono"),
        order=(("date", True),),
        computed={"date": _date},
        search=folded_text(
            lambda r: r.get("chrono"),
            lambda r: r.get("title"),
            lambda r: r.get("entity_name"),
            lambda r: r.get("template_name"),
            lambda r: r.get("lot"),
            lambda r: r.get("party_names") or [],
        ),
        check=_check,
        listed=(
            "chrono",
            "chrono_date",
            "created_at",
            "title",
            "entity_name",
            "template_name",
            "party_names",
            "state",
        ),
    )
    NOUN = "Cet événement"

    def to_model(self, record: Record) -> Event:
        return Event.from_record(record)

    def using_template(self, template_id: str) -> int:
        return self._count({"template_id": template_id})

    def set_chrono(self, event_id: str, chrono: str, date: str, *, expect_rev: ExpectRev) -> Event:
        return self.change(event_id, {"chrono": chrono, "chrono_date": date}, expect_rev=expect_rev)

    def set_state(self, event_id: str, state: str, *, expect_rev: ExpectRev) -> Event:
        if state not in STATES:
            raise ValueError(f"unknown event state {state!r}")
        return self.change(event_id, {"state": state}, expect_rev=expect_rev)
