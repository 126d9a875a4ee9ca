"""Signatures (F6) and Lettres recommandées (F8) lists, with Accueil's status drill-down."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import Input, Static

from lsc_tui.services import letters, signatures
from lsc_tui.services.listing import Row
from lsc_tui.tui.screens.list_screen import ListScreen
from lsc_tui.tui.widgets.record_list import Column


class StatusListScreen(ListScreen):
    """A list that Accueil can open on one status; Escape first clears that status filter."""

    status: str | None = None

    def show_status(self, status: str | None) -> None:
        self.status = status
        self.reload()

    def action_clear_filter(self) -> None:
        if self.status and not self.query_one("#filter", Input).value:
            self.show_status(None)
            return
        super().action_clear_filter()

    def _update_status(self) -> None:
        super()._update_status()
        if self.status:
            status = self.query_one("#status", Static)
            status.update(f"{status.content} · statut filtré (Échap : tout afficher)")


class SignaturesScreen(StatusListScreen):
    TITLE_FR = "Signatures"
    NOUN = "fiches signature"
    COLUMNS = (
        Column("St.", 1, 3),
        Column("Statut", 3, 12),
        Column("Objet", 6, 20),
        Column("Signataires", 5, 14),
        Column("Envoyé le", 2, 10),
        Column("Échéance", 2, 10),
        Column("Prest.", 2, 7),
    )

    def load_rows(self) -> Sequence[Row]:
        return signatures.rows(self.lsc.ctx, self.status)


class LettersScreen(StatusListScreen):
    TITLE_FR = "Lettres recommandées"
    NOUN = "lettres"
    COLUMNS = (
        Column("Statut", 3, 12),
        Column("Type", 3, 12),
        Column("Destinataire", 4, 14),
        Column("Objet", 6, 18),
        Column("Dépôt", 2, 10),
        Column("AR / fin", 2, 10),
    )

    def load_rows(self) -> Sequence[Row]:
        return letters.rows(self.lsc.ctx, self.status)
