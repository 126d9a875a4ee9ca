"""The fiche signature and Réglages signature through their keys: a signer edited with the E.164 fix on
ctrl+r, « + » adds one, Suppr refuses a template's signer and deletes an added one; `s` on Accueil opens the
settings, ctrl+t says whether the key works, a staff member cannot save them."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from lsc_tui.cli.demo import seed_demo
from lsc_tui.store import RecordStore as Store
from lsc_tui.tui.app import create_app
from lsc_tui.tui.commands import all_commands
from lsc_tui.tui.screens.signature_detail import SignatureDetailScreen
from lsc_tui.tui.screens.signature_settings import SignatureSettingsScreen
from lsc_tui.tui.screens.signer_form import SignerFormScreen
from tests.fixtures import context
from tests.tui.helpers import running, screen_text, settle

SIZE = (120, 40)


async def test_a_signer_is_fixed_added_and_only_an_added_one_deleted(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f6", "slash", *"lot 9", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SignatureDetailScreen) and "Signataires (2)" in screen_text(app)
        await pilot.press("enter")  # the first signer's form
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SignerFormScreen)
        form.query_one("#phone", Input).value = "06 12 34 56 78"
        await pilot.pause()
        assert "ctrl+r : accepter" in str(form.query_one("#phone-error", Static).content)
        await pilot.press("ctrl+r", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SignatureDetailScreen) and "+33612345678" in screen_text(app)
        await pilot.press("plus")
        await settle(pilot)
        added = app.screen
        assert isinstance(added, SignerFormScreen)
        for name, value in (("last_name", "Roux"), ("first_name", "Marc"), ("email", "marc.roux@exemple.fr")):
            added.query_one(f"#{name}", Input).value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Signataires (3)" in screen_text(app) and "Marc Roux" in screen_text(app)
        await pilot.press("delete")  # the cursor is on the template's first signer
        await settle(pilot)
        assert "vient des signataires du modèle" in list(app._notifications)[-1].message
        assert "Signataires (3)" in screen_text(app)
        await pilot.press("end", "delete")
        await settle(pilot)
        assert "Signataires (2)" in screen_text(app) and running(app)


async def test_signature_settings_from_accueil_test_the_key_and_refuse_staff(tmp_path: Path) -> None:
    ctx = seed_demo(tmp_path / "demo")
    app = create_app(ctx, poll_seconds=0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert any(c.title == "Réglages : signature électronique" for c in all_commands(app))
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SignatureSettingsScreen)
        assert "•" in screen.query_one("#api_key", Input).placeholder  # masked, never in the field
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert "Accès à YouSign vérifié" in str(screen.query_one("#verdict", Static).content)
        screen.query_one("#api_key", Input).value = "une-cle-inventee"
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert "Clé refusée par YouSign" in str(screen.query_one("#verdict", Static).content)
        await pilot.press("escape")
        await settle(pilot)
    staff = create_app(seed_demo(tmp_path / "demo", login="julien"), poll_seconds=0)
    async with staff.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert "réservé aux administrateurs" in screen_text(staff)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(staff.screen, SignatureSettingsScreen)
        assert "réservé aux administrateurs" in list(staff._notifications)[-1].message
