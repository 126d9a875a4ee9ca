"""« Annuler la demande » (S9): one reason from YouSign's list and one note for every selected file.

Answers `(reason, note)` or None. For one file the note is the firm's cancellation message already filled in
(it can be edited); for a selection it starts empty, which means that message filled in for each file.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Select, Static, TextArea

from lsc_tui.services.signature_followup import CANCEL_REASONS
from lsc_tui.tui import keys

FINAL = "L'annulation est définitive : une fiche annulée ne se relance ni ne se réactive."


class CancelDialog(ModalScreen[tuple[str, str] | None]):
    BINDINGS = keys.bindings(keys.CANCEL_DIALOG)
    DEFAULT_CSS = """
    CancelDialog { align: center middle; }
    CancelDialog > Vertical { width: 90; max-width: 100%; height: auto; border: thick $warning;
        background: $surface; padding: 0 1; }
    CancelDialog Select { width: 40; margin: 0 0 1 0; }
    CancelDialog TextArea { height: 6; max-height: 40vh; }
    """

    def __init__(self, count: int, note: str) -> None:
        super().__init__()
        self.count = count
        self.note = note

    def compose(self) -> ComposeResult:
        what = "cette fiche signature" if self.count == 1 else f"ces {self.count} fiches signature"
        hint = (
            ""
            if self.count == 1
            else "\nVide : le message d'annulation du cabinet, rempli pour chaque fiche."
        )
        with Vertical():
            yield Static(f"Annuler {what}\n{FINAL}", markup=False, id="cancel-title")
            yield Static("Motif (transmis à YouSign) :", markup=False)
            yield Select(
                [(label, value) for value, label in CANCEL_REASONS],
                value=CANCEL_REASONS[-1][0],
                allow_blank=False,
                compact=True,
                id="reason",
            )
            yield Static("Note aux signataires (500 caractères au plus) :" + hint, markup=False)
            # the firm's message has paragraphs: a one-line Input cannot show them (and drew the list through)
            yield TextArea(self.note, id="note", soft_wrap=True, show_line_numbers=False, compact=True)
            yield Static("ctrl+s : annuler · Échap : ne rien annuler", markup=False)

    def on_mount(self) -> None:
        self.query_one(Select).focus()

    def _answer(self) -> tuple[str, str]:
        reason = self.query_one(Select).value
        return (str(reason), self.query_one(TextArea).text[:500])

    def action_confirm(self) -> None:
        self.dismiss(self._answer())

    def action_close(self) -> None:
        self.dismiss(None)
