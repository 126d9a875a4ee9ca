"""Paper letters printed at the firm (AR24 account without the paper extension, §15): one print-ready PDF of
the batch — for each letter a cover sheet (address in the envelope's window, colour / recto-verso noted) then
the letter itself, checked against the hash kept when it was prepared — then *imprimée* once printed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lsc_tui.documents.archive import absolute, read_file, store_file
from lsc_tui.documents.envelope import CoverSheet, cover_sheet
from lsc_tui.documents.pdf import DocumentError, merge
from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import ServiceError
from lsc_tui.services.rendering import letterhead


@dataclass(frozen=True)
class PrintBatch:
    path: Path
    letter_ids: tuple[str, ...]

    def summary(self) -> str:
        return f"{len(self.letter_ids)} lettre(s) papier prête(s) à imprimer : {self.path}"


def to_print(ctx: AppContext) -> list[str]:
    return [x.id for x in ctx.repos.letters.with_status([LetterStatus.TO_PRINT])]


def print_batch(ctx: AppContext, letter_ids: list[str] | None = None) -> PrintBatch:
    """One PDF for every letter *à imprimer* (or those given), in entity then date order."""
    ids = letter_ids or to_print(ctx)
    letters = [x for x in ctx.repos.letters.get_many(ids).values() if x.status is LetterStatus.TO_PRINT]
    if not letters:
        raise ServiceError("Aucune lettre papier à imprimer.")
    letters.sort(key=lambda x: (x.entity_name, x.chrono, x.recipient_name))
    head = letterhead(ctx)
    parts: list[bytes] = []
    names: list[str] = []
    for x in letters:
        a = (*x.recipient_address, "", "", "", "")[:4]
        address = (x.recipient_name, a[0], a[1], f"{a[2]} {a[3]}".strip())
        sheet = CoverSheet(
            (head.name, *head.address_lines), address, x.chrono, x.subject, x.color, x.duplex, x.pages
        )
        try:
            letter_pdf = read_file(ctx.data_dir, x.pdf_path, sha256=x.pdf_sha256)
        except DocumentError as exc:
            raise ServiceError(f"Lettre de {x.recipient_name} : {exc.message}") from exc
        parts += [cover_sheet(sheet), letter_pdf]
        names += [f"feuille {x.chrono}", x.pdf_path]
    stored = store_file(ctx.data_dir, "print", f"lettres-a-imprimer-{ctx.now().date()}", merge(parts, names))
    return PrintBatch(absolute(ctx.data_dir, stored.path), tuple(x.id for x in letters))


def mark_printed(ctx: AppContext, letter_ids: list[str]) -> int:
    """After printing: *imprimée*, with the date (one transaction)."""
    done = 0
    with ctx.write() as w:
        for x in w.letters.get_many(letter_ids).values():
            if x.status is LetterStatus.TO_PRINT:
                w.letters.set_status(x.id, LetterStatus.PRINTED, expect_rev=x.rev, printed_date=ctx.now_iso())
                ctx.audit(w, "lettre.imprimee", w.letters, x.id)
                done += 1
    return done
