"""PDF work the signature fakes need: real page sizes, visible stamps in signature boxes, small report PDFs.

Page sizes are read from the uploaded file (not assumed A4) so that a box the client placed off the page is
refused here as the provider would; stamps are merged into the original so a "signed" PDF keeps its pages.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterable
from dataclasses import dataclass

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError


class UnreadablePdf(ValueError):
    """The upload is not a PDF pypdf can open (or it is encrypted)."""


@dataclass(frozen=True)
class Stamp:
    """A visible mark in a signature box: page from 1, PDF points, origin top-left (as both APIs place boxes)."""

    page: int
    x: float
    y: float
    width: float
    height: float
    lines: tuple[str, ...]


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height of each page as displayed (a /Rotate of 90 or 270 swaps them)."""
    return list(_page_sizes(pdf))


@functools.lru_cache(maxsize=32)
def _page_sizes(pdf: bytes) -> tuple[tuple[float, float], ...]:
    """Parsing costs ~5 ms a file, most of the sandbox's CPU per ESign send: a batch sending one attachment
    to many signers sends the same bytes again and again (a failure is not kept: it raises every time)."""
    try:
        reader = PdfReader(io.BytesIO(pdf))
        if reader.is_encrypted:
            raise UnreadablePdf("encrypted PDF")
        sizes = []
        for page in reader.pages:
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            if (page.rotation or 0) % 180 == 90:
                width, height = height, width
            sizes.append((width, height))
    except (PyPdfError, OSError, ValueError, KeyError) as exc:
        raise UnreadablePdf(str(exc)) from exc
    if not sizes:
        raise UnreadablePdf("no page")
    return tuple(sizes)


def latin1(text: str) -> str:
    """fpdf2's core fonts are Latin-1: keep accents, replace what they cannot draw (…, ’, emoji)."""
    text = text.replace("’", "'").replace("…", "...").replace("—", "-").replace("–", "-")
    return text.encode("latin-1", "replace").decode("latin-1")


def _overlay(width: float, height: float, stamps: Iterable[Stamp]) -> PdfReader:
    pdf = FPDF(unit="pt", format=(width, height))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.add_page()
    pdf.set_draw_color(20, 60, 160)
    pdf.set_text_color(20, 60, 160)
    for stamp in stamps:
        pdf.rect(stamp.x, stamp.y, stamp.width, stamp.height)
        size = max(4.0, min(9.0, stamp.height / (len(stamp.lines) + 1)))
        pdf.set_font("helvetica", size=size)
        pdf.set_xy(stamp.x + 2, stamp.y + 2)
        for line in stamp.lines:
            pdf.set_x(stamp.x + 2)
            pdf.cell(stamp.width - 4, size * 1.2, latin1(line))
            pdf.ln(size * 1.2)
    return PdfReader(io.BytesIO(bytes(pdf.output())))


def stamp_pdf(pdf: bytes, stamps: Iterable[Stamp]) -> bytes:
    """The original with each stamp drawn on its page; pages without stamps are untouched.

    Rotated pages are stamped in their unrotated frame (the fakes only ever receive upright pages).
    """
    by_page: dict[int, list[Stamp]] = {}
    for stamp in stamps:
        by_page.setdefault(stamp.page, []).append(stamp)
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    for number, page_stamps in by_page.items():
        page = writer.pages[number - 1]
        box = page.mediabox
        overlay = _overlay(float(box.width), float(box.height), page_stamps)
        page.merge_translated_page(overlay.pages[0], float(box.left), float(box.bottom))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def report_pdf(title: str, lines: Iterable[str]) -> bytes:
    """A one-column A4 text PDF: the fakes' audit trails (real ones are PDFs a person reads)."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_margins(40, 40, 40)
    pdf.add_page()
    pdf.set_font("helvetica", style="B", size=14)
    pdf.multi_cell(0, 18, latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("helvetica", size=9)
    for line in lines:
        pdf.multi_cell(0, 12, latin1(line) or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
