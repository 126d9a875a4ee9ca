"""Modèles de messages (O5) driven by keys at 80×24: live preview with YouSign's 500 characters, an unknown
variable named, saving as admin, reading only without the right, and the default text brought back."""

from __future__ import annotations

from textual.widgets import Static, TextArea

from lsc_tui.services import rights
from lsc_tui.store import RecordStore as Store
from lsc_tui.tui.app import create_app
from lsc_tui.tui.screens.accueil import AccueilScreen
from lsc_tui.tui.screens.confirm import ConfirmScreen
from lsc_tui.tui.screens.messages import MessagesScreen
from lsc_tui.tui.widgets.record_list import RecordList
from tests.fixtures import context
from tests.tui.helpers import screen_text, settle

SMALL = (80, 24)


def static(app, name: str) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one(f"#{name}", Static).content)


async def test_edit_preview_refuse_then_save_the_reminder(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MessagesScreen)
        await pilot.press("down", "down", "enter")  # Relance, then to its text
        text = app.screen.query_one("#text", TextArea)
        assert text.has_focus and "nous attendons encore votre signature" in text.text
        text.text = ""
        await pilot.press(*"Relance pour {nom} : {document.titre}")
        await settle(pilot)
        assert static(app, "problems").startswith("Variable inconnue : {nom}")
        assert static(app, "preview") == "Relance pour {nom} : Bail d'habitation — lot 12"
        assert "modifié" in [r.cells[1] for r in app.screen.query_one("#kinds", RecordList).rows]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Rien n'a été enregistré : à corriger dans Relance." in [n.message for n in app._notifications]
        assert store.get("settings", "message.reminder") is None
        text.text = "Relance pour {signataires} : {document.titre}. " + "Merci de signer. " * 28
        await settle(pilot)
        assert "/ 500 caractères" in static(app, "preview-title") and static(app, "preview").endswith("…")
        assert "le prestataire en accepte 500 au plus" in static(app, "problems")
        text.text = "Relance pour {signataires} : « {document.titre} »."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Modèles de messages enregistrés." in [n.message for n in app._notifications]
        assert (
            store.get("settings", "message.reminder")["text"]
            == "Relance pour {signataires} : « {document.titre} »."
        )
        assert (
            static(app, "preview")
            == "Relance pour Jean Dupont, Sophie Martin : « Bail d'habitation — lot 12 »."
        )
        # ctrl+r: lsc-tui's text again, after asking
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("o")
        await settle(pilot)
        assert store.get("settings", "message.reminder") is None
        assert "nous attendons encore votre signature" in app.screen.query_one("#text", TextArea).text


async def test_without_the_right_it_reads_and_with_it_it_edits(store: Store) -> None:
    app = create_app(context(store, "julien"), poll_seconds=0)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert "Consultation : seuls les administrateurs" in screen_text(app)
        assert app.screen.query_one("#text", TextArea).read_only
        await pilot.press("ctrl+r")
        assert any("Consultation" in n.message for n in app._notifications)
    rights.set_right(context(store), "julien", "messages", True)
    app = create_app(context(store, "julien"), poll_seconds=0)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert not app.screen.query_one("#text", TextArea).read_only
        assert "Consultation" not in screen_text(app)


async def test_leaving_with_unsaved_text_asks_first(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("enter", *"Cher client, ")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, MessagesScreen)
        assert app.screen.query_one("#text", TextArea).text.startswith("Cher client, Bonjour")
        await pilot.press("escape", "o")
        await settle(pilot)
        assert isinstance(app.screen, AccueilScreen)
    assert store.get("settings", "message.invitation") is None
