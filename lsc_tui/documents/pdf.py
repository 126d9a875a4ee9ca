"""Pure functions on PDF bytes: open safely, measure pages, merge, hash and stamp signature boxes.

Everything here takes and returns bytes so that services can keep documents in the store or send them to a
provider without temporary files. Coordinates given by callers follow the providers' convention (YouSign v3,
AR24): points, origin at the top-left corner of the page *as displayed*, i.e. after the CropBox and /Rotate
are applied. The PDF itself counts from the bottom-left of its MediaBox, before rotation; the conversion lives
in `display_to_user` / `user_to_display` and nowhere else.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    RectangleObject,
)

from lsc_tui.documents import integrity
from lsc_tui.domain.errors import ExplainedError

A4_WIDTH_PT = 595.28
A4_HEIGHT_PT = 841.89

#: Signatures of file types people attach by mistake, so the message can say what the file really is.
_MAGIC_NAMES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "une image PNG"),
    (b"\xff\xd8\xff", "une image JPEG"),
    (b"GIF8", "une image GIF"),
    (b"II*\x00", "une image TIFF"),
    (b"MM\x00*", "une image TIFF"),
    (b"PK\x03\x04", "une archive ZIP ou un document Word/LibreOffice"),
    (b"\xd0\xcf\x11\xe0", "un document Office ancien format"),
    (b"{\\rtf", "un document RTF"),
)


class DocumentError(ExplainedError):
    """A document cannot be used as is; `message_fr` is shown to the user unchanged, so it names the file."""

    def __init__(self, message_fr: str) -> None:
        super().__init__(message_fr)
        self.message_fr = message_fr


@dataclass(frozen=True)
class DocumentProblem:
    """A file left out of a rendered document, reported so that nothing is dropped silently."""

    file_name: str
    message_fr: str


@dataclass(frozen=True)
class PageInfo:
    """Visible size of one page (CropBox, rotation applied): what a viewer, YouSign or AR24 sees."""

    number: int
    width_pt: float
    height_pt: float
    is_a4: bool
    source: str
    rotation: int = 0


@dataclass(frozen=True)
class StampBox:
    """A signature box in points, origin top-left of the displayed page (YouSign v3 convention); page is 1-based."""

    page: int
    x: float
    y: float
    width: float
    height: float
    label: str = ""


@dataclass(frozen=True)
class PageGeometry:
    """What it takes to convert between display coordinates and PDF user space for one page."""

    left: float
    bottom: float
    right: float
    top: float
    rotation: int

    @property
    def width(self) -> float:
        """Unrotated visible width."""
        return self.right - self.left

    @property
    def height(self) -> float:
        """Unrotated visible height."""
        return self.top - self.bottom

    @property
    def display_width(self) -> float:
        return self.height if self.rotation in (90, 270) else self.width

    @property
    def display_height(self) -> float:
        return self.width if self.rotation in (90, 270) else self.height


def sha256(data: bytes) -> str:
    """Hex digest, the same one the proof file (dossier de preuve) and the audit log quote."""
    return hashlib.sha256(data).hexdigest()


def is_a4(width: float, height: float, tolerance: float = 1.0) -> bool:
    """A4 in either orientation: AR24 accepts landscape A4 pages, only the sheet size matters."""
    short, long_ = sorted((abs(width), abs(height)))
    return abs(short - A4_WIDTH_PT) <= tolerance and abs(long_ - A4_HEIGHT_PT) <= tolerance


def _describe_non_pdf(data: bytes) -> str:
    for magic, what in _MAGIC_NAMES:
        if data.startswith(magic):
            return f"c'est {what}"
    return "son contenu n'est pas celui d'un PDF"


def read_pdf(data: bytes, name: str) -> PdfReader:
    """Open and fully check a PDF, or raise DocumentError with a message naming the file.

    pypdf is lenient and happily opens half a file; a letter sent with a missing page is worse than a refusal,
    so every page is resolved here, while the user can still replace the file.
    """
    if not data:
        raise DocumentError(f"« {name} » est vide (0 octet).")
    if b"%PDF-" not in data[:1024]:
        raise DocumentError(
            f"« {name} » n'est pas un PDF ({_describe_non_pdf(data)}) : convertissez-le en PDF avant l'envoi."
        )
    if not integrity.ends_properly(data):
        # Bytes after %%EOF, or no %%EOF: truncated only if the cross-reference chain is cut too. pypdf is
        # then given the revision that was checked, not the one before the last %%EOF it would fall back on.
        end = integrity.complete_revision_end(data)
        if end is None:
            raise DocumentError(
                f"« {name} » est incomplet (fichier tronqué) : téléchargez-le ou numérisez-le à nouveau."
            )
        data = data[:end] + b"\n%%EOF\n"
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(
                f"« {name} » est protégé par un mot de passe : retirez la protection avant l'envoi."
            )
        if len(reader.pages) == 0:
            raise DocumentError(f"« {name} » ne contient aucune page.")
        for number, page in enumerate(reader.pages, start=1):
            if problem := integrity.page_box_problem(page, number, name):
                raise DocumentError(problem)
            _ = page.cropbox, page.rotation
            page.get_contents()
    except DocumentError:
        raise
    except (NotImplementedError, ImportError) as exc:
        # Unsupported encryption algorithm or filter: pypdf cannot read it, neither can we.
        raise DocumentError(
            f"« {name} » utilise un chiffrement ou une compression non pris en charge : "
            "enregistrez-le à nouveau en PDF standard."
        ) from exc
    except Exception as exc:  # untrusted input: pypdf raises anything from PdfReadError to zlib.error
        raise DocumentError(f"« {name} » est endommagé et ne peut pas être lu ({exc}).") from exc
    return reader


def page_geometry(page: PageObject) -> PageGeometry:
    """Visible box (CropBox clipped to the MediaBox, inherited values included) and rotation of a page."""
    media = _normalized(page.mediabox)
    crop = _normalized(page.cropbox)
    left, bottom = max(media[0], crop[0]), max(media[1], crop[1])
    right, top = min(media[2], crop[2]), min(media[3], crop[3])
    if right <= left or top <= bottom:  # a CropBox outside the MediaBox: viewers fall back to the MediaBox
        left, bottom, right, top = media
    rotation = int(page.rotation or 0) % 360
    if rotation % 90:
        rotation = 0  # invalid per the spec; viewers ignore it
    return PageGeometry(left, bottom, right, top, rotation)


def _normalized(box: RectangleObject) -> tuple[float, float, float, float]:
    x1, y1, x2, y2 = (float(v) for v in box)
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def display_to_user(geometry: PageGeometry, u: float, v: float) -> tuple[float, float]:
    """Display point (from the top-left of the page as shown) to PDF user space (bottom-left, unrotated).

    /Rotate turns the page clockwise when shown; each branch is the inverse of that turn.
    """
    g = geometry
    if g.rotation == 90:
        return g.left + v, g.bottom + u
    if g.rotation == 180:
        return g.right - u, g.bottom + v
    if g.rotation == 270:
        return g.right - v, g.top - u
    return g.left + u, g.top - v


def user_to_display(geometry: PageGeometry, x: float, y: float) -> tuple[float, float]:
    """Inverse of `display_to_user`."""
    g = geometry
    if g.rotation == 90:
        return y - g.bottom, x - g.left
    if g.rotation == 180:
        return g.right - x, y - g.bottom
    if g.rotation == 270:
        return g.top - y, g.right - x
    return x - g.left, g.top - y


def page_info(page: PageObject, number: int, source: str) -> PageInfo:
    """Size of an already opened page, for callers that hold a PdfReader (no second parse)."""
    g = page_geometry(page)
    width, height = round(g.display_width, 2), round(g.display_height, 2)
    return PageInfo(number, width, height, is_a4(width, height), source, g.rotation)


def page_sizes(data: bytes, source: str = "document.pdf") -> list[PageInfo]:
    """Visible size of every page; `source` names the file in errors and in each PageInfo."""
    reader = read_pdf(data, source)
    return [page_info(page, i, source) for i, page in enumerate(reader.pages, start=1)]


def non_a4_pages(data: bytes, source: str = "document.pdf") -> list[int]:
    """1-based numbers of the pages AR24 would refuse."""
    return [p.number for p in page_sizes(data, source) if not p.is_a4]


def write_bytes(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def merge(parts: list[bytes], names: list[str] | None = None) -> bytes:
    """Concatenate PDFs, keeping every page as is; `names` (one per part) only serve error messages."""
    names = names or [f"document {i}" for i in range(1, len(parts) + 1)]
    writer = PdfWriter()
    for data, name in zip(parts, names, strict=True):
        writer.append(read_pdf(data, name), import_outline=False)
    return write_bytes(writer)


def _pdf_number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") or "0"


def _pdf_text(label: str) -> str:
    """Label as a PDF literal string in WinAnsi (œ, €, ’ and « » included), unknown characters as '?'."""
    raw = label.encode("cp1252", errors="replace")
    escaped = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return "(" + escaped.decode("latin-1") + ")"


_STAMP_FONT = "/LscStampHelv"
_LABEL_SIZE = 8.0


def _stamp_stream(geometry: PageGeometry, boxes: list[StampBox]) -> str:
    ops = ["q", "0.11 0.35 0.78 RG 1.2 w"]
    for box in boxes:
        corners = [
            display_to_user(geometry, u, v)
            for u, v in (
                (box.x, box.y),
                (box.x + box.width, box.y),
                (box.x, box.y + box.height),
                (box.x + box.width, box.y + box.height),
            )
        ]
        x0, y0 = min(c[0] for c in corners), min(c[1] for c in corners)
        x1, y1 = max(c[0] for c in corners), max(c[1] for c in corners)
        ops.append(f"{_pdf_number(x0)} {_pdf_number(y0)} {_pdf_number(x1 - x0)} {_pdf_number(y1 - y0)} re S")
        if box.label:
            # The label reads upright on screen: rotate the text counterclockwise by the page's /Rotate.
            tx, ty = display_to_user(geometry, box.x + 3, box.y + 3 + _LABEL_SIZE)
            cos, sin = {0: (1, 0), 90: (0, 1), 180: (-1, 0), 270: (0, -1)}[geometry.rotation]
            ops.append(
                f"BT 0.11 0.35 0.78 rg {_STAMP_FONT} {_pdf_number(_LABEL_SIZE)} Tf "
                f"{cos} {sin} {-sin} {cos} {_pdf_number(tx)} {_pdf_number(ty)} Tm "
                f"{_pdf_text(box.label)} Tj ET"
            )
    ops.append("Q")
    return "\n".join(ops)


def _check_box(box: StampBox, geometry: PageGeometry) -> None:
    if box.width <= 0 or box.height <= 0:
        raise DocumentError(f"L'emplacement « {box.label} » de la page {box.page} a une taille nulle.")
    tolerance = 0.5
    if (
        box.x < -tolerance
        or box.y < -tolerance
        or box.x + box.width > geometry.display_width + tolerance
        or box.y + box.height > geometry.display_height + tolerance
    ):
        raise DocumentError(
            f"L'emplacement « {box.label} » sort de la page {box.page} "
            f"({geometry.display_width:.0f} × {geometry.display_height:.0f} pt)."
        )


def _resolved(value: Any) -> Any:
    return value.get_object() if value is not None else None


def _add_stamp_content(writer: PdfWriter, page: PageObject, content: bytes) -> None:
    """Append `content` after the page's own streams, isolated by q/Q on both sides.

    The original streams are kept byte for byte (no re-parsing), which is faster than pypdf's merge_page and
    cannot alter a scanned or signed page's drawing.
    """
    # `.get` returns indirect references unresolved: resolve, or fpdf2's shared resources would be replaced.
    resources = _resolved(page.get(NameObject("/Resources")))
    if not isinstance(resources, DictionaryObject):
        resources = DictionaryObject()
        page[NameObject("/Resources")] = resources
    fonts = _resolved(resources.get(NameObject("/Font")))
    if not isinstance(fonts, DictionaryObject):
        fonts = DictionaryObject()
        resources[NameObject("/Font")] = fonts
    fonts[NameObject(_STAMP_FONT)] = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    existing: list[Any] = []
    raw = page.raw_get(NameObject("/Contents")) if NameObject("/Contents") in page else None
    if raw is not None:
        resolved = raw.get_object()
        if isinstance(resolved, ArrayObject):
            existing = list(resolved)
        elif isinstance(raw, IndirectObject):
            existing = [raw]
        else:  # a direct stream, invalid but seen in the wild
            existing = [writer._add_object(resolved)]

    def stream(data: bytes) -> IndirectObject:
        obj = DecodedStreamObject()
        obj.set_data(data)
        # pypdf offers no public way to register a new object; _add_object is what its own helpers use.
        return writer._add_object(obj)

    page[NameObject("/Contents")] = ArrayObject([stream(b"q\n"), *existing, stream(b"\nQ\n" + content)])


def stamp_boxes(data: bytes, boxes: list[StampBox], name: str = "document.pdf") -> bytes:
    """Draw each box and its label on its page, for "Voir les emplacements des signatures".

    Drawn in the page content (not as annotations) so that every viewer and printer shows them.
    """
    reader = read_pdf(data, name)
    writer = PdfWriter(clone_from=reader)
    by_page: dict[int, list[StampBox]] = {}
    for box in boxes:
        if not 1 <= box.page <= len(writer.pages):
            raise DocumentError(
                f"L'emplacement « {box.label} » vise la page {box.page}, "
                f"mais « {name} » n'a que {len(writer.pages)} page(s)."
            )
        by_page.setdefault(box.page, []).append(box)
    for number, page_boxes in sorted(by_page.items()):
        page = writer.pages[number - 1]
        geometry = page_geometry(page)
        for box in page_boxes:
            _check_box(box, geometry)
        _add_stamp_content(writer, page, _stamp_stream(geometry, page_boxes).encode("latin-1"))
    return write_bytes(writer)
