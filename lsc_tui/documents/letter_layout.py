"""Where everything goes on a letter: the page grid (A4, the window of a DL envelope), line breaking, and
the pages with their header and footer — computed before drawing so the page count is known ("Page 1/3").

Why by hand instead of fpdf2's multi_cell: exact positions for the placement preview, and speed — multi_cell
measures every prefix of a line again and again, which alone costs more than the 30 ms budget of a letter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from lsc_tui.documents import pdf as pdfops
from lsc_tui.documents.fonts import _Metrics

PAGE_W = pdfops.A4_WIDTH_PT
PAGE_H = pdfops.A4_HEIGHT_PT
MARGIN_LEFT = 62.0
MARGIN_RIGHT = 56.0
CONTENT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT
RIGHT_COLUMN_X = 318.0  # the window of a French DL envelope
RIGHT_COLUMN_W = PAGE_W - MARGIN_RIGHT - RIGHT_COLUMN_X
BODY_SIZE = 10.5
BODY_LEADING = 14.0
PARAGRAPH_GAP = 7.0
BODY_BOTTOM = PAGE_H - 62.0
NEXT_PAGE_TOP = 78.0
FOOTER_Y = PAGE_H - 30.0
GREY = (110, 110, 110)
BLACK = (0, 0, 0)
WATERMARK = (222, 222, 222)
LETTER_SOURCE = "letter"
LETTER_FILE_NAME = "courrier"

MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

Attachment = Path | tuple[str, bytes]


@dataclass(frozen=True)
class Letterhead:
    """The firm's heading, printed on the first page only."""

    name: str
    address_lines: tuple[str, ...] = ()
    contact_line: str = ""


@dataclass(frozen=True)
class RenderRequest:
    """Everything printed on a letter. Its own type so that documents never depend on the store's records."""

    letterhead: Letterhead
    entity_name: str
    chrono: str | None
    date: dt.date
    place: str
    recipient_lines: tuple[str, ...]
    subject: str
    body: str
    signature_lines: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()


def french_date(day: dt.date) -> str:
    """'1er novembre 2026', '23 novembre 2026': the form used in French letters."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS_FR[day.month - 1]} {day.year}"


# --------------------------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class _Run:
    x: float
    y: float  # baseline, from the top of the page
    text: str
    style: str = ""
    size: float = BODY_SIZE
    color: tuple[int, int, int] = BLACK


@dataclass
class _Layout:
    pages: list[list[_Run]] = field(default_factory=lambda: [[]])
    y: float = 0.0

    def add(self, run: _Run) -> None:
        self.pages[-1].append(run)

    def new_page(self) -> None:
        self.pages.append([])
        self.y = NEXT_PAGE_TOP

    def room_for(self, height: float) -> None:
        if self.y + height > BODY_BOTTOM:
            self.new_page()


def wrap(
    text: str, max_width: float, measure: _Metrics, style: str = "", size: float = BODY_SIZE
) -> list[str]:
    """Greedy line breaking on ordinary spaces only, so that non-breaking spaces keep « », 12 € and
    'M. Dupont' together; a word wider than the line is cut where it must."""
    lines: list[str] = []
    for hard_line in text.split("\n"):
        words = [w for w in hard_line.replace("\t", "    ").split(" ") if w]
        if not words:
            lines.append("")
            continue
        space = measure.width(" ", style, size)
        current, current_w = "", 0.0
        for word in words:
            word_w = measure.width(word, style, size)
            if current and current_w + space + word_w <= max_width:
                current, current_w = f"{current} {word}", current_w + space + word_w
                continue
            if current:
                lines.append(current)
            while word_w > max_width and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and measure.width(word[:cut], style, size) > max_width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
                word_w = measure.width(word, style, size)
            current, current_w = word, word_w
        lines.append(current)
    return lines


def _paragraphs(body: str) -> list[str]:
    """Paragraphs are separated by blank lines; single newlines inside one are kept (lists, addresses)."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return paragraphs


