"""Journal (X6) on a real store: lines written by the services themselves on three days by two users, then
filtered by user, action, record and dates, opened, and exported to CSV."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import stat
from pathlib import Path

import pytest

from lsc_tui.domain.periods import check_range, days_between, months_between, parse_day
from lsc_tui.services import chrono, exports, journal, parties, templates
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import ServiceError, ValidationFailed
from lsc_tui.store import RecordStore as Store
from lsc_tui.store.repositories import Repos
from tests.fixtures import FIXED_NOW, context, seeded_store


def on(ctx: AppContext, days_ago: int) -> AppContext:
    moment = FIXED_NOW - dt.timedelta(days=days_ago)
    return dataclasses.replace(ctx, clock=lambda: moment)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """Seeded, then: claire edits a party 10 days ago and gives consent 3 days ago; julien numbers an event
    3 days ago; claire duplicates then deletes a template today."""
    store = seeded_store(tmp_path / "data")
    claire, julien = context(store, "claire"), context(store, "julien")
    repos = Repos(store)
    hugo = next(p for p in repos.parties.all() if (p.last_name, p.first_name) == ("Fontaine", "Hugo"))
    a = hugo.address
    form = parties.ContactForm(hugo.email, "+33608904123", a.line1, a.line2, a.zipcode, a.city)
    parties.save_contact(on(claire, 10), hugo.id, form, expect_rev=hugo.rev)
    parties.set_consent(on(claire, 3), [hugo.id], True)
    event = next(e for e in repos.events.all() if not e.chrono)
    chrono.assign_chrono(on(julien, 3), [event.id])
    copy = templates.duplicate(claire, repos.templates.all()[0].id)
    templates.delete(claire, copy.id, expect_rev=copy.rev)
    return store


def cells(view: journal.RowView) -> list[tuple[str, ...]]:  # type: ignore[name-defined]
    return [r.cells for r in view]


def test_newest_first_with_french_words(store: Store) -> None:
    rows = cells(journal.rows(context(store), journal.JournalFilter()))
    # same minute: the line written last comes first
    assert [r[2] for r in rows] == [
        "Modèle supprimé",
        "Modèle dupliqué",
        "Chrono attribué",
        "Consentement LRE",
        "Tiers modifié",
    ]
    assert rows[0][0] == "2026-11-23 09:30" and rows[-1][0] == "2026-11-13 09:30"
    assert rows[-1][3].startswith("Tiers ") and rows[-1][4] == "mobile"
    assert journal.action_label("signature.envoyer") == "signature : envoyer"


def test_each_filter_and_their_combination(store: Store) -> None:
    ctx = context(store)
    by_user = cells(journal.rows(ctx, journal.JournalFilter(user="julien")))
    assert [(r[1], r[2]) for r in by_user] == [("julien", "Chrono attribué")]
    by_action = cells(journal.rows(ctx, journal.JournalFilter(action="tiers.consentement")))
    assert len(by_action) == 1 and by_action[0][4] == "accord"
    hugo = store.select("audit", {"action": "tiers.modifier"})[0]["record_id"]
    on_record = cells(journal.rows(ctx, journal.JournalFilter(record_id=hugo)))
    assert [r[2] for r in on_record] == ["Consentement LRE", "Tiers modifié"]
    three_days = journal.JournalFilter(since=dt.date(2026, 11, 20), until=dt.date(2026, 11, 20))
    assert sorted(r[2] for r in cells(journal.rows(ctx, three_days))) == [
        "Chrono attribué",
        "Consentement LRE",
    ]
    since = cells(journal.rows(ctx, journal.JournalFilter(since=dt.date(2026, 11, 21))))
    assert {r[2] for r in since} == {"Modèle supprimé", "Modèle dupliqué"}
    until = cells(journal.rows(ctx, journal.JournalFilter(until=dt.date(2026, 11, 14))))
    assert [r[2] for r in until] == ["Tiers modifié"]
    both = journal.JournalFilter(user="claire", record_id=hugo, since=dt.date(2026, 11, 15))
    assert [r[2] for r in cells(journal.rows(ctx, both))] == ["Consentement LRE"]
    assert [r[2] for r in cells(journal.rows(ctx, journal.JournalFilter(text="julien chrono")))] == [
        "Chrono attribué"
    ]
    with pytest.raises(ValidationFailed) as caught:
        journal.rows(ctx, journal.JournalFilter(since=dt.date(2026, 11, 20), until=dt.date(2026, 11, 1)))
    assert "précède la date de début" in caught.value.errors["period"]


def test_choices_list_users_and_the_actions_found(store: Store) -> None:
    found = journal.choices(context(store))
    assert found.users == (("claire", "Claire Martin"), ("julien", "Julien Roche"))
    assert [a for a, _label in found.actions] == [
        "evenement.chrono",
        "tiers.consentement",
        "modele.dupliquer",
        "modele.supprimer",
        "tiers.modifier",
    ]


def test_a_line_opens_its_record_while_it_exists(store: Store) -> None:
    ctx = context(store)
    lines = {e["action"]: e for e in store.select("audit")}
    assert journal.target(ctx, lines["tiers.modifier"]["id"]) == (
        "parties",
        lines["tiers.modifier"]["record_id"],
    )
    assert journal.target(ctx, lines["evenement.chrono"]["id"])[0] == "events"
    with pytest.raises(ServiceError) as gone:
        journal.target(ctx, lines["modele.supprimer"]["id"])
    assert gone.value.message.startswith("« Modèle ") and "n'existe plus" in gone.value.message
    with ctx.write() as w:
        entity = w.entities.all()[0]
        ctx.audit(w, "entite.variables_courrier", w.entities, entity.id, "manager_name")
    line = store.select("audit", {"action": "entite.variables_courrier"})[0]
    with pytest.raises(ServiceError) as closed:
        journal.target(ctx, line["id"])
    assert "ne s'ouvre pas depuis le journal" in closed.value.message


def test_export_streams_the_filtered_lines_0640(store: Store, tmp_path: Path) -> None:
    ctx = context(store)
    done = journal.export_csv(ctx, journal.JournalFilter(user="claire"), str(tmp_path / "journal.csv"))
    assert done.rows == 4 and done.path == tmp_path / "journal.csv"
    assert stat.S_IMODE(done.path.stat().st_mode) == 0o640
    raw = done.path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: a French spreadsheet reads the accents
    lines = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert lines[0] == list(journal.HEADER)
    assert [line[2] for line in lines[1:]][-1] == "Tiers modifié" and all(
        line[1] == "claire" for line in lines[1:]
    )
    assert lines[1][0] == "2026-11-23T09:30:00+01:00"
    with pytest.raises(exports.FileExists):
        journal.export_csv(ctx, journal.JournalFilter(), str(done.path))
    again = journal.export_csv(ctx, journal.JournalFilter(), str(done.path), overwrite=True)
    assert again.rows == 5 and stat.S_IMODE(done.path.stat().st_mode) == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_export_refusals_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ServiceError) as missing:
        exports.write_csv(str(tmp_path / "nowhere" / "x.csv"), ("a",), [])
    assert "n'existe pas" in missing.value.message
    with pytest.raises(ServiceError) as folder:
        exports.write_csv(str(tmp_path), ("a",), [])
    assert "est un dossier" in folder.value.message
    with pytest.raises(ServiceError):
        exports.write_csv("  ", ("a",), [])
    done = exports.write_csv(str(tmp_path / "f.csv"), ("nom",), [("=HYPERLINK(1)",), ("-2",), ("Dupont",)])
    assert done.path.read_text(encoding="utf-8-sig").splitlines() == [
        "nom",
        "'=HYPERLINK(1)",
        "'-2",
        "Dupont",
    ]


def test_periods() -> None:
    assert parse_day("23/11/2026") == (dt.date(2026, 11, 23), "")
    assert parse_day("2026-11-23")[0] == parse_day("23/11/26")[0] == dt.date(2026, 11, 23)
    assert parse_day("31/02/2026")[1].startswith("Date : « 31/02/2026 » n'est pas une date")
    assert days_between(dt.date(2026, 2, 27), dt.date(2026, 3, 1)) == (
        "2026-02-27",
        "2026-02-28",
        "2026-03-01",
    )
    assert months_between(dt.date(2025, 11, 30), dt.date(2026, 2, 1)) == (
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    )
    assert check_range(dt.date(2000, 1, 1), dt.date(2026, 1, 1)).startswith("Période trop longue")
