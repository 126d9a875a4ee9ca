"""Yes/no dialog: `o` oui, `n` non, Enter the default, Escape non."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from lsc_tui.tui import keys


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = keys.bindings(keys.CONFIRM)
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical { width: 60; max-width: 100%; height: auto; border: thick $warning;
                               background: $surface; padding: 1 2; }
    """

    def __init__(self, question: str, *, default: bool = False) -> None:
        """`question` may carry user text (« Supprimer le modèle « … » ? »): it is shown as typed."""
        super().__init__()
        self.question = question
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, markup=False, id="question")
            yield Static(f"\n[b]o[/b] oui   [b]n[/b] non   (Entrée : {'oui' if self.default else 'non'})")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    def action_default(self) -> None:
        self.dismiss(self.default)
