"""Modèles (F4) driven by keys: role exclusivity as you tick, "+" on ticked roles only, unknown variables,
staff refused by the service, create / duplicate / delete — each checked on screen and in the store."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from textual.widgets import Input, Static

from lsc_tui.domain.models import Template
from lsc_tui.services import audit, rendering
from lsc_tui.services import templates as templates_service
from lsc_tui.services.errors import EditConflict, Forbidden
from lsc_tui.store import ANY_REV, open_store
from lsc_tui.store import RecordStore as Store
from lsc_tui.tui.app import create_app
from lsc_tui.tui.screens.actions import ActionMenu
from lsc_tui.tui.screens.template_form import PlacementList, TemplateFormScreen, TickBox
from lsc_tui.tui.screens.templates import TemplatesScreen
from lsc_tui.tui.widgets.record_list import RecordList
from tests.fixtures import context, settle

SIZE = (80, 24)


def template_named(store: Store, name: str) -> dict:
    return next(t for t in store.select("templates") if t["name"] == name)


async def open_template(pilot, store: Store, name: str) -> TemplateFormScreen:  # type: ignore[no-untyped-def]
    """Straight to the form (the F4 list and its filter are driven in the last test)."""
    await settle(pilot)
    pilot.app.push_screen(TemplateFormScreen(template_named(store, name)["id"]))
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, TemplateFormScreen)
    return form


def box(form: TemplateFormScreen, role: str) -> TickBox:
    return form.query_one(f"#role-{role}", TickBox)


async def test_ticking_joint_owners_unticks_and_disables_owner_and_saves(store: Store) -> None:
    ctx = context(store)
    app = create_app(ctx, poll_seconds=0)
    record = template_named(store, "Mandat de gestion — propriétaire")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        form = await open_template(pilot, store, "Mandat de gestion — propriétaire")
        await pilot.press("ctrl+t")  # signature tab, focus on Propriétaire
        assert box(form, "owner").value and not box(form, "owner").disabled
        await pilot.press("tab", "space")  # tick Indivisaires
        await pilot.pause()
        assert box(form, "joint_owners").value
        assert not box(form, "owner").value and box(form, "owner").disabled
        reason = str(form.query_one("#roles-reason", Static).content)
        assert "Indivisaires est coché" in reason
        # the Propriétaire row stays, flagged
        rows = form.query_one(PlacementList).rows
        assert rows[0].cells[0] == "Propriétaire" and rows[0].cells[-1] == "⚠ rôle non coché"
        assert rows[0].style == "warning"
        # "+" offers only the ticked roles
        await pilot.press("plus")
        await pilot.pause()
        menu = app.screen
        assert isinstance(menu, ActionMenu)
        assert [a.label for a in menu.actions] == ["Indivisaires", "Gérant"]
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, TemplateFormScreen)
        assert [r.cells[0] for r in form.query_one(PlacementList).rows] == [
            "Propriétaire",
            "Gérant",
            "Indivisaires",
        ]
        # remove the flagged row, then save
        await pilot.press("up", "up", "delete")
        assert [r.cells[0] for r in form.query_one(PlacementList).rows] == ["Gérant", "Indivisaires"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, TemplateFormScreen)
    pass
    saved = Template.from_record(store.get("templates", record["id"]))
    assert saved.roles == {templates_service.Role.JOINT_OWNERS, templates_service.Role.MANAGER}
    assert [p.role.value for p in saved.placements] == ["manager", "joint_owners"]
    assert saved.rev == record["_rev"] + 1
    entry = audit.entries_for(ctx, record["id"])[-1]
    assert entry.action == "modele.modifier" and "roles" in entry.detail


async def test_unticking_a_role_flags_its_row_and_save_is_refused(store: Store) -> None:
    record = template_named(store, "Mandat de gestion — propriétaire")
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        form = await open_template(pilot, store, "Mandat de gestion — propriétaire")
        await pilot.press("ctrl+t", "space")  # untick Propriétaire
        assert not box(form, "owner").value
        assert form.query_one(PlacementList).rows[0].cells[-1] == "⚠ rôle non coché"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "ligne 1 (Propriétaire) : rôle non coché" in str(
            form.query_one("#placements-error", Static).content
        )
    assert store.get("templates", record["id"])["_rev"] == record["_rev"]


async def test_unknown_variable_is_flagged_by_name_and_not_saved(store: Store) -> None:
    record = template_named(store, "Bail colocation")
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        form = await open_template(pilot, store, "Bail colocation")
        subject = form.query_one("#subject", Input)
        subject.focus()
        await pilot.press("end", *" {entite.nmo}")
        await pilot.pause()
        error = form.query_one("#subject-error", Static)
        assert error.display and "Variable inconnue : {entite.nmo}" in str(error.content)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert subject.value.endswith("{entite.nmo}")  # what was typed is kept
    assert store.get("templates", record["id"])["subject"] == record["subject"]


async def test_staff_is_refused_by_the_service_and_nothing_is_written(store: Store) -> None:
    record = template_named(store, "Bail colocation")
    ctx = context(store, "julien")
    with pytest.raises(Forbidden):
        templates_service.save(ctx, Template.from_record(record).evolve(name="Autre nom"))
    app = create_app(ctx, poll_seconds=0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        form = await open_template(pilot, store, "Bail colocation")
        assert form.query_one("#template-banner", Static).display
        name = form.query_one("#name", Input)
        await pilot.press("end", *" bis", "ctrl+s")
        await settle(pilot)
        assert app.screen is form and name.value == "Bail colocation bis"
        message = str(form.query_one("#form-message", Static).content)
        assert "réservé aux administrateurs" in message
        assert any("réservé aux administrateurs" in n.message for n in app._notifications)
    pass
    assert store.get("templates", record["id"]) == record
    assert audit.entries_for(context(store), record["id"]) == []


async def test_create_duplicate_and_delete_with_confirmation(store: Store) -> None:
    ctx = context(store)
    app = create_app(ctx, poll_seconds=0)
    count = store.count("templates")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, TemplateFormScreen)
        app.screen.query_one("#name", Input).value = "Relance loyer"
        app.screen.query_one("#subject", Input).value = "Relance {entite.nom}"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TemplatesScreen)
        assert store.count("templates") == count + 1
        created = template_named(store, "Relance loyer")
        assert created["subject"] == "Relance {entite.nom}"
        # duplicate through the actions menu: the copy opens
        await pilot.press("slash", *"relance", "enter", "a", "d")
        await settle(pilot)
        assert isinstance(app.screen, TemplateFormScreen)
        await pilot.press("escape")
        await settle(pilot)
        copy = template_named(store, "Relance loyer (copie)")
        assert copy["subject"] == created["subject"]
        # delete the original: confirm with o
        screen = app.screen
        assert isinstance(screen, TemplatesScreen)
        rows = screen.query_one(RecordList).rows
        assert [r.cells[0] for r in rows] == ["Relance loyer", "Relance loyer (copie)"]
        await pilot.press("delete", "o")
        await settle(pilot)
        assert store.get("templates", created["id"]) is None
        # a template used by events is refused
        await pilot.press("escape", "slash", *"coloc", "enter", "delete", "o")
        await settle(pilot)
        assert any("sert à" in n.message for n in app._notifications)
    assert template_named(store, "Bail colocation")
    actions = [e["action"] for e in store.select("audit") if e.get("table") == "templates"]
    assert actions == ["modele.creer", "modele.dupliquer", "modele.supprimer"]


def test_a_stale_save_raises_edit_conflict_and_writes_nothing(store: Store) -> None:
    ctx = context(store)
    record = template_named(store, "Bail colocation")
    mine = Template.from_record(record)
    templates_service.save(context(open_store(store.location)), mine.evolve(subject="Par Julien"))
    with pytest.raises(EditConflict):
        templates_service.save(ctx, mine.evolve(subject="Par Claire"))
    pass
    assert store.get("templates", record["id"])["subject"] == "Par Julien"


def test_event_render_merges_the_letter_and_reports_unknown_variables(store: Store) -> None:
    ctx = context(store)
    template = template_named(store, "Bail d'habitation — locataire seul")
    event = next(e for e in store.select("events") if e["template_id"] == template["id"])
    done = rendering.render_event_pdf(ctx, event["id"])
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(done.pdf.data)).pages)
    assert done.unknown == () and done.problems == []
    for expected in ("Cabinet Martin Immobilier", "Résidence Les Tilleuls", "Claire Martin", "PETIT"):
        assert expected in text
    assert "{" not in text
    # a template imported with a typo (the form would refuse it): the render names the variable
    with store.transaction() as tx:
        tx.update(
            "templates", template["id"], {"body": "Bonjour {tiers.nom}, {entite.nmo}."}, expect_rev=ANY_REV
        )
    flagged = rendering.render_event_pdf(ctx, event["id"])
    assert flagged.unknown == ("entite.nmo",)
    assert flagged.problems == ["Variable inconnue : {entite.nmo}"]
