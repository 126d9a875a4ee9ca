"""F8 « Rechercher par dates »: the letters of every user (or one) deposited between two dates (L7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from lsc_tui.tui import keys


@dataclass(frozen=True)
class LetterQuery:
    start: date
    end: date
    login: str = ""

    def label(self) -> str:
        who = f" de {self.login}" if self.login else " de tous les utilisateurs"
        return f"lettres{who} du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"


def parse_day(text: str) -> date:
    """JJ/MM/AAAA (or AAAA-MM-JJ); ValueError with a French sentence."""
    value = text.strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"« {value} » n'est pas une date (JJ/MM/AAAA).")


class LetterSearchScreen(ModalScreen[LetterQuery | None]):
    BINDINGS = keys.bindings(keys.SEARCH)
    DEFAULT_CSS = """
    LetterSearchScreen { align: center middle; }
    LetterSearchScreen > Vertical { width: 64; max-width: 100%; height: auto; border: thick $accent;
                                    background: $surface; padding: 1 2; }
    LetterSearchScreen #search-error { color: $error; height: auto; }
    """

    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Rechercher les lettres par dates (tous les utilisateurs)", markup=False)
            yield Label("Du (JJ/MM/AAAA)")
            yield Input(value=f"{self.today.replace(day=1):%d/%m/%Y}", id="start")
            yield Label("Au")
            yield Input(value=f"{self.today:%d/%m/%Y}", id="end")
            yield Label("Utilisateur (identifiant, vide : tous)")
            yield Input(id="login")
            yield Static("", id="search-error", markup=False)
            yield Static("Entrée : rechercher · Échap : annuler", markup=False)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_search()

    def action_search(self) -> None:
        try:
            start = parse_day(self.query_one("#start", Input).value)
            end = parse_day(self.query_one("#end", Input).value)
        except ValueError as exc:
            self.query_one("#search-error", Static).update(str(exc))
            return
        self.dismiss(
            LetterQuery(min(start, end), max(start, end), self.query_one("#login", Input).value.strip())
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
