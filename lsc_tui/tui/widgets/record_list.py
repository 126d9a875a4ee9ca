"""A list that renders only the rows on screen (Line API), with a cursor and ticks.

Textual's DataTable measures every cell on load: 13–17 s frozen at 100k rows (TEXTUAL.md §3.4). Here a
row costs nothing until it scrolls into view, so first paint and a filter keystroke stay flat with size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from lsc_tui.services.listing import Row, RowView


@dataclass(frozen=True)
class Column:
    title: str
    weight: int = 1
    min_width: int = 6


class RecordList(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("up", "move(-1)", "Haut", show=False, id="list.up"),
        Binding("down", "move(1)", "Bas", show=False, id="list.down"),
        Binding("pageup", "page(-1)", "Page préc.", show=False, id="list.pageup"),
        Binding("pagedown", "page(1)", "Page suiv.", show=False, id="list.pagedown"),
        Binding("home", "edge(0)", "Début", show=False, id="list.home"),
        Binding("end", "edge(1)", "Fin", show=False, id="list.end"),
        Binding("space", "toggle", "Cocher", id="list.tick"),
        Binding("ctrl+a", "toggle_all", "Tout cocher", id="list.tick_all"),
        Binding("enter", "open", "Ouvrir", id="list.open"),
    ]
    COMPONENT_CLASSES = {
        "record-list--header",
        "record-list--cursor",
        "record-list--ticked",
        "record-list--warning",
    }
    DEFAULT_CSS = """
    RecordList { height: 1fr; }
    RecordList > .record-list--header { text-style: bold; background: $panel; }
    RecordList > .record-list--cursor { background: $accent 40%; }
    RecordList:focus > .record-list--cursor { background: $accent; color: $text; }
    RecordList > .record-list--ticked { color: $success; text-style: bold; }
    RecordList > .record-list--warning { color: $warning; }
    """

    cursor: reactive[int] = reactive(0, always_update=True)

    class Opened(Message):
        def __init__(self, record_list: RecordList, key: str) -> None:
            super().__init__()
            self.record_list = record_list
            self.key = key

        @property
        def control(self) -> RecordList:
            """Lets handlers target one list: `@on(RecordList.Opened, "#placements")`."""
            return self.record_list

    class TicksChanged(Message):
        def __init__(self, record_list: RecordList, count: int) -> None:
            super().__init__()
            self.record_list = record_list
            self.count = count

        @property
        def control(self) -> RecordList:
            return self.record_list

    def __init__(self, columns: Sequence[Column], *, tickable: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns = tuple(columns)
        self.tickable = tickable
        self.rows: Sequence[Row] = ()
        self.ticked: dict[str, None] = {}  # insertion-ordered: the selection keeps the order of ticking
        self._widths: list[int] = []

    # ---- data ------------------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Row], *, keep_key: str | None = None) -> None:
        """Show `rows` (a lazy view is fine: only visible rows are built). Ticks survive a filter, so a
        selection can be built over several searches; the cursor stays on `keep_key` if it is shown."""
        current = keep_key if keep_key is not None else self.current_key
        self.rows = rows
        self.virtual_size = Size(self.size.width, len(rows) + 1)
        index = 0
        if current is not None:
            found = rows.index_of(current) if isinstance(rows, RowView) else _position(rows, current)
            index = found or 0
        self.cursor = min(index, max(0, len(rows) - 1))
        self.refresh()

    def forget_ticks(self, keys: set[str] | None = None) -> None:
        """Untick everything (after an action), or only `keys` (records that no longer exist)."""
        if keys is None:
            self.ticked.clear()
        else:
            for key in keys:
                self.ticked.pop(key, None)
        self.post_message(self.TicksChanged(self, len(self.ticked)))
        self.refresh()

    @property
    def current_key(self) -> str | None:
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor].key
        return None

    def selection(self) -> list[str]:
        """Ticked keys in the order they were ticked, or the current row when nothing is ticked (KEYS.md `a`)."""
        if self.ticked:
            return list(self.ticked)
        key = self.current_key
        return [key] if key else []

    # ---- rendering -------------------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._widths = []
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)

    def _column_widths(self, width: int) -> list[int]:
        if self._widths and sum(self._widths) + len(self._widths) + 4 <= width + 1:
            return self._widths
        usable = max(10, width - 4 - len(self.columns))
        total = sum(c.weight for c in self.columns)
        widths = [max(c.min_width, usable * c.weight // total) for c in self.columns]
        self._widths = widths
        return widths

    def _line(self, prefix: str, cells: Sequence[str], width: int) -> str:
        widths = self._column_widths(width)
        parts = [set_cell_size(cell, w) for cell, w in zip(cells, widths, strict=False)]
        text = prefix + " ".join(parts)
        return set_cell_size(text, width) if cell_len(text) != width else text

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            style = self.get_component_rich_style("record-list--header")
            return Strip([Segment(self._line("    ", [c.title for c in self.columns], width), style)])
        index = int(self.scroll_offset.y) + y - 1
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        row = self.rows[index]
        ticked = row.key in self.ticked
        prefix = ("[x] " if ticked else "[ ] ") if self.tickable else "  "
        style: Style = self.rich_style
        if row.style == "warning":
            style = style + self.get_component_rich_style("record-list--warning")
        if ticked:
            style = style + self.get_component_rich_style("record-list--ticked")
        if index == self.cursor:
            style = style + self.get_component_rich_style("record-list--cursor")
        return Strip([Segment(self._line(prefix, row.cells, width), style)])

    # ---- cursor ----------------------------------------------------------------------------------------

    @property
    def _page(self) -> int:
        return max(1, self.size.height - 2)

    def watch_cursor(self, value: int) -> None:
        top = int(self.scroll_offset.y)
        visible = max(1, self.size.height - 1)
        if value < top:
            self.scroll_to(y=value, animate=False, immediate=True)
        elif value >= top + visible:
            self.scroll_to(y=value - visible + 1, animate=False, immediate=True)
        self.refresh()

    def action_move(self, delta: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * self._page)

    def action_edge(self, end: int) -> None:
        if self.rows:
            self.cursor = len(self.rows) - 1 if end else 0

    def action_toggle(self) -> None:
        key = self.current_key
        if not self.tickable or key is None:
            return
        if key in self.ticked:
            del self.ticked[key]
        else:
            self.ticked[key] = None
        self.post_message(self.TicksChanged(self, len(self.ticked)))
        self.action_move(1)
        self.refresh()

    def action_toggle_all(self) -> None:
        if not self.tickable:
            return
        shown = self.rows.keys() if isinstance(self.rows, RowView) else [r.key for r in self.rows]
        if shown and all(k in self.ticked for k in shown):
            for k in shown:
                del self.ticked[k]
        else:
            self.ticked.update(dict.fromkeys(shown))
        self.post_message(self.TicksChanged(self, len(self.ticked)))
        self.refresh()

    def action_open(self) -> None:
        key = self.current_key
        if key is not None:
            self.post_message(self.Opened(self, key))


def _position(rows: Sequence[Row], key: str) -> int | None:
    for i, r in enumerate(rows):
        if r.key == key:
            return i
    return None
