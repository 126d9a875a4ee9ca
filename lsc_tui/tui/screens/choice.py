"""Choose one among many (an entity among hundreds of buildings): type to narrow, Entrée picks, Échap leaves."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from lsc_tui.services.listing import Row, filter_rows, rows_of
from lsc_tui.tui import keys
from lsc_tui.tui.text import safe
from lsc_tui.tui.widgets.record_list import Column, RecordList


class ChoiceScreen(ModalScreen[str | None]):
    """Answers the chosen key, "" for « tous », None when left with Échap."""

    BINDINGS = keys.bindings(keys.TEXT_DIALOG)
    DEFAULT_CSS = """
    ChoiceScreen { align: center middle; }
    ChoiceScreen > Vertical { width: 80; max-width: 100%; height: 80%; border: thick $accent;
        background: $surface; padding: 0 1; }
    ChoiceScreen Input { height: 3; }
    """

    def __init__(self, title: str, choices: list[tuple[str, str]], *, everything: str = "(tous)") -> None:
        super().__init__()
        self.title_text = title
        rows = [Row("", (everything,), everything.lower())]
        rows += [Row(key, (label,), label.lower()) for key, label in choices]
        self.rows = rows_of(rows)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe(self.title_text), markup=False)
            yield Input(placeholder="Taper pour filtrer… (Entrée : choisir, Échap : annuler)", id="narrow")
            yield RecordList([Column("", 1, 10)], tickable=False, id="choices")
            yield Static("↑ ↓ : choisir · Entrée : valider · Échap : annuler", markup=False)

    def on_mount(self) -> None:
        self.query_one(RecordList).set_rows(self.rows)
        self.query_one(Input).focus()

    @on(Input.Changed, "#narrow")
    def _narrow(self, event: Input.Changed) -> None:
        self.query_one(RecordList).set_rows(filter_rows(self.rows, event.value))

    @on(Input.Submitted, "#narrow")
    def _take_first(self) -> None:
        key = self.query_one(RecordList).current_key
        if key is not None:
            self.dismiss(key)

    def on_key(self, event: events.Key) -> None:
        if event.key in {"down", "up"} and self.query_one(Input).has_focus:
            self.query_one(RecordList).focus()

    @on(RecordList.Opened)
    def _opened(self, message: RecordList.Opened) -> None:
        self.dismiss(message.key)

    def action_cancel(self) -> None:
        self.dismiss(None)
