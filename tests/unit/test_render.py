"""Rendering events: French text survives the PDF round trip, numbering, attachments and their problems."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from fontTools import ttLib
from pypdf import PdfReader

from lsc_tui.documents import fonts, render
from lsc_tui.documents.pdf import sha256
from lsc_tui.documents.render import french_date, render_event
from tests.pdf_factory import (
    A4,
    FRENCH,
    LETTER,
    blank_pdf,
    encrypted_pdf,
    make_request,
    png_bytes,
    text_pdf,
    truncated_pdf,
)


def text_of(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_every_french_character_survives_extraction() -> None:
    [text] = text_of(render_event(make_request()).data)
    for char in FRENCH.split():
        assert char in text, char
    assert "«\u00a0Les Marronniers\u00a0»" in text  # non-breaking spaces kept, not turned into spaces
    assert "12\u00a0480\u00a0€" in text
    assert "18\u202fh\u202f30" in text
    assert "Cabinet Lefèvre & Cœur" in text


def test_chrono_date_place_and_subject_are_printed() -> None:
    [text] = text_of(render_event(make_request()).data)
    assert "N° chrono : 2026-000123" in text
    assert "Lyon, le 23 novembre 2026" in text
    assert "Objet : Convocation à l’assemblée générale" in text
    assert "Page 1/1" in text


def test_subject_already_starting_with_objet_is_not_doubled() -> None:
    [text] = text_of(render_event(make_request(subject="Objet : relance")).data)
    assert "Objet : relance" in text and "Objet : Objet" not in text


@pytest.mark.parametrize(
    ("day", "expected"),
    [(dt.date(2026, 11, 1), "1er novembre 2026"), (dt.date(2026, 2, 23), "23 février 2026")],
)
def test_french_date(day: dt.date, expected: str) -> None:
    assert french_date(day) == expected


def test_long_letter_is_numbered_on_every_page_with_letterhead_on_first_only() -> None:
    paragraph = "Les travaux de réfection de la toiture débuteront après l’assemblée générale. " * 6
    rendered = render_event(make_request(body="\n\n".join([paragraph] * 18)))
    texts = text_of(rendered.data)
    assert len(texts) == 3 == len(rendered.pages)
    for number, text in enumerate(texts, start=1):
        assert f"Page {number}/3" in text
        assert "N° chrono 2026-000123" in text
    assert "Cabinet Lefèvre & Cœur" in texts[0]
    assert "Cabinet Lefèvre & Cœur" not in texts[1]
    assert "Résidence Les Tilleuls" in texts[1]  # running header
    assert "Jean-François Œhlert" in texts[2]
    assert all(p.is_a4 and p.source == "letter" for p in rendered.pages)


def test_draft_without_chrono_says_brouillon() -> None:
    [text] = text_of(render_event(make_request(chrono=None)).data)
    assert "BROUILLON" in text
    assert "2026-000123" not in text


def test_same_request_gives_same_bytes_and_hash() -> None:
    first, second = render_event(make_request()), render_event(make_request())
    assert first.data == second.data
    assert first.sha256 == second.sha256 == sha256(first.data)


def test_decomposed_accents_are_normalized() -> None:
    [text] = text_of(render_event(make_request(body="De\u0301cision vote\u0301e")).data)
    assert "Décision votée" in text


def test_non_breaking_spaces_never_end_a_line() -> None:
    body = " ".join(["le montant «\u00a0provisionnel\u00a0» de 1\u00a0250\u00a0€"] * 40)
    [text] = text_of(render_event(make_request(body=body)).data)
    for line in text.splitlines():
        assert not line.startswith(("»", "€", "250")), line
        assert not line.endswith("«"), line


def test_characters_outside_the_latin_subset_use_the_full_font() -> None:
    rendered = render_event(make_request(body="Copropriétaire : Ελένη Παπαδοπούλου, Łukasz Wójcik"))
    [text] = text_of(rendered.data)
    assert "Ελένη Παπαδοπούλου, Łukasz Wójcik" in text
    assert rendered.problems == ()


def test_unprintable_characters_are_reported_not_lost_silently() -> None:
    rendered = render_event(make_request(body="Réf. 漢字"))
    [problem] = rendered.problems
    assert problem.file_name == "courrier"
    assert "漢" in problem.message_fr and "字" in problem.message_fr
    assert "Réf. ??" in text_of(rendered.data)[0]


def test_shipped_latin_subset_matches_the_full_font() -> None:
    """Guards the committed subset files: rerun render.rebuild_shipped_subsets() if this fails."""
    wanted = {cp for low, high in render.LATIN_RANGES for cp in range(low, high + 1)}
    for style, full in render.FULL_FONTS.items():
        full_cmap = set(ttLib.TTFont(full, lazy=True).getBestCmap())
        subset_cmap = set(ttLib.TTFont(render.LATIN_FONTS[style], lazy=True).getBestCmap())
        assert subset_cmap == full_cmap & wanted
    assert (render.FONT_DIR / "LICENSE").read_text(encoding="utf-8").count("Bitstream") > 2


# ------------------------------------------------------------------------------------ attachments


def test_attachments_are_appended_with_their_sizes(tmp_path: Path) -> None:
    on_disk = tmp_path / "reglement.pdf"
    on_disk.write_bytes(text_pdf([[(60, 80, "Règlement de copropriété")]]))
    rendered = render_event(
        make_request(attachments=(("annexe-us.pdf", blank_pdf([LETTER, LETTER])), on_disk))
    )
    assert rendered.problems == ()
    assert [(p.number, p.source) for p in rendered.pages] == [
        (1, "letter"),
        (2, "annexe-us.pdf"),
        (3, "annexe-us.pdf"),
        (4, "reglement.pdf"),
    ]
    assert [(p.width_pt, p.height_pt) for p in rendered.pages[1:]] == [LETTER, LETTER, A4]
    assert rendered.non_a4_pages == (2, 3)
    reader = PdfReader(io.BytesIO(rendered.data))
    assert len(reader.pages) == 4
    assert "Règlement de copropriété" in reader.pages[3].extract_text()
    assert [item.title for item in reader.outline] == [
        "Courrier",
        "Annexe : annexe-us.pdf",
        "Annexe : reglement.pdf",
    ]


def test_bad_attachments_are_reported_by_name_and_the_rest_is_sent(tmp_path: Path) -> None:
    rendered = render_event(
        make_request(
            attachments=(
                ("annexe.pdf", encrypted_pdf()),
                ("photo.pdf", png_bytes()),
                ("pv.pdf", truncated_pdf()),
                tmp_path / "absent.pdf",
                ("budget.pdf", blank_pdf([A4, A4])),
            )
        )
    )
    problems = {p.file_name: p.message_fr for p in rendered.problems}
    assert set(problems) == {"annexe.pdf", "photo.pdf", "pv.pdf", "absent.pdf"}
    assert problems["annexe.pdf"] == (
        "« annexe.pdf » est protégé par un mot de passe : retirez la protection avant l'envoi."
    )
    assert "c'est une image PNG" in problems["photo.pdf"]
    assert "tronqué" in problems["pv.pdf"]
    assert "« absent.pdf » est introuvable" in problems["absent.pdf"]
    assert [p.source for p in rendered.pages] == ["letter", "budget.pdf", "budget.pdf"]
    assert len(PdfReader(io.BytesIO(rendered.data)).pages) == 3
    assert "Convocation" in text_of(rendered.data)[0]


def test_reused_parsed_fonts_give_the_same_pdf_as_add_font(monkeypatch: pytest.MonkeyPatch) -> None:
    request = make_request(body="Ελένη, œuvre, 12\u00a0€")  # full font path too
    latin = make_request()
    fast = render_event(request).data, render_event(latin).data
    monkeypatch.setattr(fonts, "REUSE_PARSED_FONTS", False)
    slow = render_event(request).data, render_event(latin).data
    assert fast == slow
