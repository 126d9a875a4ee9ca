"""The follow-up queries on both backends (issue #11 §4 §6 §8): Accueil's block and each user's preferences,
a party's history, consumption by month and the journal's filters give the same answers on the embedded
store and on PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from lsc_tui.domain.preferences import HomePreferences
from lsc_tui.domain.statuses import SignatureStatus as S
from lsc_tui.services import consumption, history, home, journal, preferences
from lsc_tui.services.context import AppContext
from lsc_tui.services.demo import seed
from lsc_tui.store import open_store
from tests.fixtures import FIXED_NOW, context


@pytest.fixture(params=["embedded", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield str(tmp_path / "data") if request.param == "embedded" else request.getfixturevalue("pg_url")


@pytest.fixture
def agency(backend: str, tmp_path: Path) -> AppContext:
    store = open_store(backend, create=True)
    seed(store, FIXED_NOW)
    return context(store, data_dir=tmp_path)


def session(ctx: AppContext, login: str) -> AppContext:
    return context(ctx.store, login, data_dir=ctx.data_dir)


def test_home_block_and_preferences_per_user(agency: AppContext) -> None:
    block = home.files(agency, preferences.home(agency))
    assert len(block.files) == 11 and block.expiring == 1
    assert block.files[0].note == "expire dans 2 jours"
    preferences.save_home(agency, HomePreferences((S.SIGNED,), signed_days=12))
    preferences.save_home(session(agency, "julien"), HomePreferences((S.DECLINED, S.ERROR)))
    mine = home.files(agency, preferences.home(agency))
    assert [f.status for f in mine.files] == [S.SIGNED, S.SIGNED] and mine.expiring == 0
    julien = session(agency, "julien")
    theirs = home.files(julien, home.summary(julien).preferences)
    assert sorted(f.status.value for f in theirs.files) == ["declined", "error"]
    assert preferences.home(agency) == HomePreferences((S.SIGNED,), signed_days=12)


def test_history_of_a_party(agency: AppContext) -> None:
    renaud = next(p for p in agency.repos.parties.all() if p.last_name == "Renaud")
    entries = history.of_party(agency, renaud.id).entries
    assert [(e.kind, e.status) for e in entries] == [("letter", "Envoyée"), ("signature", "2 — Signé")]
    leroy = next(p for p in agency.repos.parties.all() if p.last_name == "Leroy")
    assert [e.status for e in history.of_party(agency, leroy.id).entries] == ["0 — À envoyer", "Refusé"]


def test_consumption_by_month(agency: AppContext) -> None:
    found = consumption.report(agency, dt.date(2025, 12, 1), dt.date(2026, 11, 23))
    assert found.total.series("documents", found.months)[-2:] == [1, 3]
    assert (found.total.total_documents, found.total.total_signatures) == (4, 8)
    assert [g.label for g in found.by["signer"]][:2] == ["Claire MARTIN", "Julien ROCHE"]


def test_journal_filters(agency: AppContext) -> None:
    party = agency.repos.parties.all()[0]
    for days_ago, login, action in (
        (9, "claire", "tiers.modifier"),
        (4, "julien", "tiers.consentement"),
        (0, "claire", "tiers.consentement"),
    ):
        ctx = dataclasses.replace(
            session(agency, login), clock=lambda d=days_ago: FIXED_NOW - dt.timedelta(days=d)
        )
        with ctx.write() as w:
            ctx.audit(w, action, w.parties, party.id, "test")

    def actions(**kwargs: object) -> list[tuple[str, str]]:
        return [(r.cells[1], r.cells[2]) for r in journal.rows(agency, journal.JournalFilter(**kwargs))]  # type: ignore[arg-type]

    assert actions() == [
        ("claire", "Consentement LRE"),
        ("julien", "Consentement LRE"),
        ("claire", "Tiers modifié"),
    ]
    assert actions(user="julien") == [("julien", "Consentement LRE")]
    assert actions(action="tiers.modifier", record_id=party.id) == [("claire", "Tiers modifié")]
    assert actions(since=dt.date(2026, 11, 15), until=dt.date(2026, 11, 19)) == [
        ("julien", "Consentement LRE")
    ]
    assert actions(until=dt.date(2026, 11, 14)) == [("claire", "Tiers modifié")]
    assert actions(text="julien") == [("julien", "Consentement LRE")]
    assert [a for a, _label in journal.choices(agency).actions] == ["tiers.consentement", "tiers.modifier"]
