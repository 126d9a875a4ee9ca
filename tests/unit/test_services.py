"""Services on a real store in a temp dir: rights, validation, audit, manager fallback, demo seed."""

from __future__ import annotations

from pathlib import Path

import pytest

from lsc_tui.services import audit, dashboard, entities, parties
from lsc_tui.services.errors import EditConflict, Forbidden, ReadOnly, ValidationFailed
from lsc_tui.store import RecordStore as Store
from tests.fixtures import context, seeded_store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return seeded_store(tmp_path / "data")


def test_demo_seed_has_every_status_and_the_faults(store: Store) -> None:
    assert store.count("parties") >= 60
    assert store.count("events") >= 30
    assert store.count("templates") >= 6
    assert len(entities.list_entities(context(store))) >= 3
    counts = {(c.kind, c.status): c.count for c in dashboard.counts(context(store))}
    for status in ("draft", "pending", "signed", "declined", "cancelled", "expired", "error"):
        assert counts[("signature", status)] >= 1, status
    for status in ("to_valid", "waiting", "sent", "AR", "refused", "negligence", "bounced"):
        assert counts[("letter", status)] >= 1, status
    assert counts[("letter", "to_valid")] == 12
    recs = store.select("parties")
    assert any(not p.get("email") for p in recs)
    assert any(" " in p.get("mobile", "") for p in recs)  # national format
    assert any(not (p.get("address") or {}).get("line1") for p in recs)
    assert any(not p.get("lre_consent") and not p.get("is_professional") for p in recs)
    names = " ".join(p.get("last_name", "") + p.get("first_name", "") for p in recs)
    for ch in "éèçœ'-":
        assert ch in names


def test_staff_cannot_change_mail_variables_admin_can(store: Store) -> None:
    ent = entities.list_entities(context(store))[0]
    with pytest.raises(Forbidden):
        entities.save_mail_variables(context(store, "julien"), ent.id, "X", "x@y.fr", expect_rev=ent.rev)
    with pytest.raises(ReadOnly):
        entities.save_mail_variables(context(store, "inconnu"), ent.id, "X", "x@y.fr", expect_rev=ent.rev)
    saved = entities.save_mail_variables(
        context(store), ent.id, "Paul Roy", "paul.roy@cabinet.fr", expect_rev=ent.rev
    )
    assert saved.mail_variables.manager_email == "paul.roy@cabinet.fr"
    assert audit.entries_for(context(store), ent.id)[-1].user == "claire"


def test_manager_falls_back_to_administration(store: Store) -> None:
    ctx = context(store)
    vignes = next(e for e in entities.list_entities(ctx) if e.name == "Le Clos des Vignes")
    assert vignes.mail_variables.manager_email == ""
    assert entities.manager_of(ctx, vignes).manager_name == "Claire Martin"


def test_contact_validation_reports_each_field(store: Store) -> None:
    ctx = context(store)
    pid = store.select("parties")[0]["id"]
    rev = store.get("parties", pid)["_rev"]
    form = parties.ContactForm("pas-un-email", "06 08", "1 rue X", "", "6900", "Lyon")
    with pytest.raises(ValidationFailed) as err:
        parties.save_contact(ctx, pid, form, expect_rev=rev)
    assert set(err.value.errors) == {"email", "mobile", "zipcode"}
    assert store.get("parties", pid)["_rev"] == rev  # nothing written


def test_national_mobile_is_refused_at_save_then_e164_is_stored(store: Store) -> None:
    ctx = context(store)
    pid = store.select("parties")[0]["id"]
    rev = store.get("parties", pid)["_rev"]
    with pytest.raises(ValidationFailed):
        parties.save_contact(
            ctx, pid, parties.ContactForm("a@b.fr", "06 08 90 41 23", "", "", "", ""), expect_rev=rev
        )
    saved = parties.save_contact(
        ctx, pid, parties.ContactForm("a@b.fr", "+33608904123", "", "", "", ""), expect_rev=rev
    )
    assert saved.mobile == "+33608904123"


def test_stale_save_is_a_conflict(store: Store) -> None:
    ctx = context(store)
    pid = store.select("parties")[0]["id"]
    rev = store.get("parties", pid)["_rev"]
    parties.save_contact(ctx, pid, parties.ContactForm("a@b.fr", "", "", "", "", ""), expect_rev=rev)
    with pytest.raises(EditConflict):
        parties.save_contact(ctx, pid, parties.ContactForm("c@d.fr", "", "", "", "", ""), expect_rev=rev)
    assert store.get("parties", pid)["email"] == "a@b.fr"


def test_consent_set_and_removed_with_audit(store: Store) -> None:
    ctx = context(store)
    ids = [p["id"] for p in store.select("parties") if not p.get("lre_consent")][:2]
    assert parties.set_consent(ctx, ids, True) == 2
    assert all(store.get("parties", i)["lre_consent"] for i in ids)
    assert all(store.get("parties", i)["lre_consent_date"] for i in ids)
    parties.set_consent(ctx, ids, False)
    assert not any(store.get("parties", i)["lre_consent"] for i in ids)
    assert [e.detail for e in audit.entries_for(ctx, ids[0])] == ["accord", "retrait"]
