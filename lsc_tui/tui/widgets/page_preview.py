"""A PDF page drawn in character cells: the page's text at scale, the box being placed over it.

The widget only draws what the placement screen computed (text rows and boxes in cells); it knows nothing
of PDFs, so it can be resized freely: it says so, and the screen recomputes the grid for the new size.
"""

from __future__ import annotations

from typing import Protocol

from rich.text import Text
from textual.message import Message
from textual.widget import Widget


class Cells(Protocol):
    """A rectangle of cells: top-left (col, row) and size (the services' CellBox is one)."""

    @property
    def col(self) -> int: ...
    @property
    def row(self) -> int: ...
    @property
    def cols(self) -> int: ...
    @property
    def rows(self) -> int: ...


class PagePreview(Widget):
    COMPONENT_CLASSES = {"page-preview--box", "page-preview--other"}
    DEFAULT_CSS = """
    PagePreview { border: round $primary; padding: 0; }
    PagePreview > .page-preview--box { background: $warning; color: $background; text-style: bold; }
    PagePreview > .page-preview--other { background: $panel; color: $text-muted; }
    """

    class Resized(Message):
        """The grid size changed: the owner recomputes the rows and boxes for `cols` × `rows`."""

        def __init__(self, cols: int, rows: int) -> None:
            super().__init__()
            self.cols = cols
            self.rows = rows

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: list[str] = []
        self.box: Cells | None = None
        self.others: list[Cells] = []

    @property
    def grid_size(self) -> tuple[int, int]:
        """(cols, rows) available for the page, borders excluded."""
        size = self.content_size
        return max(1, size.width), max(1, size.height)

    def show(self, lines: list[str], box: Cells | None, others: list[Cells] | None = None) -> None:
        self.lines = lines
        self.box = box
        self.others = others or []
        self.refresh()

    def on_resize(self) -> None:
        cols, rows = self.grid_size
        self.post_message(self.Resized(cols, rows))

    def render(self) -> Text:
        cols, rows = self.grid_size
        box_style = self.get_component_rich_style("page-preview--box")
        other_style = self.get_component_rich_style("page-preview--other")
        grid = [list((self.lines[r] if r < len(self.lines) else "").ljust(cols)[:cols]) for r in range(rows)]
        if self.box is not None:
            _outline(grid, self.box)
        out = Text(no_wrap=True, overflow="crop")
        for r, chars in enumerate(grid):
            line = Text("".join(chars))
            for cells, style in [(o, other_style) for o in self.others] + [(self.box, box_style)]:
                if cells is not None and cells.row <= r < cells.row + cells.rows:
                    line.stylize(style, cells.col, cells.col + cells.cols)
            out.append_text(line)
            if r < rows - 1:
                out.append("\n")
        return out


def _outline(grid: list[list[str]], box: Cells) -> None:
    """Mark the box's edges with characters, so that it shows without colour (16-colour consoles, captures):
    [ ] on a one-row box, corners and sides on a taller one; the text inside stays readable."""
    rows, cols = len(grid), len(grid[0]) if grid else 0
    left, right = box.col, box.col + box.cols - 1
    top, bottom = box.row, box.row + box.rows - 1
    if not (0 <= left <= right < cols and 0 <= top <= bottom < rows) or box.cols < 2:
        return
    if top == bottom:
        grid[top][left], grid[top][right] = "[", "]"
        return
    grid[top][left], grid[top][right] = "┌", "┐"
    grid[bottom][left], grid[bottom][right] = "└", "┘"
    for r in range(top + 1, bottom):
        grid[r][left] = grid[r][right] = "│"
