"""First use, as a newcomer meets it (issue #7 §7): the footer and the F-key row fit at 80 columns, every
shown key does something, everything is in French, an F-key always lands on its list (asking before losing
typed text), F6/F8 open read-only details with an actions menu, columns needed to act stay at 80×24 and
long forms scroll."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.widgets import Input

from lsc_tui.store import RecordStore as Store
from lsc_tui.tui.app import create_app
from lsc_tui.tui.commands import NO_MATCH
from lsc_tui.tui.screens.actions import ActionMenu
from lsc_tui.tui.screens.confirm import ConfirmScreen
from lsc_tui.tui.screens.event_detail import EventDetailScreen
from lsc_tui.tui.screens.events import EventsScreen
from lsc_tui.tui.screens.letter_detail import LetterDetailScreen
from lsc_tui.tui.screens.parties import PartiesScreen
from lsc_tui.tui.screens.party_form import PartyFormScreen
from lsc_tui.tui.screens.signature_detail import SignatureDetailScreen
from lsc_tui.tui.screens.status_lists import LettersScreen, SignaturesScreen
from lsc_tui.tui.screens.template_form import PlacementList, TemplateFormScreen
from lsc_tui.tui.widgets.fkey_bar import FKeyBar
from lsc_tui.tui.widgets.key_footer import KeyFooter
from lsc_tui.tui.widgets.record_list import RecordList
from tests.fixtures import context
from tests.tui.helpers import screen_text, settle

SMALL, LARGE = (80, 24), (120, 40)
F_KEYS = ("f2", "f3", "f4", "f6", "f7", "f8")


def footer_keys_all_act(app: App[object]) -> list[str]:
    """Footer bindings whose action does not exist on the node that owns them (a key that does nothing)."""
    dead = []
    for active in app.screen.active_bindings.values():
        if not active.binding.show:
            continue
        name = active.binding.action.split("(")[0].split(".")[-1]
        node = app if active.binding.action.startswith("app.") else active.node
        if not callable(getattr(node, f"action_{name}", None)):
            dead.append(f"{type(node).__name__}: {active.binding.action}")
    return dead


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x40"])
async def test_footer_and_f_key_row_fit_and_every_shown_key_acts(store: Store, size: tuple[int, int]) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for key in ("f2", *F_KEYS, "f7", "enter", "f3", "enter", "f4", "enter", "f6", "enter", "f8", "enter"):
            await pilot.press(key)
            await settle(pilot)
            footer = app.screen.query_one(KeyFooter)
            assert not footer.overflows, (key, type(app.screen).__name__, footer.line().plain)
            assert footer_keys_all_act(app) == [], type(app.screen).__name__
            bar = str(app.screen.query_one(FKeyBar).render())
            assert all(f"F{n}" in bar for n in range(1, 10)) and len(bar) <= size[0]
            if size == LARGE:
                assert "ctrl+p Palette" in bar and "ctrl+q Quitter" in bar


async def test_the_palette_and_its_no_match_line_are_french(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert "Chercher une commande" in screen_text(app)
        assert "Search" not in screen_text(app)
        await pilot.press(*"zzzq")
        await pilot.pause(0.7)  # the palette waits half a second before saying nothing matches
        await settle(pilot)
        assert NO_MATCH in screen_text(app) and "No matches" not in screen_text(app)


async def test_an_f_key_lands_on_its_list_whatever_was_open(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await pilot.press("f7", "enter")
        await settle(pilot)
        assert isinstance(app.screen, EventDetailScreen)
        await pilot.press("t")  # the party's form, in the Événements stack
        await settle(pilot)
        assert isinstance(app.screen, PartyFormScreen)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, PartiesScreen)
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, EventsScreen) and len(app.screen_stack) == 1
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f7")  # the F-key of the mode itself: back to its list
        await settle(pilot)
        assert isinstance(app.screen, EventsScreen) and len(app.screen_stack) == 1
        await pilot.press("f1", "f6")  # from a dialog too
        await settle(pilot)
        assert isinstance(app.screen, SignaturesScreen) and len(app.screen_stack) == 1


async def test_an_f_key_asks_before_dropping_typed_text(store: Store) -> None:
    party = next(
        p for p in store.select("parties") if p["last_name"] == "Moreau" and p["first_name"] == "Léa"
    )
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        app.push_screen(PartyFormScreen(party["id"]))
        await settle(pilot)
        form = app.screen
        form.query_one("#city", Input).value = "Vénissieux"
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Abandonner les modifications ?" in screen_text(app)
        await pilot.press("n")  # keep typing
        await settle(pilot)
        assert app.screen is form and form.query_one("#city", Input).value == "Vénissieux"
        await pilot.press("f7", "o")  # drop them
        await settle(pilot)
        assert isinstance(app.screen, EventsScreen)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, PartiesScreen) and len(app.screen_stack) == 1
    assert store.get("parties", party["id"])["address"]["city"] != "Vénissieux"


async def test_signatures_enter_opens_the_fiche_and_a_its_actions(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=LARGE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f6", "slash", *"petit", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SignatureDetailScreen)
        text = screen_text(app)
        for expected in (
            "Bail d'habitation — lot 4",
            "En erreur",
            "est un fixe",
            "Signataires (3)",
            "Noël Petit",
            "helene.petit@exemple.fr",
            "04 72 33 44 55",
        ):
            assert expected in text, expected
        await pilot.press("a")
        await settle(pilot)
        menu = app.screen
        assert isinstance(menu, ActionMenu)
        enabled = {a.name for a in menu.actions if a.enabled}
        # not signed: no signed document yet; a draft may be cancelled and its messages listed
        assert enabled == {"send", "placements", "fetch", "cancel", "send_report"}
        assert "Relancer les signataires maintenant" in screen_text(app)
        await pilot.press("r")  # a greyed action says why and stays
        await settle(pilot)
        assert app.screen is menu
        assert app._notifications and "Attente signature" in list(app._notifications)[-1].message
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, SignaturesScreen)
        await pilot.press("a", "o")  # the list's menu opens the current row
        await settle(pilot)
        assert isinstance(app.screen, SignatureDetailScreen)


async def test_letters_enter_opens_the_detail_with_its_dates(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await pilot.press("f8", "slash", *"brun", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LetterDetailScreen)
        text = screen_text(app)
        for expected in ("Mme BRUN Solène", "AR reçu", "LRE qualifiée eIDAS", "Dépôt", "2026-11-11 08:30"):
            assert expected in text, expected
        ar_line = next(line for line in text.splitlines() if "Accusé de réception" in line)
        assert "2026-11-13 08:30" in ar_line
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ActionMenu)
        menu = screen_text(app)
        assert "Valider par code OTP (F9)" in menu and "Télécharger la preuve" in menu
        assert "arrive avec le module AR24" not in menu
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, LettersScreen)


@pytest.mark.parametrize(
    ("key", "needed", "value"),
    [
        ("f7", ["Chrono", "Objet", "Tiers", "État"], "Envoyé en AR"),
        ("f8", ["Statut", "Destinataire", "Objet", "AR / fin"], "Non distribuable"),
        ("f6", ["St.", "Statut", "Objet", "Échéance"], "Attente signature"),
        ("f3", ["Nom", "Email", "Mobile", "LRE"], "+33670418916"),
    ],
)
async def test_columns_needed_to_act_stay_at_80x24(
    store: Store, key: str, needed: list[str], value: str
) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        shown = app.screen.query_one(RecordList).shown_columns()
        assert all(title in shown for title in needed), shown
        assert value in screen_text(app)  # whole, not cut


async def test_long_forms_scroll_to_the_focused_field_at_80x24(store: Store) -> None:
    party = next(
        p for p in store.select("parties") if p["last_name"] == "Moreau" and p["first_name"] == "Léa"
    )
    template = next(t for t in store.select("templates") if t["name"] == "Bail colocation")
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.push_screen(PartyFormScreen(party["id"]))
        await settle(pilot)
        await pilot.press("tab", "tab", "tab", "tab", "tab")  # down to Ville
        await settle(pilot)
        city = app.screen.query_one("#city", Input)
        assert city.has_focus and app.screen.region.contains_region(city.region)
        await pilot.press("escape")
        app.push_screen(TemplateFormScreen(template["id"]))
        await settle(pilot)
        await pilot.press("ctrl+o")  # the placements table, below thirteen role boxes
        await settle(pilot)
        table = app.screen.query_one(PlacementList)
        assert table.has_focus and table.region.height >= 3
        assert app.screen.region.contains_region(table.region)
        assert "Colocataires" in screen_text(app)


async def test_a_click_on_a_footer_key_presses_it(store: Store) -> None:
    """The footer is one line drawn from the bindings: a click on « p Préférences » opens the dialog."""
    from lsc_tui.tui.screens.home_preferences import HomePreferencesScreen

    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(KeyFooter)
        line = footer.line().plain
        assert "Préférences" in line and not isinstance(app.screen, HomePreferencesScreen)
        left = footer.styles.padding.left
        await pilot.click(KeyFooter, offset=(left + line.index("p Préférences") - 1, 0))  # the space before
        await settle(pilot)
        assert not isinstance(app.screen, HomePreferencesScreen)
        await pilot.click(KeyFooter, offset=(left + line.index("p Préférences"), 0))
        await settle(pilot)
        assert isinstance(app.screen, HomePreferencesScreen)
