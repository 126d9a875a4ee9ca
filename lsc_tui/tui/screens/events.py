"""Événements (F7): filter as you type, tick with space, Enter for the detail, `a` for the actions."""

from __future__ import annotations

from lsc_tui.services import events, session
from lsc_tui.tui.screens.actions import MenuAction
from lsc_tui.tui.screens.event_detail import EventDetailScreen
from lsc_tui.tui.screens.list_screen import ListScreen
from lsc_tui.tui.screens.signature_flow import SendFlow
from lsc_tui.tui.widgets.record_list import Column

LATER_AR24 = "arrive avec le module AR24"


class EventsScreen(ListScreen):
    WATCHES = session.EVENTS
    TITLE_FR = "Événements"
    NOUN = "événements"
    ROWS = staticmethod(events.rows)
    NAME_CELL = 2
    COLUMNS = (
        Column("Chrono", 0, 11),
        Column("Date", 0, 10, drop=3),
        Column("Objet", 6, 14),
        Column("Entité", 4, 10, drop=2),
        Column("Modèle", 3, 10, drop=1),
        Column("Tiers", 3, 10),
        Column("État", 0, 13),
    )

    def open_record(self, key: str) -> None:
        self.app.push_screen(EventDetailScreen(key))

    def menu_actions(self) -> list[MenuAction]:
        return [
            MenuAction("s", "Expédier vers la signature électronique", "sign"),
            MenuAction("r", "Envoyer en AR", "registered", False, LATER_AR24),
            MenuAction("o", "Ouvrir le détail", "open"),
        ]

    def run_menu(self, name: str) -> None:
        if name == "sign":
            selected = self.record_list.selection()
            self.record_list.forget_ticks()
            SendFlow(self, on_done=self.reload).expedite(selected)
            return
        super().run_menu(name)
