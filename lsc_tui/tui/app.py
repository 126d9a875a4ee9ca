"""The application: one keyboard language (KEYS.md) over every screen, built by one factory for CLI and tests."""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.binding import Binding
from textual.keys import format_key
from textual.notifications import SeverityLevel
from textual.screen import Screen

from lsc_tui.config import resources_dir
from lsc_tui.services import session
from lsc_tui.services.context import AppContext
from lsc_tui.services.home import HomeSummary
from lsc_tui.tui import keys
from lsc_tui.tui.commands import LscCommands, Palette
from lsc_tui.tui.keymap import Keymap, load
from lsc_tui.tui.screens.accueil import AccueilScreen
from lsc_tui.tui.screens.base import ScreenBasics
from lsc_tui.tui.screens.confirm import ConfirmScreen
from lsc_tui.tui.screens.help import HelpScreen, global_keys, screen_keys
from lsc_tui.tui.service_calls import ServiceCaller
from lsc_tui.tui.stylesheet import SteadyStylesheet

if TYPE_CHECKING:
    from typing import TypeGuard

    from lsc_tui.tui.screens.status_lists import StatusListScreen

KEY_NAMES = {
    "space": "Espace",
    "enter": "Entrée",
    "escape": "Échap",
    "delete": "Suppr",
    "backspace": "Retour arr.",
    "pageup": "PgPréc",
    "pagedown": "PgSuiv",
    "home": "Début",
    "end": "Fin",
    "tab": "Tab",
}
DISCARD = "Abandonner les modifications ?"
DEFAULT_GC = (700, 10, 10)
"""CPython's own thresholds."""
DEFAULT_SWITCH = 0.005
"""CPython's own GIL switch interval (cli.start lowers it for the start)."""

LATER_SCREENS = {
    "tiers": ("lsc_tui.tui.screens.parties", "PartiesScreen"),
    "modeles": ("lsc_tui.tui.screens.templates", "TemplatesScreen"),
    "signatures": ("lsc_tui.tui.screens.status_lists", "SignaturesScreen"),
    "evenements": ("lsc_tui.tui.screens.events", "EventsScreen"),
    "lettres": ("lsc_tui.tui.screens.status_lists", "LettersScreen"),
    "journal": ("lsc_tui.tui.screens.journal", "JournalScreen"),
    "consommation": ("lsc_tui.tui.screens.consumption", "ConsumptionScreen"),
    "messages": ("lsc_tui.tui.screens.messages", "MessagesScreen"),
    "envois": ("lsc_tui.tui.screens.send_report", "SendReportScreen"),
}
"""Screens imported when first shown (or by the warm-up, once Accueil is on screen), not before Accueil:
their modules pull in PDF rendering, phone numbers and the provider clients, a second of start at 100k."""


def later(mode: str) -> Callable[[], Screen[Any]]:
    """The factory Textual's MODES calls on the first visit of `mode`: imports the screen's module then."""
    module, name = LATER_SCREENS[mode]

    def make() -> Screen[Any]:
        return getattr(importlib.import_module(module), name)()  # type: ignore[no-any-return]

    make.__qualname__ = name
    return make


def is_status_list(screen: object) -> TypeGuard[StatusListScreen]:
    """Without importing the status lists' module for a screen that is not one of them. The warm-up thread
    may be importing it right now: until its class exists, no screen can be one."""
    status_lists = sys.modules.get("lsc_tui.tui.screens.status_lists")
    kind = getattr(status_lists, "StatusListScreen", None)
    return kind is not None and isinstance(screen, kind)


