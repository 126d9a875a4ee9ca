"""The cover sheet of a paper registered letter printed at the firm: the address block where a window
envelope shows it, and what the person at the printer must know (colour or black and white, one or both
sides, recommandé avec AR, the chrono).

Window position: French C5/DL envelopes with a right-hand window (NF EN ISO 269 / La Poste's guidance) show a
block about 100 × 45 mm whose top-left corner sits 110 mm from the left edge and 50 mm from the top of an A4
sheet folded in three; the block is printed there, 10 pt, at most six lines (La Poste's address rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

FONTS = Path(__file__).parent / "fonts"
MM = 72 / 25.4
WINDOW_X_MM, WINDOW_Y_MM, WINDOW_W_MM, WINDOW_H_MM = 110, 50, 95, 45


@dataclass(frozen=True)
class CoverSheet:
    sender_lines: tuple[str, ...]
    address_lines: tuple[str, ...]
    chrono: str
    subject: str
    color: bool
    duplex: bool
    pages: int


def cover_sheet(sheet: CoverSheet) -> bytes:
    """One A4 page: sender top-left, the recipient in the window, the printing notes below the fold."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("DejaVu", "", 9)
    pdf.set_xy(20 * MM, 15 * MM)
    for line in sheet.sender_lines[:5]:
        pdf.cell(90 * MM, 12, line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(20 * MM)
    pdf.set_font("DejaVu", "B", 8)
    pdf.set_xy(WINDOW_X_MM * MM, (WINDOW_Y_MM - 6) * MM)
    pdf.cell(WINDOW_W_MM * MM, 10, "RECOMMANDÉ AVEC AVIS DE RÉCEPTION")
    pdf.set_font("DejaVu", "", 10)
    y = WINDOW_Y_MM * MM
    for line in [x for x in sheet.address_lines if x.strip()][:6]:
        pdf.set_xy(WINDOW_X_MM * MM, y)
        pdf.cell(WINDOW_W_MM * MM, 13, line.upper() if line is sheet.address_lines[-1] else line)
        y += 13
    pdf.set_font("DejaVu", "B", 11)
    pdf.set_xy(20 * MM, 120 * MM)
    pdf.cell(0, 16, f"Lettre recommandée papier — chrono {sheet.chrono}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    notes = (
        f"Objet : {sheet.subject}",
        f"Impression : {'COULEUR' if sheet.color else 'noir et blanc'}, "
        f"{'recto-verso' if sheet.duplex else 'recto seul'} — {sheet.pages} page(s) après cette feuille.",
        "Pliez en trois, adresse visible dans la fenêtre ; joignez le formulaire recommandé avec AR de La Poste.",
    )
    for line in notes:
        pdf.set_x(20 * MM)
        pdf.multi_cell(170 * MM, 14, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
