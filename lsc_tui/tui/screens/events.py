"""Événements (F7): filter as you type, tick with space, Enter for the detail, `a` for the actions."""

from __future__ import annotations

from lsc_tui.services import events, letter_plan, session
from lsc_tui.tui.screens.actions import MenuAction
from lsc_tui.tui.screens.event_detail import EventDetailScreen
from lsc_tui.tui.screens.letter_sending import LetterSendingScreen
from lsc_tui.tui.screens.list_screen import ListScreen
from lsc_tui.tui.screens.signature_flow import SendFlow
from lsc_tui.tui.widgets.record_list import Column


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

    def run_menu(self, name: str) -> None:
        if name == "sign":  # « Expédier vers la signature électronique » (S1): pre-flight, recap, send
            selected = self.record_list.selection()
            self.record_list.forget_ticks()
            SendFlow(self, on_done=self.reload).expedite(selected)
            return
        if name == "registered":  # « Envoyer en AR » (L3): the validation screen on the ticked events
            ids = self.record_list.selection()
            self.call_service(
                letter_plan.build_plan, self.ctx, ids,
                on_result=lambda plan: self.app.push_screen(LetterSendingScreen(ids, plan)), group="plan",
            )  # fmt: skip
            return
        super().run_menu(name)

    def menu_actions(self) -> list[MenuAction]:
        return [
            MenuAction(
                "s", "Expédier vers la signature électronique", "sign", not self.ctx.readonly, "lecture seule"
            ),
            MenuAction("r", "Envoyer en AR", "registered", not self.ctx.readonly, "lecture seule"),
            MenuAction("o", "Ouvrir le détail", "open"),
        ]
