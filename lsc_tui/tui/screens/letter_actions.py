"""The `a` menu of F8 and of a letter's detail (L7): refresh from AR24, download a proof, search by dates,
print the paper letters, validate by OTP (F9)."""

from __future__ import annotations

from pathlib import Path

from lsc_tui.services import letter_printing, letter_tracking
from lsc_tui.services.letter_printing import PrintBatch
from lsc_tui.services.letter_tracking import RefreshReport
from lsc_tui.tui.screens.actions import MenuAction
from lsc_tui.tui.screens.base import ScreenBasics
from lsc_tui.tui.screens.confirm import ConfirmScreen


def letter_menu(readonly: bool = False, *, in_list: bool = True) -> list[MenuAction]:
    why = "lecture seule"
    items = [
        MenuAction("o", "Ouvrir le détail", "open"),
        MenuAction("v", "Valider par code OTP (F9)", "validate"),
        MenuAction("p", "Télécharger la preuve", "proofs"),
        MenuAction("m", "Mettre à jour les statuts depuis AR24", "refresh", not readonly, why),
        MenuAction("d", "Rechercher par dates (tous les utilisateurs)", "search"),
        MenuAction("i", "Imprimer les lettres papier à imprimer", "print", not readonly, why),
    ]
    return items if in_list else [x for x in items if x.name not in {"open", "search"}]


class LetterActions(ScreenBasics):
    """Shared by the list and the detail: `letter_id()` names the letter an action is about."""

    def letter_id(self) -> str | None:
        raise NotImplementedError

    def run_letter_action(self, name: str) -> bool:
        """True when `name` was one of these actions."""
        if name == "validate":
            self.lsc.action_otp()
        elif name == "refresh":
            self.call_service(
                letter_tracking.refresh, self.ctx, on_result=self._refreshed, group="letters-refresh"
            )
        elif name == "proofs":
            letter_id = self.letter_id()
            if letter_id:
                self.call_service(letter_tracking.download_proof, self.ctx, letter_id, on_result=self._proof,
                                  group="letters-proof")  # fmt: skip
        elif name == "print":
            self.call_service(
                letter_printing.print_batch, self.ctx, on_result=self._printed, group="letters-print"
            )
        else:
            return False
        return True

    def _refreshed(self, report: RefreshReport) -> None:
        self.notify(report.summary(), timeout=5)
        self.reload()

    def _proof(self, path: Path) -> None:
        self.notify(f"Preuve enregistrée : {path}", timeout=10)

    def _printed(self, batch: PrintBatch) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.call_service(letter_printing.mark_printed, self.ctx, list(batch.letter_ids),
                                  on_result=lambda n: (self.notify(f"{n} lettre(s) imprimée(s)."), self.reload()),
                                  group="letters-printed")  # fmt: skip

        question = f"{batch.summary()}\n\nUne fois imprimées, les marquer « Imprimée » ?"
        self.app.push_screen(ConfirmScreen(question, default=False), answered)
