"""Journal (X6) driven by keys: reached from Accueil and the palette, filtered by user, dates and record,
a line opening its record (or saying it is gone), and the CSV export with its path typed by the user."""

from __future__ import annotations

import dataclasses
import datetime as dt
import stat
from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static

from lsc_tui.services import chrono, parties, templates
from lsc_tui.services.context import AppContext
from lsc_tui.store import RecordStore as Store
from lsc_tui.store.repositories import Repos
from lsc_tui.tui.app import create_app
from lsc_tui.tui.commands import all_commands
from lsc_tui.tui.screens.accueil import AccueilScreen
from lsc_tui.tui.screens.confirm import ConfirmScreen
from lsc_tui.tui.screens.export_path import ExportPathScreen
from lsc_tui.tui.screens.journal import JournalScreen
from lsc_tui.tui.screens.party_form import PartyFormScreen
from lsc_tui.tui.widgets.record_list import RecordList
from tests.fixtures import FIXED_NOW, context
from tests.tui.helpers import screen_text, settle

SMALL = (80, 24)


def on(ctx: AppContext, days_ago: int) -> AppContext:
    moment = FIXED_NOW - dt.timedelta(days=days_ago)
    return dataclasses.replace(ctx, clock=lambda: moment)


@pytest.fixture
def logged(store: Store) -> Store:
    """Five lines: a party edited 10 days ago and its consent 3 days ago (claire), an event numbered 3 days ago
    (julien), a template duplicated then deleted today (claire)."""
    claire, julien = context(store, "claire"), context(store, "julien")
    repos = Repos(store)
    hugo = next(p for p in repos.parties.all() if (p.last_name, p.first_name) == ("Fontaine", "Hugo"))
    a = hugo.address
    form = parties.ContactForm(hugo.email, "+33608904123", a.line1, a.line2, a.zipcode, a.city)
    parties.save_contact(on(claire, 10), hugo.id, form, expect_rev=hugo.rev)
    parties.set_consent(on(claire, 3), [hugo.id], True)
    chrono.assign_chrono(on(julien, 3), [next(e for e in repos.events.all() if not e.chrono).id])
    copy = templates.duplicate(claire, repos.templates.all()[0].id)
    templates.delete(claire, copy.id, expect_rev=copy.rev)
    return store


def actions(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.cells[2] for r in app.screen.query_one(RecordList).rows]


async def test_filters_by_user_dates_and_record(logged: Store) -> None:
    app = create_app(context(logged), poll_seconds=0)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        assert isinstance(app.screen, JournalScreen)
        assert actions(app)[0] == "Modèle supprimé" and len(actions(app)) == 5
        # u: to the filters; the user list opens with Enter, julien is second
        await pilot.press("u", "enter", "down", "down", "enter")
        await settle(pilot)
        assert app.screen.query_one("#user", Select).value == "julien"
        assert actions(app) == ["Chrono attribué"]
        assert "utilisateur julien" in screen_text(app)
        await pilot.press("escape", "x")  # back to the list, everything cleared
        await settle(pilot)
        assert len(actions(app)) == 5
        # dates: Tab from the user list to the action list, then to « Du » and « au »
        await pilot.press("u", "tab", "tab", *"20/11/2026", "tab", *"20/11/2026", "enter")
        await settle(pilot)
        assert sorted(actions(app)) == ["Chrono attribué", "Consentement LRE"]
        await pilot.press("x")
        await settle(pilot)
        # r: only the lines of the record under the cursor (the party edited 10 days ago is last)
        await pilot.press("end", "r")
        await settle(pilot)
        assert actions(app) == ["Consentement LRE", "Tiers modifié"]
        await pilot.press("escape")  # the record filter goes first…
        await settle(pilot)
        assert len(actions(app)) == 5
        await pilot.press("escape")  # …then back to Accueil
        await settle(pilot)
        assert isinstance(app.screen, AccueilScreen)


async def test_a_line_opens_its_record_or_says_it_is_gone(logged: Store) -> None:
    app = create_app(context(logged), poll_seconds=0)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        await pilot.press("enter")  # « Modèle supprimé »
        await settle(pilot)
        assert isinstance(app.screen, JournalScreen)
        assert any("n'existe plus" in n.message for n in app._notifications)
        await pilot.press("end", "enter")  # « Tiers modifié »
        await settle(pilot)
        assert isinstance(app.screen, PartyFormScreen)
        assert "FONTAINE Hugo" in screen_text(app)


async def test_export_to_the_typed_path_then_over_it_after_asking(logged: Store, tmp_path: Path) -> None:
    target = tmp_path / "journal-claire.csv"
    app = create_app(context(logged), poll_seconds=0)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        await pilot.press("u", "enter", "down", "enter", "escape", "e")  # claire's lines
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportPathScreen)
        assert "4 lignes du journal, utilisateur claire" in screen_text(app)
        assert dialog.query_one(Input).value == "~/journal-2026-11-23.csv"
        dialog.query_one(Input).value = str(target)  # as typed (a long temp path: not key by key)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, JournalScreen)
        assert f"4 lignes écrites dans {target}" in [n.message for n in app._notifications]
        status = str(app.screen.query_one("#status", Static).content)
        assert status.startswith(f"Exporté : 4 lignes dans {target} · 4 / 4 lignes")
        assert stat.S_IMODE(target.stat().st_mode) == 0o640
        assert len(target.read_text(encoding="utf-8-sig").splitlines()) == 5
        await pilot.press("x", "e")
        await settle(pilot)
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert (
            isinstance(app.screen, ConfirmScreen)
            and app.screen.question == f"{target} existe déjà. L'écraser ?"
        )
        await pilot.press("o")
        await settle(pilot)
        assert len(target.read_text(encoding="utf-8-sig").splitlines()) == 6


async def test_the_palette_reaches_it_from_any_screen(logged: Store) -> None:
    app = create_app(context(logged), poll_seconds=0)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        doors = {c.title: c.help for c in all_commands(app)}
        assert doors["Aller : Consommation"] == "Accueil, c"
        assert doors["Aller : Modèles de messages"] == "Accueil, m"
        command = next(c for c in all_commands(app) if c.title == "Aller : Journal")
        assert command.help == "Accueil, j"
        await command.run()
        await settle(pilot)
        assert isinstance(app.screen, JournalScreen)
