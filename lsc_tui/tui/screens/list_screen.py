"""A list screen as KEYS.md describes it: `/` filters as you type, space ticks, Enter opens, `a` acts."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from lsc_tui.services.listing import Row, RowView, filter_rows
from lsc_tui.tui.screens.base import BaseScreen
from lsc_tui.tui.widgets.record_list import Column, RecordList


class ListScreen(BaseScreen):
    COLUMNS: Sequence[Column] = ()
    NOUN = "lignes"
    BINDINGS = [
        Binding("slash", "filter", "Filtrer", id="list.filter"),
        Binding("escape", "clear_filter", "Effacer le filtre", show=False, id="list.clear"),
        Binding("a", "actions", "Actions", id="list.actions"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.all_rows: Sequence[Row] = ()
        self.shown: Sequence[Row] = ()

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="list-body"):
            yield Input(
                placeholder="Filtrer… (Entrée : aller à la liste, Échap : effacer)",
                id="filter",
                classes="filter",
            )
            yield RecordList(self.COLUMNS, id="list")
            yield Static("", id="status", classes="status-line")

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self.query_one(RecordList).focus()

    @property
    def record_list(self) -> RecordList:
        return self.query_one(RecordList)

    # ---- loading -----------------------------------------------------------------------------------

    def load_rows(self) -> Sequence[Row]:
        raise NotImplementedError

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="list-load")
    def _load(self) -> None:
        rows = self.load_rows()
        self.app.call_from_thread(self._loaded, rows)
        if isinstance(rows, RowView):
            rows.prepare()  # fold the search text now, off the UI thread, so the first keystroke is quick

    def _loaded(self, rows: Sequence[Row]) -> None:
        self.all_rows = rows
        self.shown = rows
        self._apply_filter()

    def _apply_filter(self) -> None:
        query = self.query_one("#filter", Input).value
        # narrowing: a longer query filters what the shorter one showed, over the same loaded rows
        shown, loaded = self.shown, self.all_rows
        same = isinstance(shown, RowView) and isinstance(loaded, RowView) and shown.root is loaded.root
        base = shown if same else loaded
        self.shown = filter_rows(base, query)
        self.record_list.set_rows(self.shown)
        self._update_status()

    def _update_status(self) -> None:
        ticked = len(self.record_list.ticked)
        text = f"{len(self.shown):,} / {len(self.all_rows):,} {self.NOUN}".replace(",", " ")
        if ticked:
            text += f" · {ticked} coché{'s' if ticked > 1 else ''}"
        self.query_one("#status", Static).update(text)

    # ---- keys --------------------------------------------------------------------------------------

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.value:
            box.value = ""
        else:
            box.display = False
        self.record_list.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._apply_filter()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.record_list.focus()

    @on(RecordList.TicksChanged)
    def _ticks(self) -> None:
        self._update_status()

    @on(RecordList.Opened)
    def _opened(self, message: RecordList.Opened) -> None:
        self.open_record(message.key)

    def open_record(self, key: str) -> None:
        """Enter on a row."""

    def action_actions(self) -> None:
        """`a`: the actions menu on the ticked rows (or the current one)."""
