"""Time `render_event` on one-page letters, alone and with a 2-page attachment (target: ≤ 30 ms per letter).

Run: .venv/bin/python bench/bench_render.py [count]. Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable

from fpdf import FPDF

from lsc_tui.documents.render import Letterhead, RenderRequest, render_event

BODY = (
    "Madame, Monsieur,\n\n"
    "Nous avons l’honneur de vous convoquer à l’assemblée générale ordinaire du syndicat des "
    "copropriétaires, qui se tiendra le jeudi 10 décembre 2026 à 18\u00a0h\u00a030 dans la salle "
    "« Les Marronniers », 4 place de l’Église à Lyon.\n\n"
    "L’ordre du jour, le projet de budget (12\u00a0480\u00a0€) et les annexes comptables sont joints "
    "à la présente. Les copropriétaires qui ne pourront pas être présents peuvent se faire représenter "
    "par le mandataire de leur choix — muni d’un pouvoir — ou voter par correspondance au moyen du "
    "formulaire ci-joint, à retourner au plus tard trois jours francs avant la réunion.\n\n"
    "Nous vous rappelons que les travaux de ravalement votés l’an dernier débuteront au printemps : "
    "l’entreprise Cœur & Fils interviendra façade nord, puis côté jardin.\n\n"
    "Nous vous prions d’agréer, Madame, Monsieur, l’expression de nos salutations distinguées."
)


def request(number: int, attachments: tuple = ()) -> RenderRequest:
    return RenderRequest(
        letterhead=Letterhead(
            "Cabinet Martin Gestion",
            ("12, rue de la République", "69002 Lyon"),
            "Tél. 04 78 00 00 00 — syndic@martin-gestion.fr",
        ),
        entity_name="Syndicat des copropriétaires Résidence Les Tilleuls",
        chrono=f"2026-{number:06d}",
        date=dt.date(2026, 11, 23),
        place="Lyon",
        recipient_lines=(
            f"Madame Éloïse Lefèvre n° {number}",
            "3, allée des Châtaigniers",
            "69100 Villeurbanne",
        ),
        subject="Convocation à l’assemblée générale ordinaire",
        body=BODY,
        signature_lines=("Le gestionnaire,", "Jean-François Œhlert"),
        attachments=attachments,
    )


def two_page_attachment() -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_font("Helvetica", size=12)
    for page in (1, 2):
        pdf.add_page()
        pdf.cell(0, 10, f"Annexe comptable, page {page}")
    return bytes(pdf.output())


def run(label: str, count: int, make: Callable[[int], RenderRequest]) -> None:
    render_event(make(0))  # warm-up: imports, font coverage cache
    times = []
    start = time.perf_counter()
    pages = 0
    for i in range(1, count + 1):
        t0 = time.perf_counter()
        rendered = render_event(make(i))
        times.append(time.perf_counter() - t0)
        pages = len(rendered.pages)
    total = time.perf_counter() - start
    times.sort()
    print(
        f"{label:<32} {count} events, {pages} page(s) each: total {total:.2f} s, "
        f"mean {statistics.fmean(times) * 1000:.1f} ms, median {times[len(times) // 2] * 1000:.1f} ms, "
        f"p95 {times[int(len(times) * 0.95)] * 1000:.1f} ms, size {len(rendered.data) // 1024} KiB"
    )


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    annex = ("annexe-comptable.pdf", two_page_attachment())
    run("one-page letter", count, request)
    run("one-page letter + 2-page annex", count, lambda i: request(i, (annex,)))


if __name__ == "__main__":
    main()
