"""Signatures (F6) and Lettres recommandées (F8) lists, with Accueil's status drill-down."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Static

from lsc_tui.services import letters, session, signatures
from lsc_tui.tui.screens.actions import MenuAction
from lsc_tui.tui.screens.letter_detail import LetterDetailScreen, letter_menu
from lsc_tui.tui.screens.list_screen import ListScreen
from lsc_tui.tui.screens.signature_detail import SignatureDetailScreen, signature_menu
from lsc_tui.tui.widgets.record_list import Column


class StatusListScreen(ListScreen):
    """A list that Accueil can open on one status; Escape first clears that status filter."""

    status: str | None = None
    mine: bool = False
    """Only the current user's records (F9: nobody validates a colleague's letters)."""

    def rows_args(self) -> tuple[Any, ...]:
        return (self.ctx, self.status)

    def show_status(self, status: str | None, *, mine: bool = False) -> None:
        self.status = status
        self.mine = mine
        self.reload()

    def action_clear_filter(self) -> None:
        if (self.status or self.mine) and not self.query_one("#filter", Input).value:
            self.show_status(None)
            return
        super().action_clear_filter()

    def _update_status(self) -> None:
        super()._update_status()
        if self.status or self.mine:
            status = self.query_one("#status", Static)
            what = " · mes lettres" if self.mine else ""
            status.update(f"{status.content}{what} · statut filtré (Échap : tout afficher)")


class SignaturesScreen(StatusListScreen):
    WATCHES = session.SIGNATURES
    TITLE_FR = "Signatures"
    NOUN = "fiches signature"
    ROWS = staticmethod(signatures.rows)
    NAME_CELL = 2
    COLUMNS = (
        Column("St.", 0, 3),
        Column("Statut", 0, 17),
        Column("Objet", 6, 14),
        Column("Signataires", 5, 12, drop=3),
        Column("Envoyé le", 0, 10, drop=2),
        Column("Échéance", 0, 10),
        Column("Prest.", 0, 8, drop=1),
    )

    def open_record(self, key: str) -> None:
        self.app.push_screen(SignatureDetailScreen(key))

    def menu_actions(self) -> list[MenuAction]:
        return signature_menu()


class LettersScreen(StatusListScreen):
    WATCHES = session.LETTERS
    TITLE_FR = "Lettres recommandées"
    NOUN = "lettres"
    ROWS = staticmethod(letters.rows)
    NAME_CELL = 2
    COLUMNS = (
        Column("Statut", 0, 16),
        Column("Type", 1, 12, drop=1),
        Column("Destinataire", 4, 14),
        Column("Objet", 6, 14),
        Column("Dépôt", 0, 10, drop=2),
        Column("AR / fin", 0, 10),
    )

    def rows_args(self) -> tuple[Any, ...]:
        return (self.ctx, self.status, self.mine)

    def open_record(self, key: str) -> None:
        self.app.push_screen(LetterDetailScreen(key))

    def menu_actions(self) -> list[MenuAction]:
        return letter_menu()
