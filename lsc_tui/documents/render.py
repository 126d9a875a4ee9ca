"""Turn an event (already mail-merged) into the A4 PDF that goes to YouSign, ESign or AR24.

Why the layout is computed by hand instead of with fpdf2's multi_cell: we need the page count before drawing
("Page 1/3" on every page, without fpdf2's {nb} alias that extracts badly), exact positions for the placement
preview, and speed — multi_cell measures every prefix of a line again and again, which alone costs more than
the 30 ms budget of a one-page letter.

Fonts: DejaVu Sans (free licence, see fonts/LICENSE) because the PDF core fonts are Latin-1 only and French
letters need œ, €, ’ and narrow non-breaking spaces. fpdf2 parses and subsets the whole 750 kB font for each
document, so a Latin subset (fonts/*-Latin.ttf, made by `build_latin_subset`) is used whenever it covers the
text, and the full font only for the rare letter that needs more.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import TTFFont
from pypdf import PdfReader, PdfWriter

from lsc_tui.documents import pdf as pdfops
from lsc_tui.documents.pdf import DocumentError, DocumentProblem, PageInfo

FONT_DIR = Path(__file__).parent / "fonts"
FULL_FONTS = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}
LATIN_FONTS = {"": FONT_DIR / "DejaVuSans-Latin.ttf", "B": FONT_DIR / "DejaVuSans-Bold-Latin.ttf"}
FAMILY = "DejaVu"

#: Code points kept in the Latin subset: Latin-1 and Extended-A/B (names from all of Europe), punctuation
#: (’ – — … narrow nbsp), currencies (€), №, arrows, ticks and boxes, and the fi/fl ligatures of pasted text.
LATIN_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),
    (0x00A0, 0x024F),
    (0x02C6, 0x02DD),
    (0x2000, 0x206F),
    (0x20A0, 0x20CF),
    (0x2100, 0x214F),
    (0x2190, 0x21FF),
    (0x2212, 0x2212),
    (0x2260, 0x2265),
    (0x25A0, 0x25FF),
    (0x2610, 0x2612),
    (0x2713, 0x2718),
    (0xFB00, 0xFB06),
)

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


@dataclass(frozen=True)
class RenderedPdf:
    """The letter with its attachments; `problems` lists every attachment left out, and why."""

    data: bytes
    pages: tuple[PageInfo, ...]
    sha256: str
    problems: tuple[DocumentProblem, ...] = ()

    @property
    def non_a4_pages(self) -> tuple[int, ...]:
        """Pages AR24 would refuse (L3)."""
        return tuple(p.number for p in self.pages if not p.is_a4)


def french_date(day: dt.date) -> str:
    """'1er novembre 2026', '23 novembre 2026': the form used in French letters."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS_FR[day.month - 1]} {day.year}"


# --------------------------------------------------------------------------------------------- fonts


def build_latin_subset(source: Path, target: Path) -> None:
    """Write the Latin subset of a font. Run `rebuild_shipped_subsets()` when the shipped fonts change."""
    from fontTools import subset

    font = ttLib.TTFont(source)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recommended_glyphs = True
    options.glyph_names = True
    # fpdf2 neither shapes text nor hints glyphs for a PDF viewer: dropping layout tables and TrueType
    # instructions makes the per-document subsetting about 15 % faster and the letter 40 % smaller.
    options.hinting = False
    options.layout_features = []
    options.drop_tables += ["FFTM", "GPOS", "GSUB", "GDEF", "kern"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[cp for low, high in LATIN_RANGES for cp in range(low, high + 1)])
    subsetter.subset(font)
    font.save(target)


def rebuild_shipped_subsets() -> None:
    """Regenerate fonts/*-Latin.ttf from the full fonts next to them."""
    for style, full in FULL_FONTS.items():
        build_latin_subset(full, LATIN_FONTS[style])


@cache
def _coverage(path: Path) -> frozenset[int]:
    return frozenset(ttLib.TTFont(path, lazy=True).getBestCmap())


