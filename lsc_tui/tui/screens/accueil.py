"""Accueil (F2): how many files stand in each status; Enter drills into the matching list."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from lsc_tui.services import dashboard, session
from lsc_tui.services.listing import Row, rows_of
from lsc_tui.tui.screens.base import BaseScreen
from lsc_tui.tui.widgets.record_list import Column, RecordList

ALERT = {"error", "declined", "to_valid", "bounced"}


class AccueilScreen(BaseScreen):
    WATCHES = session.HOME
    TITLE_FR = "Accueil"

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="list-body"):
            yield Static("", id="totals", classes="status-line", markup=False)
            yield RecordList(
                [Column("Domaine", 2, 12), Column("Statut", 3, 18), Column("Nombre", 0, 7)],
                tickable=False,
                id="counts",
            )
            yield Static("Entrée : ouvrir la liste de ce statut", classes="status-line", markup=False)

    def on_mount(self) -> None:
        self.query_one(RecordList).focus()

    def reload(self) -> None:
        self.call_service(
            dashboard.counts, self.ctx, on_result=self._show_counts, group="counts", exclusive=True
        )
        self.call_service(
            dashboard.totals, self.ctx, on_result=self._show_totals, group="totals", exclusive=True
        )

    def _show_counts(self, counts: list[dashboard.StatusCount]) -> None:
        rows = [
            Row(
                f"{c.kind}:{c.status}",
                ("Signatures" if c.kind == "signature" else "Lettres recommandées", c.label, str(c.count)),
                "",
                "warning" if c.status in ALERT and c.count else "",
            )
            for c in counts
        ]
        self.query_one(RecordList).set_rows(rows_of(rows))
        self.lsc.accueil_shown()

    def _show_totals(self, totals: dict[str, int]) -> None:
        self.query_one("#totals", Static).update(
            f"{totals['events']} événements · {totals['parties']} tiers · {totals['templates']} modèles"
        )

    @on(RecordList.Opened)
    def _drill(self, message: RecordList.Opened) -> None:
        kind, status = message.key.split(":", 1)
        self.lsc.goto("signatures" if kind == "signature" else "lettres", status=status)
