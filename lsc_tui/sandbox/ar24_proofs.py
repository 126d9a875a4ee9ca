"""The PDFs the fake AR24 serves (proofs of deposit, sending, receipt…) and the A4 check of paper letters.

Proofs are real, small PDFs naming the mail, the event and its date, so that a client test can download one
and parse it. The A4 check reads real page boxes with pypdf: a paper letter is printed on A4, and a US-Letter
page would be cropped or scaled at the printer — AR24-style `attachment_not_a4` is raised at POST mail.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from fpdf import FPDF
from pypdf import PdfReader

A4_PT = (595.28, 841.89)
A4_TOLERANCE_PT = 1.0

PROOF_TITLES = {
    "dp": "Preuve de dépôt",
    "ev": "Preuve de dépôt et d'envoi",
    "ar": "Preuve de réception (accusé de réception)",
    "rf": "Preuve de refus",
    "ng": "Preuve de négligence (non-réclamation)",
    "bc": "Avis de non-distribution (adresse invalide)",
    "content": "Contenu de l'envoi",
    "consent": "Preuve de consentement aux envois recommandés électroniques",
}


@dataclass(frozen=True)
class PageCheck:
    """Outcome of reading an attachment: `pages` sizes as printed (rotation applied), or why it is unreadable."""

    is_pdf: bool
    pages: tuple[tuple[float, float], ...] = ()

    @property
    def non_a4_pages(self) -> list[int]:
        """1-based numbers of pages that are not A4 (portrait or landscape), within 1 pt."""
        bad = []
        for number, (width, height) in enumerate(self.pages, start=1):
            short, long_ = sorted((width, height))
            if abs(short - A4_PT[0]) > A4_TOLERANCE_PT or abs(long_ - A4_PT[1]) > A4_TOLERANCE_PT:
                bad.append(number)
        return bad

    @property
    def is_a4(self) -> bool:
        return self.is_pdf and bool(self.pages) and not self.non_a4_pages


def check_pages(data: bytes) -> PageCheck:
    """Page sizes from the crop box (what gets printed), swapped when /Rotate is 90 or 270."""
    try:
        reader = PdfReader(io.BytesIO(data))
        sizes = []
        for page in reader.pages:
            box = page.cropbox
            width, height = float(box.width), float(box.height)
            if int(page.get("/Rotate", 0) or 0) % 180 == 90:
                width, height = height, width
            sizes.append((round(width, 2), round(height, 2)))
    except Exception:  # any unreadable file: not printable as a PDF
        return PageCheck(is_pdf=False)
    return PageCheck(is_pdf=True, pages=tuple(sizes))


def _latin1(text: str) -> str:
    """fpdf2's core fonts are Latin-1: keep French accents, replace what cannot be printed."""
    text = text.replace("—", "-").replace("–", "-").replace("’", "'")
    return text.encode("latin-1", "replace").decode("latin-1")


def proof_pdf(kind: str, mail: dict[str, object], event_date: str) -> bytes:
    """A one-page proof: title of the event, mail id, recipient, event date, content hash."""
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(f"AR24 sandbox - {PROOF_TITLES.get(kind, kind)} - envoi {mail.get('id')}"))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, _latin1(PROOF_TITLES.get(kind, kind)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    lines = [
        "AR24 (bac à sable lsc-tui) - document sans valeur légale",
        f"Envoi n° {mail.get('id')}",
        f"Type : {mail.get('type')}  -  eIDAS : {'oui' if mail.get('is_eidas') else 'non'}",
        f"Destinataire : {mail.get('to_name') or ''} <{mail.get('to_email') or ''}>",
        f"Événement : {kind} le {event_date} (heure de Paris)",
        f"Date de dépôt : {mail.get('date') or '-'}",
        f"Référence dossier : {mail.get('ref_dossier') or '-'}",
        f"Empreinte SHA-256 du contenu : {mail.get('full_hash_sha256') or '-'}",
    ]
    for line in lines:
        pdf.multi_cell(0, 7, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
