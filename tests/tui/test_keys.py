"""One key registry (issue #8 §3): bindings, F1 and the palette come from it; a user keymap rebinds by id,
and a bad keymap file changes nothing but says why in French."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from lsc_tui.store import RecordStore as Store
from lsc_tui.tui import keymap, keys
from lsc_tui.tui.app import LscApp, create_app
from lsc_tui.tui.commands import all_commands
from lsc_tui.tui.screens.events import EventsScreen
from lsc_tui.tui.screens.help import HelpScreen
from lsc_tui.tui.screens.list_screen import ListScreen
from lsc_tui.tui.screens.parties import PartiesScreen
from lsc_tui.tui.widgets.fkey_bar import FKeyBar
from tests.fixtures import context
from tests.tui.helpers import screen_text, settle

SIZE = (120, 40)


def test_every_binding_has_a_unique_id_and_the_defaults_do_not_clash() -> None:
    ids = [k.id for k in keys.ALL]
    assert len(ids) == len(set(ids))
    assert keymap.parse("[keymap]\n") == {}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[keymap\n", "TOML illisible"),
        ('evenements = "f7"\n', "la table [keymap] manque"),
        ('[keymap]\n"app.nowhere" = "f7"\n', "« app.nowhere » n'est pas un identifiant de raccourci"),
        ('[keymap]\n"app.evenements" = 7\n', "doit être un texte"),
        ('[keymap]\n"app.evenements" = "ctrl+"\n', "« ctrl+ » n'est pas une touche connue"),
        ('[keymap]\n"app.evenements" = "hyperdrive"\n', "« hyperdrive » n'est pas une touche connue"),
        (
            '[keymap]\n"app.evenements" = "f3"\n',
            "la touche f3 servirait à la fois à « Tiers » (app.tiers) et à « Événements » (app.evenements)",
        ),
        (
            '[keymap]\n"list.filter" = "a"\n',
            "servirait à la fois à « Filtrer » (list.filter) et à « Actions »",
        ),
    ],
)
def test_a_bad_keymap_is_refused_with_its_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as raised:
        keymap.parse(text)
    assert reason in str(raised.value)


def test_swapping_two_keys_and_single_characters_are_accepted() -> None:
    assert keymap.parse('[keymap]\n"app.tiers" = "f7"\n"app.evenements" = "f3"\n"list.filter" = "!"\n') == {
        "app.tiers": "f7",
        "app.evenements": "f3",
        "list.filter": "exclamation_mark",
    }
    with pytest.raises(ValueError, match=r"« Filtrer » .* et à « Aide » "):
        keymap.parse('[keymap]\n"list.filter" = "?"\n')  # ? is the help everywhere


async def test_a_keymap_file_rebinds_footer_help_f_key_row_and_palette(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "keymap.toml"
    path.write_text('[keymap]\n"app.evenements" = "ctrl+e"\n"list.filter" = "f"\n', encoding="utf-8")
    app = create_app(context(store), poll_seconds=0, keymap_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7")  # no longer bound
        await settle(pilot)
        assert not isinstance(app.screen, EventsScreen)
        bar = str(app.screen.query_one(FKeyBar).render())
        assert "ctrl+e" in bar and "Événem" in bar and "F7" not in bar
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert isinstance(app.screen, EventsScreen)
        assert "f Filtrer" in screen_text(app)  # the footer
        await pilot.press("f")
        assert app.screen.query_one("#filter", Input).has_focus
        await pilot.press("escape", "escape", "f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        help_text = str(app.screen.query_one("#help-text", Static).content)
        assert "  f              Filtrer" in help_text
        assert "  ctrl+e         Événements" in help_text
        titles = {c.title: c.help for c in all_commands(app)}
        assert titles["Aller : Événements"] == "ctrl+e"


async def test_a_bad_keymap_file_keeps_the_defaults_and_says_so_once(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "keymap.toml"
    path.write_text('[keymap]\n"app.evenements" = "f3"\n', encoding="utf-8")
    app = create_app(context(store), poll_seconds=0, keymap_path=path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert len(messages) == 1
        assert messages[0].startswith(f"Raccourcis de {path} non appliqués : la touche f3 servirait")
        assert messages[0].endswith("Les touches par défaut restent.")
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, EventsScreen)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, PartiesScreen)


async def test_f1_and_palette_read_the_registry_and_nothing_in_english(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ListScreen)
        bound = {b.id for b in screen.BINDINGS} | {b.id for b in LscApp.BINDINGS}  # type: ignore[union-attr]
        assert {"list.filter", "list.actions", "app.tiers", "app.evenements"} <= bound
        titles = [c.title for c in all_commands(app)]
        for expected in (
            "Aller : Tiers",
            "Tiers : filtrer",
            "Tiers : actions",
            "Tiers : cocher",
            "Tiers : donner le consentement LRE",
        ):
            assert expected in titles, expected
        await pilot.press("f1")
        await settle(pilot)
        help_text = str(app.screen.query_one("#help-text", Static).content)
        for built_in in ("Copy", "super+c", "Scroll", "Focus", "Quit ", "Exit", "command palette"):
            assert built_in not in help_text, built_in
        assert "ctrl+c         Copier" in help_text
        for key in keys.RECORD_LIST + keys.LIST_SCREEN:
            if key.help:
                assert key.label in help_text, key.label