def _fonts_for(text: str) -> tuple[dict[str, Path], str]:
    """Pick the fast Latin subset when it covers `text`; also return the characters no font can print."""
    needed = {ord(c) for c in text if not c.isspace() or c in "\u00a0\u202f\u2009"}
    if needed <= _coverage(LATIN_FONTS[""]) and needed <= _coverage(LATIN_FONTS["B"]):
        return LATIN_FONTS, ""
    missing = needed - _coverage(FULL_FONTS[""])
    return FULL_FONTS, "".join(sorted(chr(cp) for cp in missing))


#: Reuse parsed fonts across documents (see `_install_fonts`); tests turn it off to compare with add_font.
REUSE_PARSED_FONTS = True


@cache
def _parsed_font(style: str, path: Path) -> TTFFont:
    pdf = FPDF(unit="pt")
    pdf.add_font(FAMILY, style, str(path))
    return pdf.fonts[f"{FAMILY.lower()}{style}"]


def _install_fonts(pdf: FPDF, fonts: dict[str, Path]) -> None:
    """add_font parses the TTF and walks its whole cmap for every document: a third of the render time.

    The parsed font is kept per process and copied with fpdf2's own TTFFont.__deepcopy__ (written for its
    FPDFRecorder), which shares the metrics and copies the per-document state; only the fontTools object is
    opened afresh, because fpdf2 subsets it in place when the PDF is written. Any surprise from another
    fpdf2 version falls back to the plain add_font.
    """
    for style, path in fonts.items():
        key = f"{FAMILY.lower()}{style}"
        if REUSE_PARSED_FONTS:
            try:
                font = copy.deepcopy(_parsed_font(style, path))
                font.i = len(pdf.fonts) + 1
                font.ttfont = ttLib.TTFont(path, recalcTimestamp=False, lazy=True)
                pdf.fonts[key] = font
                continue
            except (AttributeError, TypeError):  # pragma: no cover - depends on the fpdf2 version
                pdf.fonts.pop(key, None)
        pdf.add_font(FAMILY, style, str(path))


class _Metrics:
    """String widths straight from the font's advance widths: measuring is the hot loop of the layout."""

    def __init__(self, pdf: FPDF) -> None:
        self._widths = {style: pdf.fonts[f"{FAMILY.lower()}{style}"].cw for style in FULL_FONTS}

    def width(self, text: str, style: str, size: float) -> float:
        widths = self._widths[style]
        return sum(widths[ord(c)] for c in text) * size / 1000.0


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


# --------------------------------------------------------------------------------------------- drawing


def _map_text(req: RenderRequest, fn: Callable[[str], str]) -> RenderRequest:
    """Apply `fn` to every printed string of the request."""
    head = req.letterhead
    return dataclasses.replace(
        req,
        letterhead=Letterhead(fn(head.name), tuple(map(fn, head.address_lines)), fn(head.contact_line)),
        entity_name=fn(req.entity_name),
        place=fn(req.place),
        recipient_lines=tuple(map(fn, req.recipient_lines)),
        subject=fn(req.subject),
        body=fn(req.body),
        signature_lines=tuple(map(fn, req.signature_lines)),
    )


def _printed_text(req: RenderRequest) -> str:
    """Every character the letter will print, fixed wording included, to choose the font."""
    head = req.letterhead
    return "".join(
        (
            head.name,
            *head.address_lines,
            head.contact_line,
            req.entity_name,
            req.chrono or "",
            req.place,
            *req.recipient_lines,
            req.subject,
            req.body,
            *req.signature_lines,
            _chrono_text(None),
            MONTHS_FR[req.date.month - 1],
        )
    )


def _nfc(text: str) -> str:
    """Text pasted from macOS arrives decomposed (e + combining accent), which would print as two glyphs."""
    return unicodedata.normalize("NFC", text)


