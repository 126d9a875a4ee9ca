"""The repositories and the services on them, on both backends: the same seeded agency, the same answers,
the same refusals (issue #8: one contract for both stores, services see repositories only)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from lsc_tui.domain.models import Template
from lsc_tui.services import chrono, dashboard, events, letters, parties, templates
from lsc_tui.services.context import AppContext
from lsc_tui.services.demo import seed
from lsc_tui.services.errors import EditConflict, ValidationFailed
from lsc_tui.store import RecordStore, open_store
from lsc_tui.store.repositories import Repos
from tests.fixtures import FIXED_NOW, context


@pytest.fixture(params=["embedded", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield str(tmp_path / "data") if request.param == "embedded" else request.getfixturevalue("pg_url")


@pytest.fixture
def agency(backend: str, tmp_path: Path) -> tuple[str, AppContext]:
    store = open_store(backend, create=True)
    seed(store, FIXED_NOW)
    return backend, context(store, data_dir=tmp_path)


def another_session(backend: str, tmp_path: Path, login: str = "claire") -> AppContext:
    return context(open_store(backend), login, data_dir=tmp_path)


def test_the_seeded_agency_reads_the_same(agency: tuple[str, AppContext]) -> None:
    _where, ctx = agency
    counts = {(c.kind, c.status): c.count for c in dashboard.counts(ctx)}
    assert counts[("letter", "to_valid")] == 12 and counts[("signature", "signed")] == 4
    assert dashboard.totals(ctx) == {"events": 53, "parties": 60, "templates": 9}
    assert len(letters.pending_for_me(ctx)) == 12
    rows = events.rows(ctx)
    assert len(rows) == 53 and len(rows.filter("tilleul coloc")) == 1
    assert rows.filter("tilleul coloc")[0].cells[2].startswith("Bail colocation")


def test_a_stale_form_is_refused_and_its_audit_line_never_written(
    agency: tuple[str, AppContext], tmp_path: Path
) -> None:
    where, ctx = agency
    party = Repos(ctx.store).parties.all()[0]
    form = parties.ContactForm("new@exemple.fr", "", "", "", "", "")
    other = another_session(where, tmp_path)
    parties.save_contact(other, party.id, form, expect_rev=party.rev)
    with pytest.raises(EditConflict):
        parties.save_contact(
            ctx, party.id, parties.ContactForm("late@exemple.fr", "", "", "", "", ""), expect_rev=party.rev
        )
    stored = ctx.repos.parties.require(party.id)
    assert stored.email == "new@exemple.fr" and stored.rev == party.rev + 1
    assert [e.action for e in ctx.repos.audit.for_record(party.id)] == ["tiers.modifier"]


def test_chrono_numbers_are_unique_and_increasing_across_sessions(
    agency: tuple[str, AppContext], tmp_path: Path
) -> None:
    where, ctx = agency
    drafts = [e.id for e in ctx.repos.events.all() if not e.chrono]
    halves = (drafts[::2], drafts[1::2])
    given: list[dict[str, str]] = []

    def number(ids: list[str]) -> None:
        session = another_session(where, tmp_path)
        given.append(chrono.assign_chrono(session, ids))

    threads = [threading.Thread(target=number, args=(ids,)) for ids in halves]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    numbers = [c for g in given for c in g.values()]
    assert len(numbers) == len(set(numbers)) == len(drafts)
    for g in given:
        assert list(g.values()) == sorted(g.values())  # increasing in the order asked
    assert all(ctx.repos.audit.for_record(i) for i in drafts)


def test_template_names_stay_unique_under_concurrent_saves(
    agency: tuple[str, AppContext], tmp_path: Path
) -> None:
    where, _ctx = agency
    outcomes: list[str] = []

    def save() -> None:
        try:
            templates.save(another_session(where, tmp_path), Template(name="Relance loyer"))
            outcomes.append("saved")
        except ValidationFailed:
            outcomes.append("refused")

    threads = [threading.Thread(target=save) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "refused", "refused", "saved"]
    store: RecordStore = open_store(where)
    assert len(Repos(store).templates.named("relance LOYER")) == 1
