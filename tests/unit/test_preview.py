"""The character-grid preview of a page, and the conversions a placement widget needs."""

from __future__ import annotations

import dataclasses

import pytest

from lsc_tui.documents.pdf import DocumentError, StampBox
from lsc_tui.documents.preview import (
    CellBox,
    PageLayout,
    TextRun,
    box_to_cells,
    cells_to_points,
    page_layout,
    render_grid,
)
from lsc_tui.documents.render import render_event
from tests.pdf_factory import A4, blank_pdf, make_request, text_pdf


def test_layout_gives_positions_from_the_top_left() -> None:
    data = text_pdf([[(72, 100, "Premier paragraphe"), (300, 700, "Signature du gérant")]])
    layout = page_layout(data, 1)
    assert (layout.width_pt, layout.height_pt) == A4
    first, signature = layout.lines
    assert (first.x_pt, first.y_pt_top_left, first.text) == (
        pytest.approx(72),
        pytest.approx(100),
        "Premier paragraphe",
    )
    assert (signature.x_pt, signature.y_pt_top_left) == (pytest.approx(300), pytest.approx(700))


def test_known_line_lands_on_the_expected_grid_row() -> None:
    # 842 pt over 60 rows: 14.03 pt per row; 595 pt over 85 cols: 7 pt per col.
    data = text_pdf([[(70, 421, "Le gestionnaire"), (70, 100, "Objet : relance")]])
    grid = render_grid(page_layout(data, 1), cols=85, rows=60)
    assert len(grid) == 60 and all(len(row) == 85 for row in grid)
    # Row of the middle of the lowercase letters: (421 - 11 * 0.35) / 14.03 → 29.
    assert grid[29][10:25] == "Le gestionnaire"
    assert grid[6][10:25] == "Objet : relance"
    assert sum(1 for row in grid if row.strip()) == 2


def test_rendered_letter_shows_its_signature_line_under_the_body() -> None:
    rendered = render_event(make_request(chrono=None))  # the diagonal BROUILLON watermark is left out
    layout = page_layout(rendered.data, 1)
    assert not any(run.text == "BROUILLON" for run in layout.lines)
    grid = render_grid(layout, cols=100, rows=70)
    subject_row = next(i for i, row in enumerate(grid) if "Objet : Convocation" in row)
    signature_row = next(i for i, row in enumerate(grid) if "Jean-François Œhlert" in row)
    footer_row = next(i for i, row in enumerate(grid) if "Page 1/1" in row)
    assert subject_row < signature_row < footer_row
    assert grid[signature_row].index("Jean-François") == round(318 / (A4[0] / 100))


def test_runs_on_one_row_are_trimmed_not_overlapping() -> None:
    layout = PageLayout(100, 100, [TextRun(0, 15, "abcdefghij", 10), TextRun(50, 15, "XYZ", 10)])
    [row] = [r for r in render_grid(layout, cols=10, rows=5) if r.strip()]
    assert row == "abcd XYZ  "


def test_rotated_page_layout_uses_the_displayed_size() -> None:
    layout = page_layout(blank_pdf([A4], rotations=[90]), 1)
    assert (layout.width_pt, layout.height_pt) == (A4[1], A4[0])


def test_missing_page_is_a_document_error() -> None:
    with pytest.raises(DocumentError, match="pas de page 3"):
        page_layout(blank_pdf([A4]), 3)


def test_box_to_cells_and_back() -> None:
    layout = PageLayout(595.28, 841.89, [])
    box = StampBox(2, 350, 700, 170, 74, "Propriétaire")
    cells = box_to_cells(layout, box, cols=85, rows=60)
    assert cells == CellBox(col=50, row=50, cols=24, rows=5)
    x, y, w, h = cells_to_points(layout, cells, cols=85, rows=60)
    cell_w, cell_h = 595.28 / 85, 841.89 / 60
    assert abs(x - 350) <= cell_w / 2 and abs(y - 700) <= cell_h / 2
    assert abs(w - 170) <= cell_w / 2 and abs(h - 74) <= cell_h / 2
    # Moving by keys then converting back is exact on cell boundaries.
    moved = dataclasses.replace(cells, col=cells.col + 1)
    back = box_to_cells(layout, StampBox(2, *cells_to_points(layout, moved, 85, 60)), 85, 60)
    assert back == moved


def test_box_is_kept_inside_the_grid() -> None:
    layout = PageLayout(595.28, 841.89, [])
    assert box_to_cells(layout, StampBox(1, 590, 840, 170, 74), cols=85, rows=60) == CellBox(61, 55, 24, 5)
    assert box_to_cells(layout, StampBox(1, -20, -5, 1, 1), cols=85, rows=60) == CellBox(0, 0, 1, 1)
