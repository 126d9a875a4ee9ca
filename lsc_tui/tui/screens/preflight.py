"""Récapitulatif des erreurs (S5): what stops the files, one line per problem, each fixed where it stands.

Entrée opens the right form (the signer, the signer's box, or the fiche); ctrl+r puts the suggested value in
place (DEMO step 2: « 06 08 90 41 23 » → « +33608904123 »); after each change the pre-flight runs again, and
when no problem is left the files go at once — the ritual stays F7, `/`, `a`, `s`, ctrl+r. ctrl+s sends the
files that are ready and leaves the others « À envoyer »; Échap sends nothing.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from lsc_tui.domain.preflight import Problem
from lsc_tui.domain.signers import DEFAULT_BOX
from lsc_tui.services import signature_files, signature_send
from lsc_tui.services.listing import Row, rows_of
from lsc_tui.services.signature_send import Checked
from lsc_tui.tui import keys
from lsc_tui.tui.screens.base import ScreenBasics
from lsc_tui.tui.screens.request_placement import RequestPlacementScreen
from lsc_tui.tui.screens.signer_form import SignerFormScreen
from lsc_tui.tui.widgets.record_list import Column, RecordList

SIGNER_FIELDS = {"last_name", "first_name", "email", "phone", "to_complete"}


class ProblemList(RecordList):
    BINDINGS = keys.bindings(k for k in keys.RECORD_LIST if k.id != "list.open") + keys.bindings(
        keys.PREFLIGHT[:1]
    )


class PreflightScreen(ScreenBasics, ModalScreen[list[str] | None]):
    """Answers the ids of the files to send now, or None (nothing sent)."""

    TITLE_FR = "Récapitulatif des erreurs"
    BINDINGS = keys.bindings(keys.PREFLIGHT[1:])
    DEFAULT_CSS = """
    PreflightScreen { align: center middle; }
    PreflightScreen > Vertical { width: 96%; max-width: 130; height: 90%; border: thick $warning;
        background: $surface; padding: 0 1; }
    PreflightScreen #recap-status { height: auto; }
    """

    def __init__(self, checked: list[Checked]) -> None:
        super().__init__()
        self.checked = checked
        self.problems: dict[str, tuple[Checked, Problem]] = {}

    @property
    def ids(self) -> list[str]:
        return [c.request.id for c in self.checked]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                "[b]Récapitulatif des erreurs[/b] — rien n'est envoyé tant qu'il en reste", id="recap-title"
            )
            yield ProblemList(
                [Column("Fiche", 2, 12), Column("Signataire", 2, 12), Column("Problème", 8, 24),
                 Column("Correction", 0, 13, drop=1)],
                tickable=False,
                id="problems",
            )  # fmt: skip
            yield Static("", id="recap-status", markup=False)

    def on_mount(self) -> None:
        self._show(self.checked)
        self.query_one(ProblemList).focus()

    def _show(self, checked: list[Checked]) -> None:
        self.checked = checked
        self.problems = {}
        rows = []
        for c in checked:
            for n, problem in enumerate(c.problems):
                key = f"{c.request.id}:{n}"
                self.problems[key] = (c, problem)
                who = c.request.signers[problem.signer] if problem.signer is not None else None
                name = f"{who.first_name} {who.last_name}".strip() or who.role.label if who else "—"
                message = problem.message.split(" : ", 1)[-1] if who else problem.message
                rows.append(Row(key, (c.request.title, name, message, problem.fix or "—"), "", "warning"))
        self.query_one(ProblemList).set_rows(rows_of(rows))
        ready = sum(1 for c in checked if not c.problems)
        files = len(checked)
        self.query_one("#recap-status", Static).update(
            f"{len(rows)} problème(s) · {ready} fiche(s) prête(s) sur {files} · Entrée : corriger · "
            "ctrl+r : accepter la correction · ctrl+s : envoyer les fiches prêtes · Échap : ne rien envoyer"
        )

    def recheck(self, *_: object) -> None:
        self.call_service(
            signature_send.preflight, self.ctx, self.ids, on_result=self._rechecked, group="check"
        )

    def _rechecked(self, checked: list[Checked]) -> None:
        if not any(c.problems for c in checked):
            self.notify("Plus aucun problème : envoi des fiches.")
            self.dismiss([c.request.id for c in checked])
            return
        self._show(checked)

    def _current(self) -> tuple[Checked, Problem] | None:
        key = self.query_one(ProblemList).current_key
        return self.problems.get(key) if key else None

    def action_accept_fix(self) -> None:
        current = self._current()
        if current is None:
            return
        checked, problem = current
        if not problem.fix:
            self.notify("Pas de correction proposée : Entrée ouvre le formulaire.", severity="warning")
            return
        self.call_service(
            signature_files.accept_fix,
            self.ctx,
            checked.request.id,
            problem,
            expect_rev=checked.request.rev,
            on_result=self.recheck,
            group="fix",
        )

    def on_record_list_opened(self, message: RecordList.Opened) -> None:
        current = self.problems.get(message.key)
        if current is None:
            return
        checked, problem = current
        request = checked.request
        if problem.signer is not None and problem.field in SIGNER_FIELDS:
            self.app.push_screen(SignerFormScreen(request, problem.signer), self.recheck)
        elif problem.signer is not None and problem.field == "placements":
            boxes = request.signers[problem.signer].placements
            box = boxes[0] if boxes else DEFAULT_BOX.evolve(role=request.signers[problem.signer].role)
            self.app.push_screen(
                RequestPlacementScreen(request, problem.signer, box),
                lambda placed: self._place(
                    request.id, problem.signer, 0 if boxes else None, placed, request.rev
                ),
            )
        else:
            from lsc_tui.tui.screens.signature_detail import SignatureDetailScreen

            self.app.push_screen(SignatureDetailScreen(request.id), self.recheck)

    def _place(self, request_id: str, signer: int | None, box: int | None, placed: object, rev: int) -> None:
        if placed is None or signer is None:
            return
        self.call_service(
            signature_files.set_placement, self.ctx, request_id, signer, box, placed, expect_rev=rev,
            on_result=self.recheck, group="fix",
        )  # fmt: skip

    def action_send_ready(self) -> None:
        ready = [c.request.id for c in self.checked if not c.problems]
        if not ready:
            self.notify("Aucune fiche prête : corrigez d'abord les problèmes listés.", severity="warning")
            return
        self.dismiss(ready)

    def action_close(self) -> None:
        self.dismiss(None)