class LscApp(ServiceCaller, App[None]):
    CSS_PATH = [str(resources_dir("styles") / name) for name in ("app.tcss", "templates.tcss")]
    COMMANDS: ClassVar[set[Any]] = {LscCommands}
    ENABLE_COMMAND_PALETTE = True
    MODES: ClassVar[dict[str, Any]] = {"accueil": AccueilScreen} | {
        mode: later(mode) for mode in LATER_SCREENS
    }
    DEFAULT_MODE = "accueil"
    """The app opens on Accueil's mode directly: no blank default screen made, suspended and left behind, and
    no `switch_mode` at mount (which re-parses the stylesheet)."""
    BINDINGS = keys.bindings(keys.APP)

    def __init__(
        self,
        ctx: AppContext,
        *,
        store_label: str = "",
        poll_seconds: float = 2.0,
        keymap: Keymap | None = None,
        first_summary: HomeSummary | Future[HomeSummary | None] | None = None,
    ) -> None:
        super().__init__()
        self.stylesheet = SteadyStylesheet(variables=self.get_css_variables())
        self.ctx = ctx
        self._first_summary = first_summary
        """Accueil's counts read by the start (`home.summary_at_start`), or on their way from its helper process
        (cli/first_reads.py): shown by Accueil's first frame if they are there, once."""
        home = str(Path.home())
        where = str(ctx.data_dir)
        self.store_label = store_label or (
            "~" + where[len(home) :] if where.startswith(home + "/") else where
        )
        self.poll_seconds = poll_seconds
        self.keymap_file = keymap or Keymap()
        self.keymap: dict[str, str] = {}
        """The user's rebindings in force (binding id → key), read by the F-key bar and F1."""
        self._warm_up_started = False

    def _fatal_error(self) -> None:
        """A bug that escaped every handler: one French line and exit code 70, never Textual's traceback (its
        local variables hold names, emails and phone numbers of the firm's clients)."""
        error = sys.exc_info()[1]
        kind = type(error).__name__ if error is not None else "erreur"
        self.bell()
        self._exit_renderables.append(
            f"lsc-tui : erreur inattendue ({kind}) : l'application s'est arrêtée ; ce qui était enregistré"
            " l'est toujours. Relancez-la ; si l'erreur revient, signalez-la avec ce que vous faisiez."
        )
        self._return_code = 70
        self._close_messages_no_wait()

    def on_mount(self) -> None:
        role = "admin" if self.ctx.user.is_admin else "gestionnaire"
        if self.ctx.readonly:
            role = "lecture seule"
        self.title = f"lsc-tui — {self.ctx.user.name} ({role}) — {self.store_label}"
        self.sub_title = self.store_label
        if self.keymap_file.problem:
            self.notify(self.keymap_file.problem, severity="warning", timeout=15)
        elif self.keymap_file.bindings:
            self.keymap = dict(self.keymap_file.bindings)
            self.set_keymap(self.keymap)
        if self.poll_seconds:
            self.set_interval(self.poll_seconds, self._poll_store)

    def take_first_summary(self) -> HomeSummary | Future[HomeSummary | None] | None:
        first, self._first_summary = self._first_summary, None
        return first

    def accueil_shown(self) -> None:
        """Accueil shows its counts: now warm up in the background. Started earlier, the warm-up would hold
        the GIL half the time while Accueil is laid out (start to Accueil doubled at 100k records)."""
        if not self._warm_up_started:
            self._warm_up_started = True
            gc.set_threshold(*DEFAULT_GC)  # raised for the start by cli.start.starting
            sys.setswitchinterval(DEFAULT_SWITCH)  # lowered for the start by cli.start.starting
            self.call_service(self._warm_up, group="warm-up")

    def _warm_up(self) -> None:
        """Import the other screens, make the provider clients and read the big lists while the user looks at
        Accueil, so that F-keys and the first send answer at once and the lists paint at once at 100k records
        (1,000,000 letters on PostgreSQL)."""
        for module, _name in LATER_SCREENS.values():
            importlib.import_module(module)
        self.ctx.providers.prepare()
        from lsc_tui.services import events, letters, parties, signatures

        for rows in (events.rows, parties.rows, letters.rows, signatures.rows):
            rows(self.ctx).prepare()  # a database starts counting and reading the first page
        # Hundreds of thousands of long-lived records: keep the cyclic GC from rescanning them on every
        # full collection (each one a visible freeze at 100k records).
        gc.freeze()

    # ---- words -------------------------------------------------------------------------------------

    def get_key_display(self, binding: Binding) -> str:
        """Keys as KEYS.md and a French keyboard say them: ctrl+s, Maj+Tab, Entrée, Échap, Suppr, F7."""
        if binding.key_display:
            return binding.key_display
        *mods, key = binding.key.split(",")[0].strip().split("+")
        fkey = key[:1] == "f" and key[1:].isdigit()
        shown = key.upper() if fkey else KEY_NAMES.get(key) or format_key(key)
        return "+".join([*("Maj" if m == "shift" else m for m in mods), shown])

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Messages carry user text: markup is off unless asked for."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def action_help_quit(self) -> None:
        """ctrl+c where nothing can be copied: say how to quit, in French."""
        key = self.get_key_display(keys.BY_ID["app.quit"].bound(self.keymap))
        self.notify(f"Pour quitter : {key}.", title="Quitter ?")

    def action_command_palette(self) -> None:
        if not Palette.is_open(self):
            self.push_screen(Palette())

    # ---- store changes -----------------------------------------------------------------------------

    def _poll_store(self) -> None:
        """Another staff member wrote: refresh the screen on show if it shows a changed table (X4)."""
        self.call_service(session.changed_tables, self.ctx, on_result=self._reload_if_watched, group="poll")

    def _reload_if_watched(self, changed: set[str]) -> None:
        screen = self.screen
        if changed and isinstance(screen, ScreenBasics) and screen.watches(changed):
            screen.reload()

    def action_refresh(self) -> None:
        """F5: re-read what the screen shows, whatever changed; ask the provider where the screen shows
        provider state (KEYS.md)."""
        from_provider = getattr(self.screen, "refresh_from_provider", None)
        if callable(from_provider):
            from_provider()
        elif isinstance(self.screen, ScreenBasics):
            self.screen.reload()
            self.notify("Actualisé.", timeout=2)

    def action_signature_settings(self) -> None:
        """Réglages signature (palette, `s` on Accueil)."""
        from lsc_tui.tui.screens.signature_settings import SignatureSettingsScreen

        if not isinstance(self.screen, SignatureSettingsScreen):
            self.push_screen(SignatureSettingsScreen())

    # ---- navigation --------------------------------------------------------------------------------

    def action_goto(self, mode: str) -> None:
        self.goto(mode)

    def action_otp(self) -> None:
        """F9 from anywhere: my letters waiting for the end-of-day OTP, all ticked, the focus in the code."""
        from lsc_tui.tui.screens.otp_validation import OtpScreen

        if isinstance(self.screen, OtpScreen):
            self.screen.action_focus_code()
            return
        if isinstance(self.screen, ConfirmScreen) and self.screen.question == DISCARD:
            return
        dirty = [s for s in self.screen_stack[1:] if isinstance(s, ScreenBasics) and s.has_unsaved_changes()]

        def land(go: bool | None = True) -> None:
            if go:
                self._pop_to_base()
                self.push_screen(OtpScreen())

        if dirty:
            self.push_screen(ConfirmScreen(DISCARD, default=False), land)
        else:
            land()

    def action_ar24_account(self) -> None:
        """Palette « Réglages : compte AR24 et moyens de paiement » (C3, C4)."""
        from lsc_tui.tui.screens.ar24_settings import Ar24SettingsScreen

        self._pop_to_base()
        self.push_screen(Ar24SettingsScreen())

    def action_demo_clock(self) -> None:
        """Palette, demo folder only: the recipients' 15 days pass at the sandbox, then F8 refreshes."""
        from lsc_tui.services import letters_demo

        self.call_service(
            letters_demo.advance_clock,
            self.ctx,
            on_result=lambda text: self.notify(text, timeout=8),
            group="demo",
        )

    def goto(self, mode: str, status: str | None = None, *, mine: bool = False) -> None:
        """An F-key lands on its mode's list, whatever was open; a form with changes on the way asks first."""
        if isinstance(self.screen, ConfirmScreen) and self.screen.question == DISCARD:
            return
        dirty = [s for s in self.screen_stack[1:] if isinstance(s, ScreenBasics) and s.has_unsaved_changes()]
        if not dirty:
            self._land(mode, status, mine)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self._land(mode, status, mine)

        self.push_screen(ConfirmScreen(DISCARD, default=False), answered)

    def _land(self, mode: str, status: str | None, mine: bool = False) -> None:
        self._pop_to_base()
        self.switch_mode(mode)
        self._pop_to_base()
        screen = self.screen
        if is_status_list(screen):
            screen.show_status(status, mine=mine)

    def _pop_to_base(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_help(self) -> None:
        screen = self.screen
        if isinstance(screen, HelpScreen):
            screen.dismiss(None)
            return
        if isinstance(screen, Palette):
            return
        title = getattr(screen, "TITLE_FR", "") or "Écran"
        self.push_screen(
            HelpScreen(title, screen_keys(screen), global_keys(self.keymap, self.get_key_display))
        )


def create_app(ctx: AppContext, *, keymap_path: Path | None = None, **kwargs: Any) -> LscApp:
    """The one factory used by the CLI and the tests (store, user, clock injected through `ctx`; the user's
    keymap file read here, before the first frame)."""
    return LscApp(ctx, keymap=load(keymap_path), **kwargs)
