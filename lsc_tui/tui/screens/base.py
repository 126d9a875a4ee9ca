"""What every screen shares: header, read-only banner, footer, store-change refresh, palette commands."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

if TYPE_CHECKING:
    from lsc_tui.tui.app import LscApp


@dataclass(frozen=True)
class PaletteCommand:
    """A `"groupe : action"` entry of the command palette (KEYS.md: every action is also a command)."""

    title: str
    help: str
    run: Callable[[], object]


class BaseScreen(Screen[None]):
    TITLE_FR = ""
    GROUP = ""

    @property
    def lsc(self) -> LscApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        if self.lsc.ctx.readonly:
            yield Static(
                "Lecture seule : votre identifiant n'est pas déclaré. Consultez librement ; rien ne peut être modifié.",
                classes="banner",
            )
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_screen_resume(self) -> None:
        self.sub_title = self.TITLE_FR
        self.reload()

    def reload(self) -> None:
        """Re-read what the screen shows (F5, or the store changed underneath)."""

    def palette_commands(self) -> Iterable[PaletteCommand]:
        return ()

    def notify_error(self, message: str) -> None:
        self.notify(message, severity="error", timeout=8, markup=False)
