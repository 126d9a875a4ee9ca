"""Événements (F7): the list every daily ritual starts from, and one event's detail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lsc_tui.domain.models import Entity, Event, Party, Template
from lsc_tui.services.context import AppContext
from lsc_tui.services.listing import Row, RowView

COLUMNS = ("Chrono", "Date", "Objet", "Entité", "Modèle", "Tiers", "État")
STATE_LABELS = {
    "draft": "À expédier",
    "signature": "En signature",
    "registered": "Envoyé en AR",
    "filed": "Retour classé",
}


def _row(r: dict[str, Any]) -> Row:
    who = list(r.get("party_names") or ())
    shown = who[0] + (f" +{len(who) - 1}" if len(who) > 1 else "") if who else "—"
    date = (r.get("chrono_date") or r.get("created_at", ""))[:10]
    cells = (
        r.get("chrono") or "—",
        date,
        str(r.get("title", "")),
        str(r.get("entity_name", "")),
        str(r.get("template_name", "")),
        shown,
        STATE_LABELS.get(r.get("state", ""), str(r.get("state", ""))),
    )
    return Row(r["id"], cells)


def rows(ctx: AppContext) -> RowView:
    return RowView(ctx.repos.events.listing(), _row)


@dataclass(frozen=True)
class EventDetail:
    event: Event
    entity: Entity | None
    template: Template | None
    parties: tuple[tuple[str, Party | None], ...]  # (role label, party)


def detail(ctx: AppContext, event_id: str) -> EventDetail:
    repos = ctx.repos
    event = repos.events.require(event_id)
    found = repos.parties.get_many([ep.party_id for ep in event.parties])
    return EventDetail(
        event,
        repos.entities.get(event.entity_id),
        repos.templates.get(event.template_id),
        tuple((ep.role.label, found.get(ep.party_id)) for ep in event.parties),
    )
