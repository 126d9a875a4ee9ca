"""Page sizes, A4 check, safe opening, merging and signature-box stamping on PDFs built by pdf_factory."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject, NumberObject

from lsc_tui.documents.pdf import (
    DocumentError,
    StampBox,
    is_a4,
    merge,
    non_a4_pages,
    page_geometry,
    page_sizes,
    read_pdf,
    sha256,
    stamp_boxes,
    user_to_display,
)
from tests.pdf_factory import (
    A4,
    LETTER,
    blank_pdf,
    encrypted_pdf,
    incremental_update,
    linearized_cut_after_first_page,
    mediabox_on_pages_node,
    png_bytes,
    stroked_rectangles,
    text_pdf,
    three_page_doc,
    truncated_pdf,
    with_boxes,
    xref_stream_pdf,
)


def sizes(data: bytes) -> list[tuple[float, float]]:
    return [(p.width_pt, p.height_pt) for p in page_sizes(data)]


# ------------------------------------------------------------------------------------ sizes and A4


def test_is_a4_accepts_both_orientations_within_tolerance() -> None:
    assert is_a4(595.28, 841.89)
    assert is_a4(841.89, 595.28)
    assert is_a4(595, 842)
    assert not is_a4(612, 792)
    assert not is_a4(595.28, 841.89 + 2)
    assert is_a4(595.28, 841.89 + 2, tolerance=2.5)


def test_rotated_page_swaps_width_and_height() -> None:
    data = blank_pdf([LETTER, A4, A4], rotations=[90, 270, 180])
    pages = page_sizes(data)
    assert [(p.width_pt, p.height_pt) for p in pages] == [(792, 612), (841.89, 595.28), (595.28, 841.89)]
    assert [p.rotation for p in pages] == [90, 270, 180]
    assert [p.is_a4 for p in pages] == [False, True, True]


def test_mediabox_inherited_from_pages_node() -> None:
    data = mediabox_on_pages_node(*LETTER, count=2)
    assert sizes(data) == [LETTER, LETTER]
    assert non_a4_pages(data) == [1, 2]


def test_us_letter_is_not_a4_and_mixed_sizes_are_reported_per_page() -> None:
    data = blank_pdf([A4, LETTER, (A4[1], A4[0]), (420.94, 595.28)])  # A4, Letter, A4 landscape, A5
    assert non_a4_pages(data) == [2, 4]
    infos = page_sizes(data, "annexe.pdf")
    assert [p.number for p in infos] == [1, 2, 3, 4]
    assert {p.source for p in infos} == {"annexe.pdf"}


def test_cropbox_smaller_than_mediabox_gives_visible_size() -> None:
    # An A4 sheet scanned on a Letter-sized MediaBox, cropped to A4: viewers and AR24 see A4.
    data = with_boxes(mediabox=(0, 0, 700, 900), cropbox=(10, 20, 605.28, 861.89))
    [info] = page_sizes(data)
    assert (info.width_pt, info.height_pt, info.is_a4) == (595.28, 841.89, True)


def test_cropbox_beyond_mediabox_is_clipped_to_it() -> None:
    data = with_boxes(mediabox=(0, 0, 595.28, 841.89), cropbox=(-50, -50, 700, 900))
    assert sizes(data) == [A4]


# ------------------------------------------------------------------------------------ unusable files


def test_truncated_file_is_refused_with_its_name() -> None:
    with pytest.raises(DocumentError) as error:
        read_pdf(truncated_pdf(), "annexe.pdf")
    assert "« annexe.pdf »" in error.value.message_fr
    assert "tronqué" in error.value.message_fr


def two_pages() -> bytes:
    return text_pdf([[(60, 80, "Page 1")], [(60, 80, "Page 2")]])


def texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


@pytest.mark.parametrize(
    "tail",
    [
        pytest.param(b"\x00" * 4096, id="scanner-padding-4k-nul"),
        pytest.param(b"\r\n" * 1500, id="trailing-newline-block"),
        pytest.param(b" " * 10_000 + b"\n", id="spaces"),
        pytest.param(
            b"<html><body>Message envoy\xe9 depuis mon mobile</body></html>\n" * 60, id="webmail-footer"
        ),
        pytest.param(
            b"7 0 obj\n<< /Type /Annot /Subtype /Text /Contents (note) >>\nendobj\n" * 60,
            id="incremental-update-garbage-no-xref",
        ),
    ],
)
def test_bytes_after_eof_do_not_make_a_file_truncated(tail: bytes) -> None:
    reader = read_pdf(two_pages() + tail, "bail.pdf")
    assert texts(reader) == ["Page 1", "Page 2"]


def test_a_cross_reference_stream_with_padding_is_read() -> None:
    reader = read_pdf(xref_stream_pdf() + b"\x00" * 8192, "scan.pdf")
    assert len(reader.pages) == 1
    assert sizes(xref_stream_pdf() + b"\x00" * 8192) == [A4]


def test_a_missing_eof_marker_with_an_intact_xref_is_not_truncated() -> None:
    data = two_pages()
    without_marker = data[: data.rindex(b"%%EOF")]
    assert texts(read_pdf(without_marker, "bail.pdf")) == ["Page 1", "Page 2"]
    assert len(read_pdf(xref_stream_pdf().removesuffix(b"%%EOF\n"), "scan.pdf").pages) == 1


def test_an_incremental_update_is_read_even_with_garbage_after_it() -> None:
    data = incremental_update(two_pages())
    assert len(read_pdf(data + b"\x00" * 4096, "bail.pdf").pages) == 3


def test_an_update_that_lost_only_its_eof_marker_is_read_whole_not_its_previous_revision() -> None:
    # pypdf alone would go back to the last %%EOF and silently read the two-page first revision.
    data = incremental_update(two_pages())
    assert len(read_pdf(data[: data.rindex(b"%%EOF")], "bail.pdf").pages) == 3


@pytest.mark.parametrize("marker", [b"endobj\n11 0 obj", b"endstream"])
def test_an_update_cut_before_its_startxref_reads_as_the_previous_revision(marker: bytes) -> None:
    # What viewers show: the last complete revision; the unfinished update is garbage after its %%EOF.
    data = incremental_update(two_pages())
    cut = data[: data.rindex(marker)]
    assert cut.rindex(b"%%EOF") < len(two_pages())
    assert texts(read_pdf(cut + b"\x00" * 3000, "bail.pdf")) == ["Page 1", "Page 2"]


@pytest.mark.parametrize(
    "build", [two_pages, xref_stream_pdf, three_page_doc], ids=["table", "stream", "three"]
)
def test_every_cut_of_a_one_revision_file_is_refused_or_reads_whole(build: Callable[[], bytes]) -> None:
    """Never fewer pages, never a silent loss: the only cuts accepted keep the whole startxref offset."""
    data = build()
    whole = texts(read_pdf(data, "annexe.pdf"))
    accepted = []
    for length in range(len(b"%PDF-"), len(data)):
        try:
            reader = read_pdf(data[:length], "annexe.pdf")
        except DocumentError as error:
            assert "tronqué" in error.message_fr
            continue
        assert texts(reader) == whole
        accepted.append(length)
    last_digit = data.rindex(b"%%EOF") - 1  # "startxref\n970\n%%EOF\n": the cut may take the "\n%%EOF\n"
    assert accepted == list(range(last_digit, len(data)))


def test_a_linearized_file_cut_after_its_first_page_is_truncated() -> None:
    # Its first-page section ends with a %%EOF of its own: the marker alone proves nothing.
    with pytest.raises(DocumentError, match="tronqué"):
        read_pdf(linearized_cut_after_first_page(), "convocation.pdf")


def test_garbage_after_header_is_reported_as_damaged() -> None:
    with pytest.raises(DocumentError) as error:
        read_pdf(b"%PDF-1.7\n" + b"\x00garbage" * 50 + b"\n%%EOF\n", "facture.pdf")
    assert "« facture.pdf »" in error.value.message_fr


def test_encrypted_file_is_refused_with_a_clear_message() -> None:
    with pytest.raises(DocumentError) as error:
        read_pdf(encrypted_pdf(), "annexe.pdf")
    assert error.value.message_fr == (
        "« annexe.pdf » est protégé par un mot de passe : retirez la protection avant l'envoi."
    )


def test_owner_password_only_opens_like_a_viewer_does() -> None:
    # No password is asked to open it, so the recipient can read it: accepted.
    reader = read_pdf(encrypted_pdf(user_password=""), "reglement.pdf")
    assert len(reader.pages) == 1


def test_png_renamed_pdf_says_what_it_really_is() -> None:
    with pytest.raises(DocumentError) as error:
        read_pdf(png_bytes(), "scan.pdf")
    assert "« scan.pdf » n'est pas un PDF (c'est une image PNG)" in error.value.message_fr


def test_empty_file_is_refused() -> None:
    with pytest.raises(DocumentError, match=re.escape("« vide.pdf » est vide")):
        read_pdf(b"", "vide.pdf")


@pytest.mark.parametrize(
    ("mediabox", "shown"),
    [
        ((0, 0, 0, 841.89), "0 × 841,89 pt"),
        ((0, 0, 595.28, 0), "595,28 × 0 pt"),
        ((100, 100, 100, 942), "0 × 842 pt"),
        ((0, 0, -595.28, 841.89), "-595,28 × 841,89 pt"),
        ((0, 0, 595.28, -841.89), "595,28 × -841,89 pt"),
        ((0, 0, 14_401, 841.89), "14401 × 841,89 pt"),
        ((0, 0, 595.28, 200_000), "595,28 × 200000 pt"),
        ((0, 0, 1, 1), "1 × 1 pt"),
    ],
)
def test_an_impossible_mediabox_is_refused_with_page_and_file(
    mediabox: tuple[float, float, float, float], shown: str
) -> None:
    data = three_page_doc(page_two_media=mediabox)
    expected = (
        f"La page 2 de « bail.pdf » a une taille impossible ({shown}) : "
        "enregistrez le document à nouveau en PDF (Imprimer > PDF) avant l'envoi."
    )
    for call in (lambda: read_pdf(data, "bail.pdf"), lambda: page_sizes(data, "bail.pdf")):
        with pytest.raises(DocumentError) as error:
            call()
        assert error.value.message_fr == expected
    with pytest.raises(DocumentError, match=re.escape("La page 2 de « bail.pdf »")):
        merge([blank_pdf([A4]), data], names=["lettre.pdf", "bail.pdf"])


@pytest.mark.parametrize(
    "mediabox",
    [(0, 0, 14_400, 14_400), (0, 0, 3, 3), (-300, -400, 295.28, 441.89), (0, 0, 2383.94, 3370.39)],
)
def test_the_largest_and_smallest_pages_pdf_allows_are_accepted(mediabox: tuple[float, ...]) -> None:
    assert len(page_sizes(with_boxes(mediabox), "plan.pdf")) == 1


def test_an_unreadable_mediabox_names_its_page() -> None:
    data = three_page_doc()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.pages[2][NameObject("/MediaBox")] = ArrayObject(
        [NumberObject(0), NumberObject(0), NumberObject(595)]
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(DocumentError) as error:
        read_pdf(buffer.getvalue(), "bail.pdf")
    assert error.value.message_fr == (
        "La page 3 de « bail.pdf » n'a pas de taille lisible : "
        "enregistrez le document à nouveau en PDF (Imprimer > PDF) avant l'envoi."
    )


# ------------------------------------------------------------------------------------ merge and hash


def test_merge_keeps_every_page_and_its_size() -> None:
    merged = merge([blank_pdf([A4, A4]), blank_pdf([LETTER]), mediabox_on_pages_node(count=1)])
    assert sizes(merged) == [A4, A4, LETTER, LETTER]


def test_merge_names_the_bad_part() -> None:
    with pytest.raises(DocumentError, match=re.escape("« pv.pdf »")):
        merge([blank_pdf([A4]), png_bytes()], names=["lettre.pdf", "pv.pdf"])


def test_sha256_is_hex_of_the_bytes() -> None:
    assert sha256(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


# ------------------------------------------------------------------------------------ stamping


def test_stamp_round_trip_on_page_two_of_three() -> None:
    data = three_page_doc()
    stamped = stamp_boxes(data, [StampBox(2, 350, 700, 170, 74, "Signature — Propriétaire")])
    [(x, y, w, h)] = stroked_rectangles(stamped, 2)
    # Top-left origin: the box's top edge is 700 pt below the top of the page.
    assert x == pytest.approx(350, abs=0.5)
    assert y + h == pytest.approx(A4[1] - 700, abs=0.5)
    assert (w, h) == (pytest.approx(170, abs=0.5), pytest.approx(74, abs=0.5))
    assert stroked_rectangles(stamped, 1) == [] and stroked_rectangles(stamped, 3) == []
    reader = PdfReader(io.BytesIO(stamped))
    assert len(reader.pages) == 3
    assert "Page 2" in reader.pages[1].extract_text()  # original content kept
    assert "Signature — Propriétaire" in reader.pages[1].extract_text()


def test_stamp_honours_a_mediabox_that_does_not_start_at_zero() -> None:
    data = three_page_doc(page_two_media=(100, 200, 695.28, 1041.89))
    stamped = stamp_boxes(data, [StampBox(2, 350, 700, 170, 74, "Gérant")])
    [(x, y, w, h)] = stroked_rectangles(stamped, 2)
    assert (x, y, w, h) == (
        pytest.approx(450, abs=0.5),  # 100 + 350
        pytest.approx(1041.89 - 700 - 74, abs=0.5),
        pytest.approx(170, abs=0.5),
        pytest.approx(74, abs=0.5),
    )


def test_stamp_honours_the_cropbox_origin() -> None:
    data = with_boxes(mediabox=(0, 0, 700, 900), cropbox=(10, 20, 605.28, 861.89))
    stamped = stamp_boxes(data, [StampBox(1, 0, 0, 100, 50)])
    [(x, y, w, h)] = stroked_rectangles(stamped, 1)
    assert (x, y + h, w) == (pytest.approx(10, abs=0.5), pytest.approx(861.89, abs=0.5), pytest.approx(100))


@pytest.mark.parametrize(
    ("rotation", "expected"),
    [
        # A4 portrait rotated 90° clockwise is shown landscape (841.89 × 595.28). Hand-computed:
        # display (u, v) → user (v, u) for 90; (W - v, H - u) for 270; (W - u, v) for 180.
        (90, (300, 350, 74, 170)),
        (270, (595.28 - 374, 841.89 - 520, 74, 170)),
        (180, (595.28 - 520, 300, 170, 74)),
    ],
)
def test_stamp_on_rotated_page(rotation: int, expected: tuple[float, float, float, float]) -> None:
    data = three_page_doc(rotation=rotation)
    stamped = stamp_boxes(data, [StampBox(2, 350, 300, 170, 74, "Locataire")])
    [rect] = stroked_rectangles(stamped, 2)
    assert rect == pytest.approx(expected, abs=0.5)
    # And back to display coordinates through the page geometry.
    page = PdfReader(io.BytesIO(stamped)).pages[1]
    geometry = page_geometry(page)
    x, y, w, h = rect
    corners = [user_to_display(geometry, cx, cy) for cx in (x, x + w) for cy in (y, y + h)]
    assert min(c[0] for c in corners) == pytest.approx(350, abs=0.5)
    assert min(c[1] for c in corners) == pytest.approx(300, abs=0.5)
    assert max(c[0] for c in corners) == pytest.approx(520, abs=0.5)
    assert max(c[1] for c in corners) == pytest.approx(374, abs=0.5)


def test_stamp_outside_the_page_or_on_a_missing_page_is_refused() -> None:
    data = three_page_doc()
    with pytest.raises(DocumentError, match="sort de la page 1"):
        stamp_boxes(data, [StampBox(1, 500, 800, 170, 74, "Notaire")])
    with pytest.raises(DocumentError, match="vise la page 4"):
        stamp_boxes(data, [StampBox(4, 10, 10, 100, 50, "Notaire")], name="convocation.pdf")


def test_several_boxes_on_several_pages() -> None:
    data = three_page_doc()
    boxes = [
        StampBox(1, 50, 60, 100, 40, "A"),
        StampBox(3, 60, 70, 110, 50, "B"),
        StampBox(3, 300, 500, 120, 60),
    ]
    stamped = stamp_boxes(data, boxes)
    assert len(stroked_rectangles(stamped, 1)) == 1
    assert len(stroked_rectangles(stamped, 3)) == 2


def test_stamp_keeps_text_of_a_page_with_several_content_streams() -> None:
    data = text_pdf([[(60, 100, "Bonjour")]])
    once = stamp_boxes(data, [StampBox(1, 50, 60, 100, 40, "Premier")])
    twice = stamp_boxes(once, [StampBox(1, 250, 60, 100, 40, "Second")])
    assert len(stroked_rectangles(twice, 1)) == 2
    text = PdfReader(io.BytesIO(twice)).pages[0].extract_text()
    assert "Bonjour" in text and "Premier" in text and "Second" in text
