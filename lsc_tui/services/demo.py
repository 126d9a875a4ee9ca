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
from lsc_tui.domain.models import Party
from lsc_tui.domain.roles import Role
from lsc_tui.store import Store

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


def seed(store: Store, now: datetime, seed_data: dict[str, Any] | None = None) -> dict[str, int]:
    """Insert the whole demo agency in one transaction; returns counts per table."""
    data = seed_data or load_seed()
    ids: dict[str, str] = {}
    with store.transaction() as tx:
        for u in tx.insert_many("users", [_strip(u, "key") for u in data["users"]]):
            ids[f"user:{u['login']}"] = u["id"]
        tx.insert("settings", {**data["administration"], "key": "administration"})

        for key, rec in zip(
            [e["key"] for e in data["entities"]],
            tx.insert_many("entities", [_strip(e, "key") for e in data["entities"]]),
            strict=True,
        ):
            ids[key] = rec["id"]
        for key, rec in zip(
            [p["key"] for p in data["parties"]],
            tx.insert_many("parties", [_strip(p, "key") for p in data["parties"]]),
            strict=True,
        ):
            ids[key] = rec["id"]
        for key, rec in zip(
            [t["key"] for t in data["templates"]],
            tx.insert_many("templates", [_strip(t, "key") for t in data["templates"]]),
            strict=True,
        ):
            ids[key] = rec["id"]

        year = now.year
        max_seq = 0
        events = []
        for e in data["events"]:
            created = now - timedelta(days=e["days_ago"], hours=2)
            seq = e.get("chrono_seq")
            max_seq = max(max_seq, seq or 0)
            events.append(
                {
                    "entity_id": ids[e["entity"]],
                    "template_id": ids[e["template"]],
                    "title": e["title"],
                    "created_at": _iso(created),
                    "parties": [{"party_id": ids[p], "role": r} for p, r in e["parties"]],
                    "chrono": f"{year}-{seq:06d}" if seq else "",
                    "chrono_date": _iso(created) if seq else "",
                    "state": e.get("state", "draft"),
                    "lot": e.get("lot", ""),
                }
            )
        event_recs = {
            e["key"]: rec for e, rec in zip(data["events"], tx.insert_many("events", events), strict=True)
        }
        for _ in range(max_seq):
            tx.next_sequence(f"chrono-{year}")

        parties = {ids[p["key"]]: tx.get("parties", ids[p["key"]]) for p in data["parties"]}
        entities = {ids[e["key"]]: e for e in data["entities"]}
        tx.insert_many(
            "signature_requests",
            [_signature(s, event_recs, parties, entities, now) for s in data["signature_requests"]],
        )
        tx.insert_many("letters", [_letter(x, event_recs, parties, now) for x in data["letters"]])
    return {
        name: store.count(name)
        for name in ("users", "entities", "parties", "templates", "events", "signature_requests", "letters")
    }


def _signature(
    s: dict[str, Any],
    events: dict[str, dict[str, Any]],
    parties: dict[str, dict[str, Any]],
    entities: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    ev = events[s["event"]]
    signers = []
    for ep in ev["parties"]:
        p = Party.from_record(parties[ep["party_id"]])
        signers.append(
            {
                "role": ep["role"],
                "last_name": p.last_name,
                "first_name": p.first_name,
                "email": p.email,
                "phone": p.mobile,
                "party_id": p.id,
                "placements": [],
                "status": "signed" if s["status"] == "signed" else "",
            }
        )
    mv = entities[ev["entity_id"]].get("mail_variables", {})
    signers.append(
        {
            "role": Role.MANAGER.value,
            "last_name": (mv.get("manager_name") or "Claire Martin").split()[-1],
            "first_name": (mv.get("manager_name") or "Claire Martin").split()[0],
            "email": mv.get("manager_email") or "claire.martin@cabinet-martin.example",
            "phone": "",
            "party_id": "",
            "placements": [],
        }
    )
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
        "title": ev["title"],
        "created_at": _iso(sent or now - timedelta(hours=3)),
        "created_by": "claire",
        "provider": "yousign",
        "status": status,
        "signers": signers,
        "reference": f"lsc-{ev['chrono'] or ev['id']}",
        "remote_id": f"demo-{ev['id']}" if status != "draft" else "",
        "sent_at": _iso(sent) if sent else "",
        "signed_at": _iso(sent + timedelta(days=2)) if sent and status == "signed" else "",
        "expires_at": _iso(expires) if expires else "",
        "reason": s.get("reason", ""),
    }


def _letter(
    x: dict[str, Any], events: dict[str, dict[str, Any]], parties: dict[str, dict[str, Any]], now: datetime
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
        "reference": f"lsc-{ev['chrono']}",
        "remote_id": "",
        "subject": ev["title"],
        "deposit_date": _iso(deposit) if status != "to_valid" else "",
        "sending_date": _iso(deposit + timedelta(hours=1)) if status not in {"to_valid", "waiting"} else "",
        "ar_date": _iso(deposit + timedelta(days=final)) if status == "AR" and final else "",
        "final_date": _iso(deposit + timedelta(days=final)) if final else "",
    }
