"""Événements (F7): filter as you type, tick with space, Enter for the detail, `a` for the actions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from lsc_tui.services import events
from lsc_tui.services.listing import Row
from lsc_tui.tui.screens.actions import ActionMenu, MenuAction
from lsc_tui.tui.screens.base import PaletteCommand
from lsc_tui.tui.screens.event_detail import EventDetailScreen
from lsc_tui.tui.screens.list_screen import ListScreen
from lsc_tui.tui.widgets.record_list import Column


class EventsScreen(ListScreen):
    TITLE_FR = "Événements"
    NOUN = "événements"
    COLUMNS = (
        Column("Chrono", 2, 11),
        Column("Date", 2, 10),
        Column("Objet", 6, 20),
        Column("Entité", 4, 12),
        Column("Modèle", 3, 10),
        Column("Tiers", 3, 10),
        Column("État", 2, 10),
    )

    def load_rows(self) -> Sequence[Row]:
        return events.rows(self.lsc.ctx)

    def open_record(self, key: str) -> None:
        self.app.push_screen(EventDetailScreen(key))

    def action_actions(self) -> None:
        selected = self.record_list.selection()
        if not selected:
            self.notify("Aucun événement sélectionné.", severity="warning")
            return
        later = "arrive avec le module signatures / AR24"
        menu = [
            MenuAction("s", "Expédier vers la signature électronique", "sign", False, later),
            MenuAction("r", "Envoyer en AR", "registered", False, later),
            MenuAction("o", "Ouvrir le détail", "open"),
        ]
        self.app.push_screen(ActionMenu(f"{len(selected)} événement(s)", menu), self._menu_done)

    def _menu_done(self, name: str | None) -> None:
        if name == "open" and self.record_list.current_key:
            self.open_record(self.record_list.current_key)

    def palette_commands(self) -> Iterable[PaletteCommand]:
        return [
            PaletteCommand("Événements : filtrer", "/ — filtrer la liste", self.action_filter),
            PaletteCommand("Événements : actions sur la sélection", "a", self.action_actions),
            PaletteCommand("Événements : tout cocher", "ctrl+a", self.record_list.action_toggle_all),
        ]
