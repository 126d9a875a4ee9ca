"""« Rapport des envois » (O3): every invitation, reminder and confirmation sent to signers — to whom, when,
through which provider, and what the provider reported (nothing reads « Envoyé » unless it said so). The line
under the list explains the message under the cursor; `t` keeps one outcome (« Échec », « Non confirmé »…),
Enter opens the signature file, `e` exports what is shown. Reached from Accueil (`r`), the palette, and a
fiche's `a` menu (its own messages only)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from lsc_tui.domain.deliveries import OUTCOME_LABELS
from lsc_tui.services import deliveries, session
from lsc_tui.tui import keys
from lsc_tui.tui.screens.actions import MenuAction
from lsc_tui.tui.screens.choice import ChoiceScreen
from lsc_tui.tui.screens.export_path import export_with_dialog
from lsc_tui.tui.screens.list_screen import ListScreen
from lsc_tui.tui.widgets.record_list import Column, RecordList


class SendReportScreen(ListScreen):
    WATCHES = session.DELIVERIES | session.SIGNATURES
    TITLE_FR = "Rapport des envois"
    NOUN = "messages"
    ROWS = staticmethod(deliveries.rows)
    NAME_CELL = 2
    COLUMNS = (
        Column("Demandé le", 0, 16),
        Column("Type", 0, 12),
        Column("Destinataire", 5, 16),
        Column("Prest.", 0, 7, drop=2),
        Column("Résultat", 0, 12),
        Column("Fiche signature", 4, 12, drop=1),
    )
    BINDINGS = [*ListScreen.BINDINGS, *keys.bindings(keys.SEND_REPORT)]
    DEFAULT_CSS = """
    SendReportScreen #send-detail { height: 2; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, request_id: str | None = None, title: str = "") -> None:
        """`request_id`: only the messages of that signature file (from its fiche)."""
        super().__init__()
        self.request_id = request_id
        self.request_title = title
        self.outcome: str | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="list-body"):
            yield Input(placeholder="Filtrer… (Entrée : aller à la liste, Échap : effacer)", id="filter",
                        classes="filter")  # fmt: skip
            yield RecordList(self.COLUMNS, tickable=False, id="list")
            yield Static("", id="send-detail", markup=False)
            yield Static("", id="status", classes="status-line", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.watch(self.record_list, "cursor", self._explain, init=False)

    def rows_args(self) -> tuple[Any, ...]:
        return (self.ctx, self.outcome, self.request_id)

    def _loaded(self, rows: Any) -> None:
        super()._loaded(rows)
        self._explain()

    def _explain(self, _cursor: int = 0) -> None:
        key = self.record_list.current_key
        detail = self.query_one("#send-detail", Static)
        if key is None:
            detail.update("Aucun message : les invitations s'inscrivent ici à l'envoi des fiches.")
            return
        self.call_service(deliveries.get, self.ctx, key, on_result=lambda d: detail.update(deliveries.explain(d)),
                          group="send-detail", exclusive=True)  # fmt: skip

    def _update_status(self) -> None:
        super()._update_status()
        status = self.query_one("#status", Static)
        text = str(status.content)
        if self.outcome:
            text += f" · {OUTCOME_LABELS[self.outcome]} seulement (Échap : tous)"
        if self.request_id:
            text += f" · fiche « {self.request_title} »"
        status.update(text + " · Entrée : la fiche")

    # ---- keys ----------------------------------------------------------------------------------------

    def open_record(self, key: str) -> None:
        from lsc_tui.tui.screens.signature_detail import SignatureDetailScreen

        self.call_service(deliveries.get, self.ctx, key,
                          on_result=lambda d: self.app.push_screen(SignatureDetailScreen(d.request_id)), group="open")  # fmt: skip

    def action_choose_outcome(self) -> None:
        choices = list(OUTCOME_LABELS.items())

        def chosen(value: str | None) -> None:
            if value is not None:
                self.outcome = value or None
                self.reload()

        self.app.push_screen(ChoiceScreen("Filtrer par résultat", choices), chosen)

    def action_clear_filter(self) -> None:
        if self.outcome and not self.query_one("#filter", Input).value:
            self.outcome = None
            self.reload()
            return
        super().action_clear_filter()

    def action_export(self) -> None:
        what = f"{len(self.shown)} message(s)" + (f", {OUTCOME_LABELS[self.outcome]}" if self.outcome else "")
        export_with_dialog(self, "Exporter le rapport des envois", what, "~/rapport-des-envois.csv",
                           deliveries.export_csv, self.ctx, self.outcome, self.request_id)  # fmt: skip

    def menu_actions(self) -> list[MenuAction]:
        return [
            MenuAction("o", "Ouvrir la fiche signature", "open"),
            MenuAction("t", "Filtrer par résultat", "outcome"),
            MenuAction("e", "Exporter en CSV", "export"),
        ]

    def run_menu(self, name: str) -> None:
        if name == "outcome":
            self.action_choose_outcome()
        elif name == "export":
            self.action_export()
        else:
            super().run_menu(name)
