"""« Suivi des signatures et lettres » of one party (O2): every signature file they sign and every letter sent
to them, newest first; Enter opens the record, Escape goes back to where the user came from."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from lsc_tui.services import history, session
from lsc_tui.services.errors import ServiceError
from lsc_tui.services.listing import Row, rows_of
from lsc_tui.tui import keys
from lsc_tui.tui.screens.base import BaseScreen
from lsc_tui.tui.text import markup
from lsc_tui.tui.widgets.record_list import Column, RecordList

KINDS = {"signature": "Signature", "letter": "Lettre", "document": "Document"}


class PartyHistoryScreen(BaseScreen):
    WATCHES = session.SIGNATURES | session.LETTERS | session.PARTIES | session.PARTY_DOCUMENTS
    TITLE_FR = "Suivi du tiers"
    BINDINGS = keys.bindings(keys.HISTORY)

    def __init__(self, party_id: str) -> None:
        super().__init__()
        self.party_id = party_id

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="list-body"):
            yield Static("Lecture…", id="history-title", classes="status-line")
            yield RecordList(
                [
                    Column("Date", 0, 10),
                    Column("Type", 0, 9),
                    Column("Statut", 1, 12),
                    Column("Objet", 6, 14),
                    Column("Rôle / envoi", 3, 12, drop=1),
                ],
                tickable=False,
                id="history",
            )
            yield Static("", id="status", classes="status-line", markup=False)

    def on_mount(self) -> None:
        self.query_one(RecordList).focus()

    def reload(self) -> None:
        self.call_service(
            history.of_party,
            self.ctx,
            self.party_id,
            on_result=self._show,
            on_error=self._unreadable,
            group="history",
            exclusive=True,
        )

    def _unreadable(self, error: ServiceError) -> None:
        self.notify_error(error.message)
        self.dismiss()

    def _show(self, found: history.PartyHistory) -> None:
        self.query_one("#history-title", Static).update(
            markup("Signatures et lettres de [b]$name[/b]", name=found.party.display_name)
        )
        rows = [
            Row(
                e.key,
                (e.date[:10], KINDS[e.kind], e.status, e.title, e.detail),
                "",
                "warning" if e.alert else "",
            )
            for e in found.entries
        ]
        self.query_one(RecordList).set_rows(rows_of(rows))
        signatures = sum(1 for e in found.entries if e.kind == "signature")
        letters = sum(1 for e in found.entries if e.kind == "letter")
        documents = len(found.entries) - signatures - letters
        text = f"{signatures} fiche{'s' if signatures > 1 else ''} signature · {letters} lettre"
        text += "s" if letters > 1 else ""
        if documents:
            text += (
                f" · {documents} document{'s' if documents > 1 else ''} classé{'s' if documents > 1 else ''}"
            )
        if found.truncated:
            text += f" · les {history.LIMIT} plus récentes de chaque sorte"
        if not found.entries:
            text = "Aucune fiche signature ni lettre recommandée pour ce tiers."
        self.query_one("#status", Static).update(text + " · Entrée : ouvrir · Échap : retour")

    @on(RecordList.Opened)
    def _open(self, message: RecordList.Opened) -> None:
        kind, record_id = message.key.split(":", 1)
        # the details open a party's form, which opens this history: imported when used, not at import
        from lsc_tui.tui.screens.letter_detail import LetterDetailScreen
        from lsc_tui.tui.screens.signature_detail import SignatureDetailScreen

        if kind == "document":  # a dossier de preuve: the signature file it proves
            self.app.push_screen(SignatureDetailScreen(record_id.split("/", 1)[0]))
            return
        self.app.push_screen(
            SignatureDetailScreen(record_id) if kind == "signature" else LetterDetailScreen(record_id)
        )
