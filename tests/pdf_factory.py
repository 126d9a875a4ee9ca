"""Build the PDFs the document tests need, at test time: no binary fixture to keep in sync.

Each builder returns bytes and makes one trait explicit (rotation, inherited MediaBox, CropBox, origin…), using
pypdf generic objects where fpdf2 cannot produce the trait.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Sequence

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from pypdf.generic import FloatObject, NameObject, RectangleObject

from lsc_tui.documents.render import Letterhead, RenderRequest

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


def _write(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def blank_pdf(sizes: Sequence[tuple[float, float]], rotations: Sequence[int] | None = None) -> bytes:
    """One empty page per size (width, height in points), optionally with /Rotate."""
    writer = PdfWriter()
    for index, (width, height) in enumerate(sizes):
        page = writer.add_blank_page(width, height)
        if rotations and rotations[index]:
            page[NameObject("/Rotate")] = FloatObject(rotations[index])
    return _write(writer)


def text_pdf(pages: Sequence[Sequence[tuple[float, float, str]]], size: tuple[float, float] = A4) -> bytes:
    """Pages of text runs (x, baseline y from the top, text) in points, drawn with fpdf2."""
    pdf = FPDF(unit="pt", format=size)
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=11)
    for runs in pages:
        pdf.add_page()
        for x, y, text in runs:
            pdf.text(x, y, text)
    return bytes(pdf.output())


def mediabox_on_pages_node(width: float = LETTER[0], height: float = LETTER[1], count: int = 2) -> bytes:
    """MediaBox only on the /Pages node, inherited by every page (legal, and common in old scanners' output)."""
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width, height)
    for page in writer.pages:
        del page[NameObject("/MediaBox")]
    pages_node = writer.root_object["/Pages"].get_object()
    pages_node[NameObject("/MediaBox")] = RectangleObject((0, 0, width, height))
    data = _write(writer)
    raw = PdfReader(io.BytesIO(data))
    assert "/MediaBox" not in raw.trailer["/Root"]["/Pages"]["/Kids"][0].get_object()
    return data


def with_boxes(
    mediabox: tuple[float, float, float, float],
    cropbox: tuple[float, float, float, float] | None = None,
    rotation: int = 0,
    pages: int = 1,
) -> bytes:
    """Pages with an explicit MediaBox (possibly not starting at 0,0), an optional CropBox and /Rotate."""
    writer = PdfWriter()
    for _ in range(pages):
        page = writer.add_blank_page(100, 100)
        page[NameObject("/MediaBox")] = RectangleObject(mediabox)
        if cropbox:
            page[NameObject("/CropBox")] = RectangleObject(cropbox)
        if rotation:
            page[NameObject("/Rotate")] = FloatObject(rotation)
    return _write(writer)


def three_page_doc(
    page_two_media: tuple[float, float, float, float] | None = None, rotation: int = 0
) -> bytes:
    """Three A4 pages with text; page 2 may get another MediaBox and a rotation (for stamping tests)."""
    data = text_pdf([[(60, 80, f"Page {n}")] for n in (1, 2, 3)])
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    page = writer.pages[1]
    if page_two_media:
        page[NameObject("/MediaBox")] = RectangleObject(page_two_media)
    if rotation:
        page[NameObject("/Rotate")] = FloatObject(rotation)
    return _write(writer)


def encrypted_pdf(user_password: str = "secret") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(blank_pdf([A4]))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
    return _write(writer)


def truncated_pdf() -> bytes:
    data = text_pdf([[(60, 80, "Annexe tronquée")], [(60, 80, "Suite")]])
    return data[: len(data) * 2 // 3]


def incremental_update(base: bytes, added_pages: int = 1) -> bytes:
    """`base` kept byte for byte, then one incremental update (new objects, an xref section whose /Prev points
    at the base's, its own %%EOF) adding blank A4 pages: how signing tools and form fillers save."""
    writer = PdfWriter(io.BytesIO(base), incremental=True)
    for _ in range(added_pages):
        writer.add_blank_page(*A4)
    data = _write(writer)
    assert data.startswith(base) and data.count(b"%%EOF") == base.count(b"%%EOF") + 1
    return data


def xref_stream_pdf(size: tuple[float, float] = A4) -> bytes:
    """One blank page whose cross-reference is a stream (PDF 1.5+, what Word and most scanners write).

    Written by hand, uncompressed: pypdf and fpdf2 only write classic xref tables.
    """
    width, height = size
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << >> >>" % (width, height),
    ]
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_offset = len(out)
    rows = [bytes([0]) + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big")]
    rows += [bytes([1]) + offset.to_bytes(4, "big") + (0).to_bytes(2, "big") for offset in offsets]
    rows.append(bytes([1]) + xref_offset.to_bytes(4, "big") + (0).to_bytes(2, "big"))
    stream = b"".join(rows)
    out += b"4 0 obj\n<< /Type /XRef /Size 5 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(stream)
    out += stream + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


def linearized_cut_after_first_page() -> bytes:
    """What is left of a linearized ("fast web view") PDF whose download stopped after the first-page section.

    Such a file opens with a complete first-page xref section and its own %%EOF; its trailer's /Prev points at
    the main xref section, at the very end of the file, which never arrived. Simulated from a two-page file:
    /Prev set past the end, then the start of the following objects, cut.
    """
    data = blank_pdf([A4, A4])
    head = data.replace(b"trailer\n<<", b"trailer\n<<\n/Prev %d" % (len(data) * 4), 1)
    assert head != data
    return head + b"6 0 obj\n<<\n/Type /Page\n/Parent 2 0 R\n/MediaBox [ 0 0 595.28 8"


def png_bytes() -> bytes:
    """A real PNG image (what people rename to .pdf)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def stroked_rectangles(data: bytes, page_number: int) -> list[tuple[float, float, float, float]]:
    """(x, y, w, h) of every stroked `re` path on a page, in PDF user space, read back from its content."""
    page = PdfReader(io.BytesIO(data)).pages[page_number - 1]
    operations = page.get_contents().operations
    found = []
    for index, (operands, operator) in enumerate(operations):
        if operator == b"re" and index + 1 < len(operations) and operations[index + 1][1] == b"S":
            found.append(tuple(float(v) for v in operands))
    return found


FRENCH = "é è ê à ç ù ô î ï œ Œ « » € ’ – — Ÿ æ É À Ç"


def make_request(**changes: object) -> RenderRequest:
    """A realistic convocation letter with every French character; `changes` replace fields."""
    base = RenderRequest(
        letterhead=Letterhead(
            "Cabinet Lefèvre & Cœur",
            ("12, rue de la République", "69002 Lyon"),
            "Tél. 04 78 00 00 00 — syndic@lefevre.fr",
        ),
        entity_name="Syndicat des copropriétaires Résidence Les Tilleuls",
        chrono="2026-000123",
        date=dt.date(2026, 11, 23),
        place="Lyon",
        recipient_lines=("Madame Éloïse Lefèvre", "3, allée des Châtaigniers", "69100 Villeurbanne"),
        subject="Convocation à l’assemblée générale",
        body=(
            "Madame, Monsieur,\n\n"
            f"Caractères : {FRENCH}.\n\n"
            "Le budget voté s’élève à 12\u00a0480\u00a0€ ; la salle «\u00a0Les Marronniers\u00a0» est réservée "
            "à 18\u202fh\u202f30.\n\n"
            "Veuillez agréer nos salutations distinguées."
        ),
        signature_lines=("Le gestionnaire,", "Jean-François Œhlert"),
    )
    return dataclasses.replace(base, **changes)