def _subject_text(subject: str) -> str:
    stripped = subject.strip()
    return stripped if stripped.lower().startswith("objet") else f"Objet : {stripped}"


def _chrono_text(chrono: str | None) -> str:
    return f"N° chrono : {chrono}" if chrono else "BROUILLON — numéro chrono attribué à l’envoi"


def _layout(req: RenderRequest, measure: _Metrics) -> _Layout:
    layout = _Layout()
    add = layout.add

    # Letterhead
    y = 58.0
    for line in wrap(req.letterhead.name, CONTENT_W, measure, "B", 13):
        add(_Run(MARGIN_LEFT, y, line, "B", 13))
        y += 16
    for line in (*req.letterhead.address_lines, req.letterhead.contact_line):
        if line:
            add(_Run(MARGIN_LEFT, y, line, "", 8.5, GREY))
            y += 11
    left_y = max(y + 20, 150.0)

    # Reference block (left) and recipient (right, in the envelope window)
    add(_Run(MARGIN_LEFT, left_y, _chrono_text(req.chrono), "B" if req.chrono else "", 9.5))
    left_y += 13
    for line in wrap(req.entity_name, RIGHT_COLUMN_X - MARGIN_LEFT - 14, measure, "", 9.5):
        add(_Run(MARGIN_LEFT, left_y, line, "", 9.5))
        left_y += 12.5
    right_y = 158.0
    for address_line in req.recipient_lines:
        for line in wrap(address_line, RIGHT_COLUMN_W, measure, "", 10.5):
            add(_Run(RIGHT_COLUMN_X, right_y, line, "", 10.5))
            right_y += 13.5

    y = max(left_y, right_y) + 26
    place = req.place.strip()
    add(
        _Run(
            RIGHT_COLUMN_X,
            y,
            f"{place}, le {french_date(req.date)}" if place else f"Le {french_date(req.date)}",
        )
    )
    y += 34
    for line in wrap(_subject_text(req.subject), CONTENT_W, measure, "B", BODY_SIZE):
        add(_Run(MARGIN_LEFT, y, line, "B"))
        y += BODY_LEADING
    layout.y = y + 16

    # Body
    for paragraph in _paragraphs(req.body):
        for line in wrap(paragraph, CONTENT_W, measure):
            layout.room_for(BODY_LEADING)
            add(_Run(MARGIN_LEFT, layout.y, line))
            layout.y += BODY_LEADING
        layout.y += PARAGRAPH_GAP

    # Signature: kept in one piece, with room above the name for a hand or e-signature.
    lines = [line for s in req.signature_lines for line in wrap(s, RIGHT_COLUMN_W, measure)]
    if lines:
        layout.room_for(18 + BODY_LEADING * len(lines))
        layout.y += 18
        for line in lines:
            add(_Run(RIGHT_COLUMN_X, layout.y, line))
            layout.y += BODY_LEADING
    return layout


def _decorate(layout: _Layout, req: RenderRequest, measure: _Metrics) -> None:
    """Header of the following pages and footer of every page, now that the page count is known."""
    total = len(layout.pages)
    footer_left = f"N° chrono {req.chrono}" if req.chrono else "BROUILLON — sans numéro chrono"
    for number, runs in enumerate(layout.pages, start=1):
        if number > 1:
            header = f"{req.entity_name} — {_chrono_text(req.chrono)}"
            header = wrap(header, CONTENT_W, measure, "", 8)[0]
            runs.insert(0, _Run(MARGIN_LEFT, 44.0, header, "", 8, GREY))
        runs.append(_Run(MARGIN_LEFT, FOOTER_Y, footer_left, "", 8, GREY))
        page_text = f"Page {number}/{total}"
        page_x = PAGE_W - MARGIN_RIGHT - measure.width(page_text, "", 8)
        runs.append(_Run(page_x, FOOTER_Y, page_text, "", 8, GREY))
