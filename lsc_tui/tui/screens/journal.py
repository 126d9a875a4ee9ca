"""Journal (X6): who did what, when, on which record. Filters on top (user, action, « du … au … »), `r` keeps the
lines of the record under the cursor, `/` searches the words of every line, Enter opens the line's record
while it exists, `e` exports what is shown to CSV. Reached from Accueil (`j`) or the palette."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Label, Select, Static

from lsc_tui.domain.periods import parse_day
from lsc_tui.services import exports, journal, session
from lsc_tui.services.listing import RowView
from lsc_tui.tui import keys
from lsc_tui.tui.screens.actions import MenuAction
from lsc_tui.tui.screens.event_detail import EventDetailScreen
from lsc_tui.tui.screens.export_path import export_with_dialog
from lsc_tui.tui.screens.letter_detail import LetterDetailScreen
from lsc_tui.tui.screens.list_screen import ListScreen
from lsc_tui.tui.screens.party_form import PartyFormScreen
from lsc_tui.tui.screens.signature_detail import SignatureDetailScreen
from lsc_tui.tui.screens.template_form import TemplateFormScreen
from lsc_tui.tui.text import safe
from lsc_tui.tui.widgets.record_list import Column, RecordList

SCREENS: dict[str, Any] = {
    "parties": PartyFormScreen,
    "templates": TemplateFormScreen,
    "events": EventDetailScreen,
    "signature_requests": SignatureDetailScreen,
    "letters": LetterDetailScreen,
}


class JournalScreen(ListScreen):
    WATCHES = session.AUDIT
    TITLE_FR = "Journal"
    NOUN = "lignes"
    ROWS = staticmethod(journal.rows)
    NAME_CELL = 2
    COLUMNS = (
        Column("Date", 0, 16),
        Column("Util.", 1, 7, drop=2),
        Column("Action", 3, 14),
        Column("Enregistrement", 3, 14, drop=1),
        Column("Détail", 4, 10),
    )
    BINDINGS = [*ListScreen.BINDINGS, *keys.bindings(keys.JOURNAL)]
    DEFAULT_CSS = """
    JournalScreen #journal-bar { height: 1; padding: 0 1; }
    JournalScreen #journal-bar Label { padding: 0 1 0 0; }
    JournalScreen #journal-bar Select { width: 1fr; min-width: 12; margin-right: 1; }
    JournalScreen #journal-bar Input { width: 11; margin-right: 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.flt = journal.JournalFilter()
        self.exported = ""

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="journal-bar"):
            yield Label("Util.")
            yield Select[str]([], prompt="(tous)", id="user", compact=True)
            yield Label("Action")
            yield Select[str]([], prompt="(toutes)", id="action", compact=True)
            yield Label("Du")
            yield Input(id="since", placeholder="JJ/MM/AAAA", restrict=r"[0-9/\-]{0,10}", compact=True)
            yield Label("au")
            yield Input(id="until", placeholder="JJ/MM/AAAA", restrict=r"[0-9/\-]{0,10}", compact=True)
        with Vertical(
            classes="list-body"
        ):  # the list screen's body, without ticks (nothing acts on many lines)
            yield Input(
                placeholder="Chercher… (Entrée : aller à la liste, Échap : effacer)",
                id="filter",
                classes="filter",
            )
            yield RecordList(self.COLUMNS, tickable=False, id="list")
            yield Static("", id="status", classes="status-line", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.call_service(journal.choices, self.ctx, on_result=self._choices, group="journal-choices")

    def _choices(self, found: journal.Choices) -> None:
        # names are user text: shown as typed, never read as markup (a Select reads markup in plain strings)
        users = [(Content(safe(f"{name} ({login})")), login) for login, name in found.users]
        self.query_one("#user", Select).set_options(users)
        self.query_one("#action", Select).set_options(
            [(Content(safe(label)), a) for a, label in found.actions]
        )

    # ---- filters -----------------------------------------------------------------------------------

    def rows_args(self) -> tuple[Any, ...]:
        return (self.ctx, self.flt)

    def _set(self, **changes: Any) -> None:
        flt = replace(self.flt, **changes)
        if flt != self.flt:
            self.flt = flt
            self.reload()

    @on(Select.Changed)
    def _selected(self, event: Select.Changed) -> None:
        value = "" if event.value is Select.NULL else str(event.value)
        if event.select.id in {"user", "action"}:
            self._set(**{event.select.id: value})

    @on(Input.Changed, "#since, #until")
    def _date_typed(self, event: Input.Changed) -> None:
        """Applied once the text is a whole date (JJ/MM/AAAA) or empty; a mistake is said on Enter."""
        text = event.value.strip()
        day, problem = parse_day(text)
        if not text or (len(text) == 10 and not problem):
            self._set(**{str(event.input.id): day})

    @on(Input.Submitted, "#since, #until")
    def _date_done(self, event: Input.Submitted) -> None:
        _day, problem = parse_day(event.value, "Du" if event.input.id == "since" else "Au")
        if problem:
            self.notify_error(problem)
        else:
            self.record_list.focus()

    def _update_status(self) -> None:
        super()._update_status()
        described = self.flt.describe()
        status = self.query_one("#status", Static)
        if described:
            status.update(f"{status.content} · {described} (x : tout effacer)")
        elif not self.all_rows:
            status.update("Journal vide : chaque modification (tiers, modèle, envoi…) y sera inscrite.")
        if self.exported:
            status.update(f"{self.exported} · {status.content}")

    # ---- keys --------------------------------------------------------------------------------------

    def action_filters(self) -> None:
        self.query_one("#user", Select).focus()

    def action_record(self) -> None:
        """Only the lines of the record under the cursor; again: every record."""
        if self.flt.record_id:
            self._set(record_id="")
            return
        key = self.record_list.current_key
        if key is not None:
            self.call_service(
                journal.entry,
                self.ctx,
                key,
                on_result=lambda e: self._set(record_id=e.record_id),
                group="entry",
            )

    def action_reset(self) -> None:
        self.query_one("#user", Select).clear()
        self.query_one("#action", Select).clear()
        self.query_one("#since", Input).value = ""
        self.query_one("#until", Input).value = ""
        self.query_one("#filter", Input).value = ""
        self._set(user="", action="", record_id="", since=None, until=None)

    def action_clear_filter(self) -> None:
        """Escape: from the filters back to the list; then the words, the record, and back to Accueil."""
        bar = self.query_one("#journal-bar")
        if self.focused is not None and bar in self.focused.ancestors:
            self.record_list.focus()
            return
        box = self.query_one("#filter", Input)
        if box.value or box.display:
            super().action_clear_filter()
        elif self.flt.record_id:
            self._set(record_id="")
        else:
            self.lsc.goto("accueil")

    def action_export(self) -> None:
        flt = replace(self.flt, text=self.query_one("#filter", Input).value)
        shown = len(self.shown) if isinstance(self.shown, RowView) else 0
        what = f"{shown} ligne{'s' if shown > 1 else ''} du journal" + (
            f", {flt.describe()}" if flt.describe() else ""
        )
        default = f"~/journal-{self.ctx.now().date().isoformat()}.csv"
        export_with_dialog(
            self,
            "Exporter le journal en CSV",
            what,
            default,
            journal.export_csv,
            self.ctx,
            flt,
            done=self._exported,
        )

    def _exported(self, done: exports.Export) -> None:
        """Where the file went stays at the head of the status line (the notification fades)."""
        self.exported = f"Exporté : {done.rows} lignes dans {done.path}"
        self._update_status()

    def open_record(self, key: str) -> None:
        self.call_service(journal.target, self.ctx, key, on_result=self._open_target, group="open")

    def _open_target(self, found: tuple[str, str]) -> None:
        table, record_id = found
        self.app.push_screen(SCREENS[table](record_id))

    def menu_actions(self) -> list[MenuAction]:
        return [
            MenuAction("o", "Ouvrir l'enregistrement", "open"),
            MenuAction("r", "Filtrer sur cet enregistrement", "record"),
            MenuAction("e", "Exporter en CSV", "export"),
        ]

    def run_menu(self, name: str) -> None:
        if name == "record":
            self.action_record()
        elif name == "export":
            self.action_export()
        else:
            super().run_menu(name)
