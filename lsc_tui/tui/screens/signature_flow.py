"""« Expédier vers la signature électronique » and « Envoyer », as a person runs them (S1, S5, DEMO step 2).

From F7 (`a` `s` on the ticked events), from F6 (`a` `s` on the ticked files) and from a fiche: the files are
made (events only), the pre-flight runs, the error recap opens when something stops them, and the progress
screen sends them with one line per file. Each step is a service called through the screen's one path
(`call_service`); this class only chains them.
"""

from __future__ import annotations

from collections.abc import Callable

from lsc_tui.services import signature_prepare, signature_send
from lsc_tui.services.batches import BatchReport
from lsc_tui.services.context import AppContext
from lsc_tui.services.signature_prepare import PrepareReport
from lsc_tui.services.signature_send import Checked
from lsc_tui.tui.screens.base import ScreenBasics
from lsc_tui.tui.screens.batch_progress import BatchProgressScreen
from lsc_tui.tui.screens.preflight import PreflightScreen


class SendFlow:
    def __init__(self, screen: ScreenBasics, on_done: Callable[[], object] | None = None) -> None:
        self.screen = screen
        self.on_done = on_done

    @property
    def ctx(self) -> AppContext:
        return self.screen.ctx

    def expedite(self, event_ids: list[str]) -> None:
        """Events → files (chrono, PDF, signers), then the pre-flight."""
        self.screen.call_service(
            signature_prepare.expedite, self.ctx, event_ids, on_result=self._prepared, group="signature-flow"
        )

    def _prepared(self, report: PrepareReport) -> None:
        for title, reason in report.skipped:
            self.screen.notify(f"« {title} » : {reason}", severity="warning", timeout=10)
        if report.files:
            self.check(report.ids)
        elif self.on_done is not None:
            self.on_done()

    def check(self, request_ids: list[str]) -> None:
        """Files → pre-flight → error recap when needed → sending."""
        self.screen.call_service(
            signature_send.preflight, self.ctx, request_ids, on_result=self._checked, group="signature-flow"
        )

    def _checked(self, checked: list[Checked]) -> None:
        if any(c.problems for c in checked):
            self.screen.app.push_screen(PreflightScreen(checked), self._recap_closed)
        else:
            self.send([c.request.id for c in checked])

    def _recap_closed(self, ready: list[str] | None) -> None:
        if ready:
            self.send(ready)
            return
        self.screen.notify("Rien n'a été envoyé : les fiches restent « À envoyer » (F6 Signatures).")
        if self.on_done is not None:
            self.on_done()

    def send(self, request_ids: list[str]) -> None:
        plural = "s" if len(request_ids) > 1 else ""
        title = f"Envoi pour signature — {len(request_ids)} fiche{plural}"
        progress = BatchProgressScreen(
            title, signature_send.send_requests, self.ctx, request_ids, noun="fiche"
        )
        self.screen.app.push_screen(progress, self._sent)

    def _sent(self, report: BatchReport | None) -> None:
        if report is not None and report.total:
            self.screen.notify(
                report.summary("fiche"), severity="information" if report.all_ok else "warning"
            )
        if self.on_done is not None:
            self.on_done()
