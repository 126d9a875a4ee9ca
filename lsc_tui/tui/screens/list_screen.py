"""A list screen as KEYS.md describes it: `/` filters as you type, space ticks, Enter opens, `a` acts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from lsc_tui.services.listing import Row, RowView, filter_rows
from lsc_tui.tui import keys
from lsc_tui.tui.screens.actions import ActionMenu, MenuAction
from lsc_tui.tui.screens.base import BaseScreen
from lsc_tui.tui.text import thousands
from lsc_tui.tui.widgets.record_list import Column, RecordList


class ListScreen(BaseScreen):
    COLUMNS: Sequence[Column] = ()
    NOUN = "lignes"
    ROWS: ClassVar[Callable[..., Sequence[Row]]]
    """The service giving the rows (`staticmethod(events.rows)`), called with `rows_args()`."""
    BINDINGS = keys.bindings(keys.LIST_SCREEN)

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
            yield Static("", id="status", classes="status-line", markup=False)

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self.query_one(RecordList).focus()

    @property
    def record_list(self) -> RecordList:
        return self.query_one(RecordList)

    # ---- loading -----------------------------------------------------------------------------------

    def rows_args(self) -> tuple[Any, ...]:
        return (self.ctx,)

    def reload(self) -> None:
        self.call_service(
            type(self).ROWS, *self.rows_args(), on_result=self._loaded, group="list-load", exclusive=True
        )

    def _loaded(self, rows: Sequence[Row]) -> None:
        self.all_rows = rows
        self.shown = rows
        self._apply_filter()
        if isinstance(rows, RowView):
            # fold the search text now, off the UI thread, so the first keystroke is quick
            self.call_service(rows.prepare, group="list-warm")
            self._await_count(rows, "list-count-all")

    def _apply_filter(self) -> None:
        query = self.query_one("#filter", Input).value
        # narrowing: a longer query filters what the shorter one showed, over the same loaded rows
        shown, loaded = self.shown, self.all_rows
        same = isinstance(shown, RowView) and isinstance(loaded, RowView) and shown.root is loaded.root
        base = shown if same else loaded
        self.shown = filter_rows(base, query)
        if isinstance(shown, RowView) and shown is not self.shown and shown is not loaded:
            shown.cancel_count()  # a database would go on counting a filter nobody looks at any more
        self.record_list.set_rows(self.shown)
        self._update_status()
        self._await_count(self.shown, "list-count")

    def _await_count(self, rows: Sequence[Row], group: str) -> None:
        """A database counts a filter's rows in the background (a million rows: 0.1-0.5 s); the first rows show
        at once, the count follows off the UI thread."""
        if isinstance(rows, RowView) and not rows.count_ready():
            self.call_service(rows.wait_count, on_result=self._counted, group=group, exclusive=True)

    def _counted(self, rows: RowView) -> None:
        self.record_list.counted(rows)
        self._update_status()

    def _update_status(self) -> None:
        ticked = len(self.record_list.ticked)
        shown, total = (_count(rows) for rows in (self.shown, self.all_rows))
        text = f"{shown} / {total} {self.NOUN}"
        if ticked:
            text += f" · {ticked} coché{'s' if ticked > 1 else ''}"
        self.query_one("#status", Static).update(text)

    # ---- keys --------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While typing in the filter, `/` types a slash: the footer does not offer « Filtrer » then."""
        if action == "filter" and self.is_mounted:
            return not self.query_one("#filter", Input).has_focus
        return True

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

    # ---- the `a` menu ------------------------------------------------------------------------------

    def menu_title(self, selected: list[str]) -> str:
        """The menu names what it acts on: the record itself when there is one, else how many."""
        if len(selected) == 1:
            row = self.record_list.row_of(selected[0])
            if row is not None and row.cells[self.NAME_CELL]:
                return row.cells[self.NAME_CELL]
        return f"{len(selected)} {self.NOUN}"

    NAME_CELL: ClassVar[int] = 0
    """The cell that names a record (its title), for the menu's title."""

    def action_actions(self) -> None:
        """`a`: the actions menu on the ticked rows (or the current one)."""
        selected = self.record_list.selection()
        if not selected:
            self.notify(f"Aucune ligne : la liste des {self.NOUN} est vide.", severity="warning")
            return
        self.app.push_screen(ActionMenu(self.menu_title(selected), self.menu_actions()), self._menu_done)

    def _menu_done(self, name: str | None) -> None:
        if name is not None:
            self.run_menu(name)

    def menu_actions(self) -> list[MenuAction]:
        return [MenuAction("o", "Ouvrir", "open")]

    def run_menu(self, name: str) -> None:
        key = self.record_list.current_key
        if name == "open" and key:
            self.open_record(key)


def _count(rows: Sequence[Row]) -> str:
    """How many rows, thousands apart (1 000 021); « … » while a database still counts them."""
    if isinstance(rows, RowView) and not rows.count_ready():
        return "…"
    return thousands(len(rows))
