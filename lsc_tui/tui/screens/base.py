"""What every screen shares: header, read-only banner, footer and F-key row, the one path to the services,
store-change refresh, and what the palette and F1 read from the key registry."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Static

from lsc_tui.services.context import AppContext
from lsc_tui.tui.keys import Key
from lsc_tui.tui.screens.actions import MenuAction
from lsc_tui.tui.service_calls import ServiceCaller
from lsc_tui.tui.widgets.fkey_bar import FKeyBar
from lsc_tui.tui.widgets.key_footer import KeyFooter
from lsc_tui.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from lsc_tui.tui.app import LscApp

READ_ONLY = (
    "Lecture seule : votre identifiant n'est pas déclaré. Consultez librement ; rien ne peut être modifié."
)


def bottom_bars() -> ComposeResult:
    """The screen's own keys (footer), then the F-keys, on every screen of the app."""
    with Vertical(classes="bottom-bars"):
        yield KeyFooter()
        yield FKeyBar()


class ScreenBasics(ServiceCaller):
    """Shared by full screens and the full-size dialogs (placement tool)."""

    TITLE_FR: ClassVar[str] = ""
    PALETTE: ClassVar[tuple[Key, ...]] = ()
    """Palette-only commands of this screen (registry entries without a key)."""
    WATCHES: ClassVar[frozenset[str] | None] = None
    """Tables whose change makes this screen re-read (`services.session`); None: any change; empty: none
    (a form never overwrites what is being typed)."""

    def watches(self, changed: set[str]) -> bool:
        return self.WATCHES is None or bool(self.WATCHES & changed)

    @property
    def lsc(self) -> LscApp:
        return self.app  # type: ignore[attr-defined,no-any-return]

    @property
    def ctx(self) -> AppContext:
        return self.lsc.ctx

    def has_unsaved_changes(self) -> bool:
        """An F-key leaving this screen asks first when True (nothing is lost silently)."""
        return False

    def reload(self) -> None:
        """Re-read what the screen shows (F5, or the store changed underneath)."""

    def menu_actions(self) -> list[MenuAction]:
        """The `a` menu of this screen; its enabled entries are palette commands too."""
        return []

    def run_menu(self, name: str) -> None:
        """Run the menu entry `name` (from the `a` menu or the palette)."""

    def notify(  # type: ignore[override]
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications carry user text (names, titles): markup is off unless asked for."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)  # type: ignore[misc]

    def notify_error(self, message: str) -> None:
        self.notify(message, severity="error", timeout=8)


class BaseScreen(ScreenBasics, Screen[None]):
    def compose(self) -> ComposeResult:
        yield TitleBar()
        if self.ctx.readonly:
            yield Static(READ_ONLY, classes="banner", markup=False)
        yield from self.compose_body()
        yield from bottom_bars()

    def compose_body(self) -> ComposeResult:
        yield from ()

    _showing = False

    def on_screen_resume(self) -> None:
        if self._showing:
            return  # Textual may resume a screen twice in a row: one read of the store is enough
        self._showing = True
        self.sub_title = self.TITLE_FR
        self.reload()

    def on_screen_suspend(self) -> None:
        self._showing = False

    def action_back(self) -> None:
        self.dismiss()
