"""A list that renders only the rows on screen (Line API), with a cursor and ticks.

Textual's DataTable measures every cell on load: 13–17 s frozen at 100k rows (TEXTUAL.md §3.4). Here a
row costs nothing until it scrolls into view, so first paint and a filter keystroke stay flat with size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from lsc_tui.services.listing import Row, RowView
from lsc_tui.tui import keys
from lsc_tui.tui.text import safe


@dataclass(frozen=True)
class Column:
    title: str
    weight: int = 1
    """Share of the space left once every shown column has its `min_width`."""
    min_width: int = 6
    drop: int = 0
    """0: always shown (a column needed to act, like a status). Otherwise the column goes when the terminal
    is too narrow for every `min_width`: drop 1 first, then 2…"""


def column_widths(columns: Sequence[Column], width: int) -> list[int]:
    """Width of each column in `width` cells (one space between columns); 0 for a dropped column."""
    shown = list(range(len(columns)))
    droppable = sorted((c.drop, i) for i, c in enumerate(columns) if c.drop)

    def needed(idx: list[int]) -> int:
        return sum(columns[i].min_width for i in idx) + max(0, len(idx) - 1)

    while needed(shown) > width and droppable:
        shown.remove(droppable.pop(0)[1])
    widths = [0] * len(columns)
    extra = max(0, width - needed(shown))
    total = sum(columns[i].weight for i in shown) or 1
    for i in shown:
        widths[i] = columns[i].min_width + extra * columns[i].weight // total
    if shown and extra:
        widest = max(shown, key=lambda i: columns[i].weight)
        widths[widest] += width - needed(shown) - sum(widths[i] - columns[i].min_width for i in shown)
    return widths


@lru_cache(maxsize=8192)
def _fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells, cut with an ellipsis when longer. Cached: a list repeats its statuses,
    kinds and subjects on every line and every frame, and measuring accented text is rich's slow path."""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…" if width > 1 else set_cell_size(text, width)
    return set_cell_size(text, width)


_STYLED = ("header", "warning", "ticked", "cursor")


class _Styles(NamedTuple):
    """The list's styles for one frame: the widget's, then its `_STYLED` components'."""

    base: Style
    header: Style
    warning: Style
    ticked: Style
    cursor: Style


class RecordList(ScrollView, can_focus=True):
    BINDINGS = keys.bindings(keys.RECORD_LIST)
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
        self.count = 0
        """Rows the list can show: `len(rows)`, or while a database still counts them, those of the first
        window (`RowView.count_now`); `counted` sets the full count when it arrives."""
        self.ticked: dict[str, None] = {}  # insertion-ordered: the selection keeps the order of ticking
        self._widths: tuple[int, list[int]] = (-1, [])
        self._styles: _Styles | None = None

    # ---- data ------------------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Row], *, keep_key: str | None = None) -> None:
        """Show `rows` (a lazy view is fine: only visible rows are built). Ticks survive a filter, so a
        selection can be built over several searches; the cursor stays on `keep_key` if it is shown."""
        current = keep_key if keep_key is not None else self.current_key
        self.rows = rows
        self.count = rows.count_now() if isinstance(rows, RowView) else len(rows)
        self.virtual_size = Size(self.size.width, self.count + 1)
        index = 0
        if current is not None:
            found = rows.index_of(current) if isinstance(rows, RowView) else _position(rows, current)
            index = found or 0
        self.cursor = min(index, max(0, self.count - 1))
        self.refresh()

    def counted(self, rows: Sequence[Row]) -> None:
        """The full count of `rows` is known: the list scrolls to its end (nothing if other rows are shown)."""
        if rows is self.rows:
            self.count = len(rows)
            self.virtual_size = Size(self.size.width, self.count + 1)
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
        if 0 <= self.cursor < self.count:
            return self.rows[self.cursor].key
        return None

    def row_of(self, key: str) -> Row | None:
        rows = self.rows
        index = rows.index_of(key) if isinstance(rows, RowView) else _position(rows, key)
        return rows[index] if index is not None else None

    def selection(self) -> list[str]:
        """Ticked keys in the order they were ticked, or the current row when nothing is ticked (KEYS.md `a`)."""
        if self.ticked:
            return list(self.ticked)
        key = self.current_key
        return [key] if key else []

    # ---- rendering -------------------------------------------------------------------------------------

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.count + 1)

    @property
    def _prefix(self) -> int:
        return 4 if self.tickable else 2

    def _column_widths(self, width: int) -> list[int]:
        if self._widths[0] != width:
            self._widths = (width, column_widths(self.columns, width - self._prefix))
        return self._widths[1]

    def shown_columns(self) -> list[str]:
        """Titles of the columns the current width shows (the others were dropped, `Column.drop`)."""
        widths = self._column_widths(self.scrollable_content_region.width)
        return [c.title for c, w in zip(self.columns, widths, strict=True) if w]

    def _line(self, prefix: str, cells: Sequence[str], width: int) -> str:
        widths = self._column_widths(width)
        parts = [_fit(safe(cell), w) for cell, w in zip(cells, widths, strict=False) if w]
        text = prefix + " ".join(parts)
        return set_cell_size(text, width) if cell_len(text) != width else text

    def render_lines(self, crop: Region) -> list[Strip]:
        self._styles = None  # read once for all the lines of this frame (each read walks the DOM)
        return super().render_lines(crop)

    def _frame_styles(self) -> _Styles:
        if self._styles is None:
            self._styles = _Styles(
                self.rich_style,
                *(self.get_component_rich_style(f"record-list--{n}") for n in _STYLED),
            )
        return self._styles

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        styles = self._frame_styles()
        if y == 0:
            return Strip(
                [
                    Segment(
                        self._line(" " * self._prefix, [c.title for c in self.columns], width), styles.header
                    )
                ]
            )
        index = int(self.scroll_offset.y) + y - 1
        if index >= self.count:
            return Strip.blank(width, styles.base)
        row = self.rows[index]
        ticked = row.key in self.ticked
        prefix = ("[x] " if ticked else "[ ] ") if self.tickable else "  "
        style: Style = styles.base
        if row.style == "warning":
            style = style + styles.warning
        if ticked:
            style = style + styles.ticked
        if index == self.cursor:
            style = style + styles.cursor
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No « Cocher » in the footer of a list that cannot tick: a shown key always does something."""
        return self.tickable or action not in {"toggle", "toggle_all"}

    def action_move(self, delta: int) -> None:
        if self.count:
            self.cursor = max(0, min(self.count - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * self._page)

    def action_edge(self, end: int) -> None:
        if self.count:
            self.cursor = self.count - 1 if end else 0

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
