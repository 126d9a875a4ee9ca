"""Événements (F7): the list every daily ritual starts from, and one event's detail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lsc_tui.domain.models import Entity, Event, Party, Template
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import ServiceError
from lsc_tui.services.listing import CachedSource, Row, RowSource, RowView
from lsc_tui.store import Store

EVENTS = "events"
ENTITIES = "entities"
TEMPLATES = "templates"
PARTIES = "parties"

COLUMNS = ("Chrono", "Date", "Objet", "Entité", "Modèle", "Tiers", "État")
STATE_LABELS = {
    "draft": "À expédier",
    "signature": "En signature",
    "registered": "Envoyé en AR",
    "filed": "Retour classé",
}


def _names(store: Store, table: str, field: str) -> dict[str, str]:
    return {r["id"]: str(r.get(field, "")) for r in store.all(table)}


def _party_names(store: Store) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in store.all(PARTIES):
        if r.get("kind") == "company" and r.get("company_name"):
            out[r["id"]] = r["company_name"]
        else:
            out[r["id"]] = f"{str(r.get('last_name', '')).upper()} {r.get('first_name', '')}".strip()
    return out


def _build(store: Store) -> RowSource:
    entities = _names(store, ENTITIES, "name")
    templates = _names(store, TEMPLATES, "name")
    parties = _party_names(store)

    def names(r: dict[str, Any]) -> list[str]:
        return [parties.get(p["party_id"], "?") for p in r.get("parties", ())]

    def make(r: dict[str, Any]) -> Row:
        who = names(r)
        shown = who[0] + (f" +{len(who) - 1}" if len(who) > 1 else "") if who else "—"
        date = (r.get("chrono_date") or r.get("created_at", ""))[:10]
        cells = (
            r.get("chrono") or "—",
            date,
            r.get("title", ""),
            entities.get(r.get("entity_id", ""), "?"),
            templates.get(r.get("template_id", ""), "?"),
            shown,
            STATE_LABELS.get(r.get("state", ""), ""),
        )
        return Row(r["id"], cells, "")

    def text(r: dict[str, Any]) -> str:
        return " ".join(
            (
                r.get("chrono", ""),
                r.get("title", ""),
                entities.get(r.get("entity_id", ""), ""),
                templates.get(r.get("template_id", ""), ""),
                r.get("lot", ""),
                *names(r),
            )
        )

    records = sorted(
        store.all(EVENTS), key=lambda r: r.get("chrono_date") or r.get("created_at", ""), reverse=True
    )
    return RowSource(records, make, text)


_source = CachedSource(_build)


def rows(ctx: AppContext) -> RowView:
    return _source.source(ctx.store).view()


@dataclass(frozen=True)
class EventDetail:
    event: Event
    entity: Entity | None
    template: Template | None
    parties: tuple[tuple[str, Party | None], ...]  # (role label, party)


def detail(ctx: AppContext, event_id: str) -> EventDetail:
    rec = ctx.store.get(EVENTS, event_id)
    if rec is None:
        raise ServiceError("Cet événement n'existe plus.")
    event = Event.from_record(rec)
    ent = ctx.store.get(ENTITIES, event.entity_id)
    tpl = ctx.store.get(TEMPLATES, event.template_id)
    parties = []
    for ep in event.parties:
        prec = ctx.store.get(PARTIES, ep.party_id)
        parties.append((ep.role.label, Party.from_record(prec) if prec else None))
    return EventDetail(
        event,
        Entity.from_record(ent) if ent else None,
        Template.from_record(tpl) if tpl else None,
        tuple(parties),
    )
