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

import dataclasses
import datetime as dt
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from lsc_tui.documents import pdf as pdfops
from lsc_tui.documents.fonts import (  # noqa: F401  (re-exported: tools rebuild the subsets from here)
    FAMILY,
    FONT_DIR,
    FULL_FONTS,
    LATIN_FONTS,
    LATIN_RANGES,
    _fonts_for,
    _install_fonts,
    _Metrics,
    build_latin_subset,
    rebuild_shipped_subsets,
)
from lsc_tui.documents.letter_layout import (  # noqa: F401  (the request types are part of this API)
    LETTER_FILE_NAME,
    LETTER_SOURCE,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MONTHS_FR,
    PAGE_H,
    PAGE_W,
    WATERMARK,
    Attachment,
    Letterhead,
    RenderRequest,
    _chrono_text,
    _decorate,
    _layout,
    _subject_text,
    french_date,
)
from lsc_tui.documents.pdf import DocumentError, DocumentProblem, PageInfo


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
