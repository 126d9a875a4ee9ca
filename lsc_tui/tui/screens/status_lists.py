"""Signatures (F6) and Lettres recommandées (F8) lists, with Accueil's status drill-down."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Static

from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.services import letter_tracking, letters, session, signatures
from lsc_tui.tui import keys
from lsc_tui.tui.screens.actions import MenuAction
from lsc_tui.tui.screens.choice import ChoiceScreen
from lsc_tui.tui.screens.letter_actions import LetterActions, letter_menu
from lsc_tui.tui.screens.letter_detail import LetterDetailScreen
from lsc_tui.tui.screens.letter_search import LetterQuery, LetterSearchScreen
from lsc_tui.tui.screens.list_screen import ListScreen
from lsc_tui.tui.screens.signature_actions import run_signature_action, signature_menu
from lsc_tui.tui.screens.signature_detail import SignatureDetailScreen
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
    BINDINGS = keys.bindings(keys.SIGNATURE_LIST)
    COLUMNS = (
        Column("St.", 0, 3),
        Column("Statut", 0, 17),
        Column("Objet", 6, 14),
        Column("Entité", 3, 10, drop=4),
        Column("Signataires", 4, 12, drop=2),
        Column("Envoyé le", 0, 10, drop=3),
        Column("Échéance", 0, 10),
        Column("Prest.", 0, 8, drop=1),
    )
    entity: tuple[str, str] | None = None
    """(id, name) of the entity the list is narrowed to."""

    def rows_args(self) -> tuple[Any, ...]:
        return (self.ctx, self.status, self.entity[0] if self.entity else None)

    def open_record(self, key: str) -> None:
        self.app.push_screen(SignatureDetailScreen(key))

    def menu_actions(self) -> list[MenuAction]:
        return signature_menu()

    def run_menu(self, name: str) -> None:
        if name == "open":
            super().run_menu(name)
            return
        selected = self.record_list.selection()
        if name == "send":
            self.record_list.forget_ticks()
        run_signature_action(self, name, selected, on_done=self.reload)

    def refresh_from_provider(self) -> None:
        """F5: ask the provider what changed (webhooks may have said it already), then read the list again."""
        run_signature_action(self, "fetch", [], on_done=self.reload)

    def action_choose_status(self) -> None:
        choices = [(s.value, f"{s.code + ' — ' if s.code else ''}{s.label}") for s in SignatureStatus]
        self.app.push_screen(ChoiceScreen("Filtrer par statut", choices), self._status_chosen)

    def _status_chosen(self, status: str | None) -> None:
        if status is not None:
            self.show_status(status or None)

    def action_choose_entity(self) -> None:
        self.call_service(signatures.entity_choices, self.ctx, on_result=self._ask_entity, group="choices")

    def _ask_entity(self, choices: list[tuple[str, str]]) -> None:
        def chosen(key: str | None) -> None:
            if key is not None:
                self.entity = next(((k, n) for k, n in choices if k == key), None)
                self.reload()

        self.app.push_screen(ChoiceScreen("Filtrer par entité", choices, everything="(toutes)"), chosen)

    def action_clear_filter(self) -> None:
        if self.entity and not self.status and not self.query_one("#filter", Input).value:
            self.entity = None
            self.reload()
            return
        super().action_clear_filter()

    def _update_status(self) -> None:
        super()._update_status()
        if self.entity:
            status = self.query_one("#status", Static)
            status.update(f"{status.content} · entité : {self.entity[1]} (Échap : toutes)")


class LettersScreen(LetterActions, StatusListScreen):
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

    search: LetterQuery | None = None
    """« Rechercher par dates »: every user's letters of a period, until Escape."""

    def rows_args(self) -> tuple[Any, ...]:
        return (self.ctx, self.status, self.mine)

    def reload(self) -> None:
        q = self.search
        if q is None:
            super().reload()
            return
        self.call_service(letter_tracking.search, self.ctx, q.start, q.end, q.login, self.status or "",
                          on_result=self._loaded, group="list-load", exclusive=True)  # fmt: skip

    def show_status(self, status: str | None, *, mine: bool = False) -> None:
        self.search = None
        super().show_status(status, mine=mine)

    def action_clear_filter(self) -> None:
        if self.search is not None and not self.query_one("#filter", Input).value:
            self.search = None
            self.reload()
            return
        super().action_clear_filter()

    def _update_status(self) -> None:
        super()._update_status()
        if self.search is not None:
            status = self.query_one("#status", Static)
            status.update(f"{status.content} · {self.search.label()} (Échap : tout afficher)")

    def open_record(self, key: str) -> None:
        self.app.push_screen(LetterDetailScreen(key))

    def menu_actions(self) -> list[MenuAction]:
        return letter_menu(self.ctx.readonly)

    def letter_id(self) -> str | None:
        return self.record_list.current_key

    def run_menu(self, name: str) -> None:
        if name == "search":
            self.app.push_screen(LetterSearchScreen(self.ctx.now().date()), self._searched)
        elif not self.run_letter_action(name):
            super().run_menu(name)

    def _searched(self, query: LetterQuery | None) -> None:
        if query is not None:
            self.search = query
            self.reload()
