"""Seed a store from demo_data/ so every screen has something real to show on first launch (DEMO.md).

Seed files use symbolic keys ("coloc-hugo") and relative dates (`days_ago`); this module resolves both,
so the agency looks current whenever a salesperson seeds it.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from lsc_tui.config import resources_dir
from lsc_tui.domain.models import (
    Entity,
    Event,
    EventParty,
    MailVariables,
    Party,
    RegisteredLetter,
    SignatureRequest,
    Template,
    User,
)
from lsc_tui.domain.roles import Role
from lsc_tui.domain.signers import resolve_signers
from lsc_tui.services import signature_settings
from lsc_tui.store import RecordStore
from lsc_tui.store.repositories import Repos
from lsc_tui.store.repositories.settings import ADMINISTRATION

SEED_FILES = (
    "users",
    "administration",
    "entities",
    "parties",
    "templates",
    "events",
    "signature_requests",
    "letters",
)


def load_seed(directory: Path | None = None) -> dict[str, Any]:
    root = directory or resources_dir("demo_data")
    return {name: json.loads((root / f"{name}.json").read_text(encoding="utf-8")) for name in SEED_FILES}


def _strip(rec: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in rec.items() if k not in keys}


def _iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def seed(store: RecordStore, now: datetime, seed_data: dict[str, Any] | None = None) -> dict[str, int]:
    """Insert the whole demo agency in one transaction; returns counts per table."""
    data = seed_data or load_seed()
    ids: dict[str, str] = {}
    with store.transaction() as tx:
        w = Repos(tx)
        for u in w.users.insert_many([User.from_record(_strip(u, "key")) for u in data["users"]]):
            ids[f"user:{u.login}"] = u.id
        w.settings.put(ADMINISTRATION, data["administration"], expect_rev=None)
        w.settings.put(signature_settings.SECTION, {"v2": True, "provider": "yousign"}, expect_rev=None)
        entities = w.entities.insert_many([Entity.from_record(_strip(e, "key")) for e in data["entities"]])
        parties = w.parties.insert_many([Party.from_record(_strip(p, "key")) for p in data["parties"]])
        templates = w.templates.insert_many(
            [Template.from_record(_strip(t, "key")) for t in data["templates"]]
        )
        for source, made in (("entities", entities), ("parties", parties), ("templates", templates)):
            ids.update({d["key"]: m.id for d, m in zip(data[source], made, strict=True)})
        entity_by_id = {m.id: m for m in entities}
        party_by_id = {m.id: m for m in parties}
        template_by_id = {m.id: m for m in templates}

        year = now.year
        max_seq = 0
        events = []
        for e in data["events"]:
            created = now - timedelta(days=e["days_ago"], hours=2)
            seq = e.get("chrono_seq")
            max_seq = max(max_seq, seq or 0)
            roles = [EventParty(ids[p], Role(r)) for p, r in e["parties"]]
            events.append(
                Event(
                    entity_id=ids[e["entity"]],
                    template_id=ids[e["template"]],
                    title=e["title"],
                    created_at=_iso(created),
                    parties=tuple(roles),
                    chrono=f"{year}-{seq:06d}" if seq else "",
                    chrono_date=_iso(created) if seq else "",
                    state=e.get("state", "draft"),
                    lot=e.get("lot", ""),
                    entity_name=entity_by_id[ids[e["entity"]]].name,
                    template_name=template_by_id[ids[e["template"]]].name,
                    party_names=tuple(party_by_id[r.party_id].short_name for r in roles),
                )
            )
        event_recs = {
            e["key"]: m.to_record() | {"id": m.id}
            for e, m in zip(data["events"], w.events.insert_many(events), strict=True)
        }
        for _ in range(max_seq):
            w.next_sequence(f"chrono-{year}")

        party_recs = {p.id: p.to_record() | {"id": p.id} for p in parties}
        admin_variables = MailVariables.from_record(data["administration"].get("mail_variables"))
        entity_recs = {e.id: e.to_record() for e in entities}
        w.signatures.insert_many(
            [
                SignatureRequest.from_record(
                    _signature(s, event_recs, party_recs, entity_recs, template_by_id, admin_variables, now)
                )
                for s in data["signature_requests"]
            ]
        )
        w.letters.insert_many(
            [
                RegisteredLetter.from_record(_letter(x, event_recs, party_recs, entity_recs, now))
                for x in data["letters"]
            ]
        )
    repos = Repos(store)
    return {
        "users": repos.users.count(),
        "entities": repos.entities.count(),
        "parties": repos.parties.count(),
        "templates": repos.templates.count(),
        "events": repos.events.count(),
        "signature_requests": repos.signatures.count(),
        "letters": repos.letters.count(),
    }


def _signature(
    s: dict[str, Any],
    events: dict[str, dict[str, Any]],
    parties: dict[str, dict[str, Any]],
    entities: dict[str, Any],
    templates: dict[str, Template],
    admin_variables: MailVariables,
    now: datetime,
) -> dict[str, Any]:
    ev = events[s["event"]]
    pairs = [
        (EventParty(ep["party_id"], Role(ep["role"])), Party.from_record(parties[ep["party_id"]]))
        for ep in ev["parties"]
    ]
    variables = MailVariables.from_record(entities[ev["entity_id"]].get("mail_variables"))
    manager = variables if variables.manager_name and variables.manager_email else admin_variables
    resolved = resolve_signers(templates[ev["template_id"]], pairs, manager)
    signers = [x.evolve(status="signed" if s["status"] == "signed" else "").to_record() for x in resolved]
    sent = now - timedelta(days=s["days_ago"]) if s["days_ago"] is not None else None
    status = s["status"]
    expires = (
        (now + timedelta(days=s["expires_in_days"]))
        if "expires_in_days" in s
        else (sent + timedelta(days=15) if sent else None)
    )
    return {
        "event_id": ev["id"],
        "entity_id": ev["entity_id"],
        "entity_name": entities[ev["entity_id"]].get("name", ""),
        "title": ev["title"],
        "created_at": _iso(sent or now - timedelta(hours=3)),
        "created_by": "claire",
        "provider": "yousign",
        "status": status,
        "signers": signers,
        "reference": f"lsc-{ev['chrono'] or ev['id']}",
        "remote_id": "",  # given by the sandbox when the demo is seeded (cli/demo.py), none in tests
        "sent_at": _iso(sent) if sent else "",
        "signed_at": _iso(sent + timedelta(days=2)) if sent and status == "signed" else "",
        "expires_at": _iso(expires) if expires else "",
        "reason": s.get("reason", ""),
    }


def _letter(
    x: dict[str, Any],
    events: dict[str, dict[str, Any]],
    parties: dict[str, dict[str, Any]],
    entities: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    ev = events[x["event"]]
    p = Party.from_record(parties[ev["parties"][0]["party_id"]])
    deposit = now - timedelta(days=x["days_ago"], hours=1)
    status = x["status"]
    final = {"AR": 2, "refused": 3, "negligence": 16, "bounced": 1}.get(status)
    return {
        "event_id": ev["id"],
        "entity_id": ev["entity_id"],
        "party_id": p.id,
        "kind": x["kind"],
        "created_at": _iso(deposit),
        "created_by": "claire",
        "status": status,
        "recipient_name": p.display_name,
        "recipient_email": p.email,
        "reference": f"lsc-{ev['chrono']}-{p.id}",
        "recipient_first_name": p.first_name,
        "recipient_last_name": p.last_name,
        "recipient_address": [p.address.line1, p.address.line2, p.address.zipcode, p.address.city, "FR"],
        "content": f"{ev['title']} — {ev['entity_name']}",
        "entity_name": ev["entity_name"],
        "chrono": ev["chrono"],
        "payment_method_id": entities[ev["entity_id"]].get("payment_method_id", ""),
        "remote_id": "",
        "subject": ev["title"],
        "deposit_date": _iso(deposit) if status != "to_valid" else "",
        "sending_date": _iso(deposit + timedelta(hours=1)) if status not in {"to_valid", "waiting"} else "",
        "ar_date": _iso(deposit + timedelta(days=final)) if status == "AR" and final else "",
        "final_date": _iso(deposit + timedelta(days=final)) if final else "",
    }