def _draw(req: RenderRequest, fonts: dict[str, Path]) -> tuple[bytes, int]:
    pdf = FPDF(orientation="P", unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN_LEFT, 40, MARGIN_RIGHT)
    # A fixed creation date makes the same letter produce the same bytes, hence the same hash on re-render.
    pdf.set_creation_date(dt.datetime.combine(req.date, dt.time(), tzinfo=dt.UTC))
    pdf.set_lang("fr-FR")
    pdf.set_title(_subject_text(req.subject))
    pdf.set_author(req.letterhead.name)
    pdf.set_subject(req.entity_name)
    pdf.set_creator("lsc-tui")
    _install_fonts(pdf, fonts)
    measure = _Metrics(pdf)
    layout = _layout(req, measure)
    _decorate(layout, req, measure)

    current: tuple[str, float, tuple[int, int, int]] | None = None
    for runs in layout.pages:
        pdf.add_page()
        current = None
        if req.chrono is None:
            pdf.set_font(FAMILY, "B", 96)
            pdf.set_text_color(*WATERMARK)
            text = "BROUILLON"
            width = measure.width(text, "B", 96)
            with pdf.rotation(45, x=PAGE_W / 2, y=PAGE_H / 2):
                pdf.text(PAGE_W / 2 - width / 2, PAGE_H / 2 + 34, text)
        for run in runs:
            key = (run.style, run.size, run.color)
            if key != current:
                pdf.set_font(FAMILY, run.style, run.size)
                pdf.set_text_color(*run.color)
                current = key
            if run.text:
                pdf.text(run.x, run.y, run.text)
    return bytes(pdf.output()), len(layout.pages)


def render_letter(req: RenderRequest) -> tuple[bytes, int, tuple[DocumentProblem, ...]]:
    """The letter alone (no attachments) and its page count; problems name characters no font could print."""
    normalized = _map_text(req, _nfc)
    fonts, missing = _fonts_for(_printed_text(normalized))
    problems: tuple[DocumentProblem, ...] = ()
    if missing:
        table = str.maketrans(dict.fromkeys(missing, "?"))
        normalized = _map_text(normalized, lambda text: text.translate(table))
        problems = (
            DocumentProblem(
                LETTER_FILE_NAME,
                f"Caractères impossibles à imprimer, remplacés par « ? » : {' '.join(missing)}",
            ),
        )
    data, page_count = _draw(normalized, fonts)
    return data, page_count, problems


# --------------------------------------------------------------------------------------------- attachments


def _load_attachment(item: Attachment) -> tuple[str, bytes]:
    if isinstance(item, Path):
        try:
            return item.name, item.read_bytes()
        except OSError as exc:
            raise DocumentError(
                f"« {item.name} » est introuvable ou illisible ({exc.strerror or exc})."
            ) from exc
    name, data = item
    return name, data


def _assemble(letter: bytes, attachments: list[tuple[str, PdfReader]]) -> tuple[bytes, list[str]]:
    """Append attachments; one that breaks pypdf while copying is left out and named, the rest still go."""
    failed: list[str] = []
    remaining = list(attachments)
    while True:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(letter)))
        writer.add_outline_item(title="Courrier", page_number=0)
        for index, (name, reader) in enumerate(remaining):
            first_page = len(writer.pages)
            try:
                writer.append(reader, import_outline=False)
            except Exception:  # pypdf raises many types on malformed input; anything here means "unusable"
                failed.append(name)
                del remaining[index]
                break
            writer.add_outline_item(title=f"Annexe : {name}", page_number=first_page)
        else:
            return pdfops.write_bytes(writer), failed


def render_event(req: RenderRequest) -> RenderedPdf:
    """Letter plus attachments, with the size of every page and the problems the user must fix.

    A bad attachment never stops the letter: it is left out and reported by name, so the caller decides
    whether to send without it (e-signature) or block the sending (AR24, L3).
    """
    letter, page_count, letter_problems = render_letter(req)
    problems = list(letter_problems)
    readers: list[tuple[str, PdfReader]] = []
    for item in req.attachments:
        try:
            name, data = _load_attachment(item)
            readers.append((name, pdfops.read_pdf(data, name)))
        except DocumentError as exc:
            name = item.name if isinstance(item, Path) else item[0]
            problems.append(DocumentProblem(name, exc.message_fr))

    pages = [PageInfo(n, PAGE_W, PAGE_H, True, LETTER_SOURCE) for n in range(1, page_count + 1)]
    data = letter
    if readers:
        data, failed = _assemble(letter, readers)
        for name in failed:
            problems.append(
                DocumentProblem(name, f"« {name} » est endommagé : ses pages n'ont pas pu être recopiées.")
            )
        for name, reader in readers:
            if name in failed:
                continue
            for page in reader.pages:
                info = pdfops.page_info(page, len(pages) + 1, name)
                pages.append(info)
    return RenderedPdf(data, tuple(pages), pdfops.sha256(data), tuple(problems))
