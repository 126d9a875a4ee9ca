"""A page drawn on a character grid, for the placement tool (T6) that runs in a terminal.

The terminal cannot show the PDF, but it can show where its text is: the extracted runs are laid on a grid at
scale so that the user sees the paragraphs and the signature line, and moves a box over them with the keys.
Everything is pure (bytes in, strings and numbers out) so that the widget only draws, and the tests need no
terminal. Coordinates are in points from the top-left of the displayed page, like StampBox and YouSign.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Protocol

from lsc_tui.documents.pdf import DocumentError, page_geometry, read_pdf, user_to_display


@dataclass(frozen=True)
class TextRun:
    """A piece of text; `y_pt_top_left` is its baseline, measured from the top of the displayed page."""

    x_pt: float
    y_pt_top_left: float
    text: str
    size_pt: float = 0.0


@dataclass(frozen=True)
class PageLayout:
    width_pt: float
    height_pt: float
    lines: list[TextRun]


@dataclass(frozen=True)
class CellBox:
    """A box in grid cells: top-left cell (col, row) and its size in cells."""

    col: int
    row: int
    cols: int
    rows: int


class PointBox(Protocol):
    """Anything with a position and size in points, top-left origin (StampBox, a placement row…)."""

    @property
    def x(self) -> float: ...
    @property
    def y(self) -> float: ...
    @property
    def width(self) -> float: ...
    @property
    def height(self) -> float: ...


def _multiply(m: list[float], n: list[float]) -> list[float]:
    """m × n for PDF matrices [a b c d e f]."""
    return [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]


def page_layout(data: bytes, page: int, name: str = "document.pdf") -> PageLayout:
    """Positioned text of one page (1-based). Text that does not read left to right on screen — a diagonal
    watermark, a vertical margin note — is left out: it cannot be drawn on a character grid."""
    reader = read_pdf(data, name)
    if not 1 <= page <= len(reader.pages):
        raise DocumentError(f"« {name} » n'a pas de page {page} (il en a {len(reader.pages)}).")
    pdf_page = reader.pages[page - 1]
    geometry = page_geometry(pdf_page)
    runs: list[TextRun] = []

    def visit(text: str, cm: Any, tm: Any, font_dict: Any, font_size: Any) -> None:
        cleaned = " ".join(text.split())
        if not cleaned:
            return
        matrix = _multiply([float(v) for v in tm], [float(v) for v in cm])
        angle = math.degrees(math.atan2(matrix[1], matrix[0]))
        if abs((angle - geometry.rotation + 180) % 360 - 180) > 1:
            return
        x, y = user_to_display(geometry, matrix[4], matrix[5])
        size = float(font_size or 0) * math.hypot(matrix[0], matrix[1])
        runs.append(TextRun(round(x, 2), round(y, 2), cleaned, round(size, 2)))

    pdf_page.extract_text(visitor_text=visit)
    runs.sort(key=lambda r: (r.y_pt_top_left, r.x_pt))
    return PageLayout(round(geometry.display_width, 2), round(geometry.display_height, 2), runs)


def _cell_size(layout: PageLayout, cols: int, rows: int) -> tuple[float, float]:
    if cols < 1 or rows < 1:
        raise ValueError("the grid needs at least one column and one row")
    return layout.width_pt / cols, layout.height_pt / rows


def render_grid(layout: PageLayout, cols: int, rows: int) -> list[str]:
    """`rows` strings of `cols` characters.

    A run goes on the row holding the middle of its lowercase letters (baseline minus a third of the size)
    and starts at its scaled x. It is cut where the next run on that row starts (one blank kept) or at the
    edge: a cell is wider than a letter, so text would otherwise run over its neighbours. When two lines fall
    on one row the upper one wins: positions stay at scale, which is what placing a box needs."""
    cell_w, cell_h = _cell_size(layout, cols, rows)
    placed: dict[int, list[tuple[int, str]]] = {}
    for run in layout.lines:
        row = min(rows - 1, max(0, math.floor((run.y_pt_top_left - run.size_pt * 0.35) / cell_h)))
        col = min(cols - 1, max(0, round(run.x_pt / cell_w)))
        placed.setdefault(row, []).append((col, run.text))
    grid = [[" "] * cols for _ in range(rows)]
    for row, items in placed.items():
        items.sort(key=lambda item: item[0])
        line = grid[row]
        for index, (col, text) in enumerate(items):
            if line[col] != " ":
                continue  # two runs on one cell: the first (upper, then leftmost) wins
            limit = next((other - 1 for other, _ in items[index + 1 :] if other > col), cols)
            for offset, char in enumerate(text[: max(0, limit - col)]):
                line[col + offset] = char
    return ["".join(line) for line in grid]


def box_to_cells(layout: PageLayout, box: PointBox, cols: int, rows: int) -> CellBox:
    """The cells covering a box, at least one cell each way, kept inside the grid."""
    cell_w, cell_h = _cell_size(layout, cols, rows)
    width = min(cols, max(1, round(box.width / cell_w)))
    height = min(rows, max(1, round(box.height / cell_h)))
    col = min(cols - width, max(0, round(box.x / cell_w)))
    row = min(rows - height, max(0, round(box.y / cell_h)))
    return CellBox(col, row, width, height)


def cells_to_points(
    layout: PageLayout, cells: CellBox, cols: int, rows: int
) -> tuple[float, float, float, float]:
    """(x, y, width, height) in points, top-left origin, of a box moved on the grid: what a placement row
    stores. Exact inverse of `box_to_cells` for boxes on cell boundaries."""
    cell_w, cell_h = _cell_size(layout, cols, rows)
    return (
        round(cells.col * cell_w, 2),
        round(cells.row * cell_h, 2),
        round(cells.cols * cell_w, 2),
        round(cells.rows * cell_h, 2),
    )
