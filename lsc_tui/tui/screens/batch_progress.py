"""A batch in progress: a bar, one line per item as it ends, and a way to stop that loses nothing.

The batch is a service function taking a `Progress`; it runs in a worker (`call_service`) and reports from
whatever thread it runs on, so every report is handed to the UI thread before it touches a widget. Escape
during the batch asks it to stop after the items in flight (the service says which were left); once it has
ended, Enter or Escape closes the screen with the report.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static

from lsc_tui.services.batches import BatchReport, ItemResult
from lsc_tui.services.listing import Row, rows_of
from lsc_tui.tui import keys
from lsc_tui.tui.screens.base import ScreenBasics
from lsc_tui.tui.text import safe
from lsc_tui.tui.widgets.record_list import Column, RecordList


class _ScreenProgress:
    """The `Progress` a batch service sees: thread-safe, every UI change made on the UI thread."""

    def __init__(self, screen: BatchProgressScreen) -> None:
        self._screen = screen
        self._cancel = threading.Event()

    def _on_ui(self, fn: Callable[..., Any], *args: Any) -> None:
        app = self._screen.app
        if threading.get_ident() == app._thread_id:  # an async worker runs on the UI thread's loop
            fn(*args)
        else:
            app.call_from_thread(fn, *args)

    def started(self, total: int) -> None:
        self._on_ui(self._screen.set_total, total)

    def done(self, result: ItemResult) -> None:
        self._on_ui(self._screen.add_result, result)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class BatchProgressScreen(ScreenBasics, ModalScreen[BatchReport | None]):
    BINDINGS = keys.bindings(keys.BATCH)
    DEFAULT_CSS = """
    BatchProgressScreen { align: center middle; }
    BatchProgressScreen > Vertical { width: 90%; max-width: 110; height: 80%; border: thick $accent;
        background: $surface; padding: 0 1; }
    BatchProgressScreen ProgressBar { margin: 1 0; }
    BatchProgressScreen #batch-status { height: auto; }
    """

    def __init__(self, title: str, job: Callable[..., Any], *args: Any, noun: str = "élément") -> None:
        """`job(*args, progress)`: a batch service; its `Progress` comes last."""
        super().__init__()
        self.title_text = title
        self.job = job
        self.args = args
        self.noun = noun
        self.progress = _ScreenProgress(self)
        self.results: list[Row] = []
        self.report: BatchReport | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe(self.title_text), markup=False, id="batch-title")
            yield ProgressBar(total=None, show_eta=False, id="batch-bar")
            yield RecordList(
                [Column("Résultat", 0, 8), Column("Élément", 3, 20), Column("Détail", 5, 20)],
                tickable=False,
                id="batch-results",
            )
            yield Static(
                "En cours… Échap : arrêter après les envois en cours.", id="batch-status", markup=False
            )

    def on_mount(self) -> None:
        self.call_service(
            self.job, *self.args, self.progress, on_result=self._finished, on_error=self._failed
        )

    # ---- reports (UI thread) -----------------------------------------------------------------------------

    def set_total(self, total: int) -> None:
        self.query_one(ProgressBar).update(total=total, progress=0)

    def add_result(self, result: ItemResult) -> None:
        mark = "ok" if result.ok else "ERREUR"
        self.results.append(
            Row(result.key, (mark, result.label, result.message), "", "" if result.ok else "warning")
        )
        self.query_one(RecordList).set_rows(rows_of(list(self.results)))
        self.query_one(ProgressBar).advance(1)

    def _finished(self, report: BatchReport) -> None:
        self.report = report
        self.query_one("#batch-status", Static).update(f"{report.summary(self.noun)}. Entrée : fermer.")

    def _failed(self, error: Any) -> None:
        self.report = BatchReport(results=[], total=0, cancelled=True)
        self.query_one("#batch-status", Static).update(f"{error.message} Entrée : fermer.")

    # ---- keys --------------------------------------------------------------------------------------------

    def action_stop_or_close(self) -> None:
        if self.report is not None:
            self.dismiss(self.report)
            return
        self.progress.cancel()
        self.query_one("#batch-status", Static).update("Arrêt demandé : les envois en cours se terminent…")

    def action_close(self) -> None:
        if self.report is not None:
            self.dismiss(self.report)
