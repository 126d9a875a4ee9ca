"""A dialog that lists what an action did (the parties whose consent changed…): Enter or Escape closes it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from lsc_tui.tui import keys


class InfoListScreen(ModalScreen[None]):
    BINDINGS = keys.bindings(keys.INFO)
    DEFAULT_CSS = """
    InfoListScreen { align: center middle; }
    InfoListScreen > Vertical { width: 90; max-width: 100%; height: auto; max-height: 90%; border: thick $accent;
                                background: $surface; padding: 1 2; }
    InfoListScreen VerticalScroll { height: auto; max-height: 16; }
    """

    def __init__(self, title: str, lines: list[str]) -> None:
        """`lines` carry user text (names): shown as typed."""
        super().__init__()
        self.title_text = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, markup=False, id="info-title")
            with VerticalScroll():
                yield Static("\n".join(self.lines) or "(rien)", markup=False, id="info-lines")
            yield Static("\nEntrée ou Échap : fermer", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
