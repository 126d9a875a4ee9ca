"""PDF floor: render events to A4 letters, check and merge PDFs, stamp signature boxes, preview pages.

Imports only lsc_tui.domain and third-party libraries (fpdf2, pypdf), so services can call it from workers.
"""

from lsc_tui.documents.pdf import (
    DocumentError,
    DocumentProblem,
    PageInfo,
    StampBox,
    is_a4,
    merge,
    non_a4_pages,
    page_sizes,
    read_pdf,
    sha256,
    stamp_boxes,
)
from lsc_tui.documents.preview import (
    CellBox,
    PageLayout,
    TextRun,
    box_to_cells,
    cells_to_points,
    page_layout,
    render_grid,
)
from lsc_tui.documents.render import Letterhead, RenderedPdf, RenderRequest, french_date, render_event

__all__ = [
    "CellBox",
    "DocumentError",
    "DocumentProblem",
    "Letterhead",
    "PageInfo",
    "PageLayout",
    "RenderRequest",
    "RenderedPdf",
    "StampBox",
    "TextRun",
    "box_to_cells",
    "cells_to_points",
    "french_date",
    "is_a4",
    "merge",
    "non_a4_pages",
    "page_layout",
    "page_sizes",
    "read_pdf",
    "render_event",
    "render_grid",
    "sha256",
    "stamp_boxes",
]
