"""A PDF in the terminal (S8): its pages at scale, the signature boxes drawn on them with each signer's name.

« Voir les emplacements des signatures » shows every box of the file; « Voir le document signé » the first
page of the PDF just saved. The preview is the page's text laid out on a character grid (services/rendering),
so it works over SSH in any terminal.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static

from lsc_tui.services import rendering
from lsc_tui.services.signature_files import PdfView
from lsc_tui.tui import keys
from lsc_tui.tui.screens.base import ScreenBasics, bottom_bars
from lsc_tui.tui.widgets.page_preview import PagePreview
from lsc_tui.tui.widgets.title_bar import TitleBar


def _label_rows(lines: list[str], cells: rendering.CellBox, label: str) -> list[str]:
    """`lines` with `label` written inside the box's first row (cut to its width)."""
    row, width = cells.row, max(0, cells.cols - 2)
    if not 0 <= row < len(lines) or not width:
        return lines
    line = lines[row].ljust(cells.col + cells.cols)
    text = label[:width]
    lines[row] = line[: cells.col + 1] + text + line[cells.col + 1 + len(text) :]
    return lines


class PdfViewScreen(ScreenBasics, ModalScreen[None]):
    TITLE_FR = "Document"
    BINDINGS = keys.bindings(keys.PDF_VIEW)
    DEFAULT_CSS = """
    PdfViewScreen { background: $background; }
    PdfViewScreen PagePreview { height: 1fr; }
    """

    def __init__(self, view: PdfView) -> None:
        super().__init__()
        self.view = view
        self.page = 1

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield PagePreview(id="pdf-page")
        yield Static("", id="pdf-status", classes="status-line", markup=False)
        yield from bottom_bars()

    def on_mount(self) -> None:
        self.sub_title = self.view.title
        self._draw()

    def on_page_preview_resized(self) -> None:
        self._draw()

    def _draw(self) -> None:
        if not self.view.pages:
            return
        layout = self.view.pages[self.page - 1]
        preview = self.query_one(PagePreview)
        cols, rows = preview.grid_size
        lines = rendering.page_grid(layout, cols, rows)
        boxes = []
        for box, label in self.view.boxes:
            if box.page == self.page:
                cells = rendering.box_cells(layout, box, cols, rows)
                boxes.append(cells)
                lines = _label_rows(lines, cells, label)
        preview.show(lines, None, boxes)
        preview.border_title = self.view.title
        preview.border_subtitle = f"page {self.page}/{len(self.view.pages)}"
        shown = sum(1 for box, _ in self.view.boxes if box.page == self.page)
        status = f"{shown} emplacement(s) sur cette page · PgPréc / PgSuiv : pages · Échap : fermer"
        if self.view.saved_to:
            status = f"Enregistré : {self.view.saved_to} · Échap : fermer"
        self.query_one("#pdf-status", Static).update(status)

    def action_page(self, delta: int) -> None:
        page = min(len(self.view.pages), max(1, self.page + delta))
        if page != self.page:
            self.page = page
            self._draw()

    def action_close(self) -> None:
        self.dismiss(None)
