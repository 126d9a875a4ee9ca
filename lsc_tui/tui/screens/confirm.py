"""Yes/no dialog: `o` oui, `n` non, Enter the default, Escape non."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("o", "answer(True)", "Oui", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "Non", id="confirm.no"),
        Binding("enter", "default", "Par défaut", id="confirm.default"),
    ]
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical { width: 60; height: auto; border: thick $warning; background: $surface; padding: 1 2; }
    """

    def __init__(self, question: str, *, default: bool = False) -> None:
        super().__init__()
        self.question = question
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, markup=False)
            yield Static(f"\n[b]o[/b] oui   [b]n[/b] non   (Entrée : {'oui' if self.default else 'non'})")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    def action_default(self) -> None:
        self.dismiss(self.default)
