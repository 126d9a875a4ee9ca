"""The application: one keyboard language (KEYS.md) over every screen, built by one factory for CLI and tests."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding

from lsc_tui.config import resources_dir
from lsc_tui.services import events, parties
from lsc_tui.services.context import AppContext
from lsc_tui.tui.commands import LscCommands
from lsc_tui.tui.screens.accueil import AccueilScreen
from lsc_tui.tui.screens.base import BaseScreen
from lsc_tui.tui.screens.events import EventsScreen
from lsc_tui.tui.screens.help import HelpScreen, screen_keys
from lsc_tui.tui.screens.parties import PartiesScreen
from lsc_tui.tui.screens.status_lists import LettersScreen, SignaturesScreen, StatusListScreen
from lsc_tui.tui.screens.templates import TemplatesScreen


class LscApp(App[None]):
    CSS_PATH = [str(resources_dir("styles") / name) for name in ("app.tcss", "templates.tcss")]
    COMMANDS = App.COMMANDS | {LscCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"
    ENABLE_COMMAND_PALETTE = True

    MODES: ClassVar[dict[str, Any]] = {
        "accueil": AccueilScreen,
        "tiers": PartiesScreen,
        "modeles": TemplatesScreen,
        "signatures": SignaturesScreen,
        "evenements": EventsScreen,
        "lettres": LettersScreen,
    }
    NAVIGATION: ClassVar[dict[str, tuple[str, str]]] = {
        "accueil": ("Accueil", "F2"),
        "tiers": ("Tiers", "F3"),
        "modeles": ("Modèles", "F4"),
        "signatures": ("Signatures", "F6"),
        "evenements": ("Événements", "F7"),
        "lettres": ("Lettres recommandées", "F8"),
    }
    BINDINGS = [
        Binding("f1", "help", "Aide", id="app.help"),
        Binding("question_mark", "help", "Aide", show=False, id="app.help_alt"),
        Binding("f2", "goto('accueil')", "Accueil", priority=True, id="app.accueil"),
        Binding("f3", "goto('tiers')", "Tiers", priority=True, id="app.tiers"),
        Binding("f4", "goto('modeles')", "Modèles", priority=True, id="app.modeles"),
        Binding("f5", "refresh", "Actualiser", priority=True, id="app.refresh"),
        Binding("f6", "goto('signatures')", "Signatures", priority=True, id="app.signatures"),
        Binding("f7", "goto('evenements')", "Événements", priority=True, id="app.evenements"),
        Binding("f8", "goto('lettres')", "Lettres", priority=True, id="app.lettres"),
        Binding("f9", "otp", "OTP", priority=True, id="app.otp"),
        Binding("ctrl+q", "quit", "Quitter", priority=True, id="app.quit"),
    ]

    def __init__(self, ctx: AppContext, *, store_label: str = "", poll_seconds: float = 2.0) -> None:
        super().__init__()
        self.ctx = ctx
        home = str(Path.home())
        where = str(ctx.data_dir)
        self.store_label = store_label or (
            "~" + where[len(home) :] if where.startswith(home + "/") else where
        )
        self.poll_seconds = poll_seconds

    def on_mount(self) -> None:
        role = "admin" if self.ctx.user.is_admin else "gestionnaire"
        if self.ctx.readonly:
            role = "lecture seule"
        self.title = f"lsc-tui — {self.ctx.user.name} ({role}) — {self.store_label}"
        self.sub_title = self.store_label
        self.switch_mode("accueil")
        self._warm_up()
        if self.poll_seconds:
            self.set_interval(self.poll_seconds, self._poll_store)

    @work(thread=True, exclusive=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        """Read the big lists while the user looks at Accueil, so F7 and F3 paint at once at 100k records."""
        events.rows(self.ctx).prepare()
        parties.rows(self.ctx).prepare()
        # Hundreds of thousands of long-lived records: keep the cyclic GC from rescanning them on every
        # full collection (each one a visible freeze at 100k records).
        gc.freeze()

    def _poll_store(self) -> None:
        """Another staff member wrote: refresh the screen on show (X4, each sees the others' changes)."""
        changed = self.ctx.store.changed_tables()
        if changed and isinstance(self.screen, BaseScreen):
            self.screen.reload()

    def goto(self, mode: str, status: str | None = None) -> None:
        self.switch_mode(mode)
        screen = self.screen
        if isinstance(screen, StatusListScreen):
            screen.show_status(status)

    def action_goto(self, mode: str) -> None:
        self.goto(mode)

    def action_otp(self) -> None:
        """F9: my letters waiting for OTP validation (the code entry arrives with the AR24 module)."""
        self.goto("lettres", status="to_valid")

    def action_refresh(self) -> None:
        if isinstance(self.screen, BaseScreen):
            self.screen.reload()
            self.notify("Actualisé.", timeout=2)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        screen = self.screen
        title = getattr(screen, "TITLE_FR", "") or "Écran"
        self.push_screen(HelpScreen(title, screen_keys(screen)))


def create_app(ctx: AppContext, **kwargs: Any) -> LscApp:
    """The one factory used by the CLI and the tests (store, user, clock injected through `ctx`)."""
    return LscApp(ctx, **kwargs)
