"""The app shell driven as a user does: F-keys, filter, ticks, the party form, help and palette."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from lsc_tui.services import audit
from lsc_tui.store import RecordStore as Store
from lsc_tui.store import open_store
from lsc_tui.tui.app import create_app
from lsc_tui.tui.screens.event_detail import EventDetailScreen
from lsc_tui.tui.screens.events import EventsScreen
from lsc_tui.tui.screens.help import HelpScreen
from lsc_tui.tui.screens.parties import PartiesScreen
from lsc_tui.tui.screens.party_form import PartyFormScreen
from lsc_tui.tui.widgets.record_list import RecordList
from tests.fixtures import context, settle

SIZE = (120, 40)


async def test_accueil_counts_and_drill_into_signed(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        counts = app.screen.query_one("#counts", RecordList)
        labels = {r.key: r.cells[2] for r in counts.rows}
        assert labels["signature:signed"] == "4"
        assert labels["letter:to_valid"] == "12"
        # to the counts (Tab), move to "Signé" and drill down
        await pilot.press("tab")
        index = next(i for i, r in enumerate(counts.rows) if r.key == "signature:signed")
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        shown = app.screen.query_one(RecordList).rows
        assert len(shown) == 4 and all(r.cells[1] == "Signé" for r in shown)
        await pilot.press("escape")  # clears the status filter
        await settle(pilot)
        assert len(app.screen.query_one(RecordList).rows) == 13


async def test_events_filter_tick_and_open(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, EventsScreen)
        total = len(app.screen.query_one(RecordList).rows)
        assert total == 53
        await pilot.press("slash", *"vignes lot 1")
        await settle(pilot)
        rows = app.screen.query_one(RecordList).rows
        assert 1 <= len(rows) < total and all("Vignes" in r.cells[3] for r in rows)
        await pilot.press("enter")  # back to the list
        await pilot.press("space", "space")
        status = app.screen.query_one("#status", Static)
        assert "2 cochés" in str(status.content)
        ticked = app.screen.query_one(RecordList).selection()
        assert len(ticked) == 2
        await pilot.press("escape")  # filter cleared, ticks kept
        await settle(pilot)
        assert len(app.screen.query_one(RecordList).rows) == total
        assert app.screen.query_one(RecordList).selection() == ticked
        await pilot.press("slash", *"coloc", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, EventDetailScreen)
        text = str(app.screen.query_one("#detail", Static).content)
        assert "Bail colocation" in text and "FONTAINE Hugo" in text


async def test_party_phone_fix_saved_to_store_and_audit(store: Store) -> None:
    ctx = context(store)
    app = create_app(ctx, poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, PartiesScreen)
        await pilot.press("slash", *"fontaine hugo", "enter", "enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PartyFormScreen)
        assert form.query_one("#mobile", Input).value == "06 08 90 41 23"
        assert "+33608904123" in str(form.query_one("#mobile-error", Static).content)
        await pilot.press("ctrl+r")
        assert form.query_one("#mobile", Input).value == "+33608904123"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PartiesScreen)
    saved = next(
        p for p in store.select("parties") if p["last_name"] == "Fontaine" and p["first_name"] == "Hugo"
    )
    assert saved["mobile"] == "+33608904123"
    entries = audit.entries_for(ctx, saved["id"])
    assert entries and entries[-1].action == "tiers.modifier" and entries[-1].user == "claire"
    assert "mobile" in entries[-1].detail


async def test_bad_email_keeps_typed_text_and_saves_nothing(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    party = next(
        p for p in store.select("parties") if p["last_name"] == "Moreau" and p["first_name"] == "Léa"
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(PartyFormScreen(party["id"]))
        await settle(pilot)
        email = app.screen.query_one("#email", Input)
        email.value = ""
        await pilot.press(*"lea.moreau@exemple")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PartyFormScreen)
        assert app.screen.query_one("#email", Input).value == "lea.moreau@exemple"
        assert "adresse email" in str(app.screen.query_one("#email-error", Static).content)
    assert store.get("parties", party["id"])["email"] == "lea.moreau@exemple.fr"


async def test_two_staff_editing_one_party_second_save_is_refused_and_kept(
    store: Store, tmp_path: Path
) -> None:
    other = open_store(store.location)
    party = next(
        p for p in store.select("parties") if p["last_name"] == "Petit" and p["first_name"] == "Noël"
    )
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.push_screen(PartyFormScreen(party["id"]))
        await settle(pilot)
        # Julien saves first, from another store handle (another process in real life)
        from lsc_tui.services import parties as parties_service

        form = parties_service.ContactForm(
            "noel.petit@nouveau.fr", "+33655667788", "1 rue Neuve", "", "69003", "Lyon"
        )
        parties_service.save_contact(context(other, "julien"), party["id"], form, expect_rev=party["_rev"])
        city = app.screen.query_one("#city", Input)
        city.value = "Villeurbanne"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PartyFormScreen)
        assert app.screen.query_one("#city", Input).value == "Villeurbanne"
        messages = [n.message for n in app._notifications]
        assert any("modifié par un autre utilisateur" in m for m in messages)
    pass
    assert store.get("parties", party["id"])["address"]["city"] == "Lyon"
    assert store.get("parties", party["id"])["email"] == "noel.petit@nouveau.fr"


async def test_f1_lists_the_keys_of_the_screen(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text", Static).content)
        for expected in ("Filtrer", "Cocher", "Tout cocher", "Ouvrir", "Actions", "F7", "ctrl+p"):
            assert expected in text
        await pilot.press("escape")
        assert isinstance(app.screen, EventsScreen)


async def test_palette_finds_tiers_and_goes_there(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"tiers")
        await pilot.pause()
        await app.screen.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PartiesScreen)


async def test_unknown_login_reads_only(store: Store) -> None:
    ctx = context(store, "stagiaire")
    assert ctx.readonly
    app = create_app(ctx, poll_seconds=0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert "Lecture seule" in str(app.screen.query_one(".banner", Static).content)
        await pilot.press("f3")
        await settle(pilot)
        party_id = app.screen.query_one(RecordList).current_key
        await pilot.press("enter")
        await settle(pilot)
        app.screen.query_one("#city", Input).value = "Paris"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("Lecture seule" in n.message for n in app._notifications)
    assert store.get("parties", party_id)["address"].get("city") != "Paris"


async def test_store_change_by_another_process_refreshes_the_open_list(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        before = len(app.screen.query_one(RecordList).rows)
        other = open_store(store.location)
        with other.transaction() as tx:
            tx.insert(
                "parties", {"kind": "person", "last_name": "Nouveau", "first_name": "Zoé", "address": {}}
            )
        app._poll_store()
        await settle(pilot)
        assert len(app.screen.query_one(RecordList).rows) == before + 1
