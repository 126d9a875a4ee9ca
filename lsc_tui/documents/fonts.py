"""Fonts of the letters: DejaVu Sans, with a Latin subset used whenever it covers the text.

The PDF core fonts are Latin-1 only and French letters need œ, €, ’ and narrow non-breaking spaces, so DejaVu
Sans is shipped (free licence, see fonts/LICENSE). fpdf2 parses and subsets the whole 750 kB font for each
document, so a Latin subset (fonts/*-Latin.ttf, made by `build_latin_subset`) is used whenever it covers the
text, and the full font only for the rare letter that needs more; parsed fonts are reused across documents.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import TTFFont

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
