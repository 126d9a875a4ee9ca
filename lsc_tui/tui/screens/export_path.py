"""« Exporter en CSV » : the user types where the file goes (Enter writes, Escape cancels). Answers the typed
path, or None; the service says where it wrote, or why it could not, in one sentence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from lsc_tui.domain.errors import ExplainedError
from lsc_tui.services import exports
from lsc_tui.tui import keys
from lsc_tui.tui.screens.base import ScreenBasics
from lsc_tui.tui.screens.confirm import ConfirmScreen
from lsc_tui.tui.text import markup


class ExportPathScreen(ModalScreen[str | None]):
    BINDINGS = keys.bindings(keys.EXPORT)
    DEFAULT_CSS = """
    ExportPathScreen { align: center middle; }
    ExportPathScreen > Vertical { width: 72; max-width: 100%; height: auto; border: thick $accent;
                                  background: $surface; padding: 1 2; }
    ExportPathScreen Input { margin: 1 0; }
    """

    def __init__(self, title: str, what: str, default: str) -> None:
        """`what` says what will be written (« 1 234 lignes du journal, filtre : … »): user text allowed."""
        super().__init__()
        self.title_text = title
        self.what = what
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(markup("[b]$title[/b]\n$what", title=self.title_text, what=self.what))
            yield Input(self.default, id="path", placeholder="~/export.csv")
            yield Static(
                "Fichier CSV (« ; », UTF-8), lisible par vous et votre groupe seulement.\n"
                "Entrée : écrire · Échap : annuler",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


def export_with_dialog(
    screen: ScreenBasics,
    title: str,
    what: str,
    default: str,
    write: Callable[..., exports.Export],
    *args: Any,
    done: Callable[[exports.Export], object] | None = None,
) -> None:
    """Ask for the path, call `write(*args, path, overwrite=…)` off the UI thread, ask before writing over a
    file, and say where the file went (`done` gets the result too)."""

    def written(result: exports.Export) -> None:
        screen.notify(
            f"{result.rows} ligne{'s' if result.rows > 1 else ''} écrite{'s' if result.rows > 1 else ''} dans {result.path}"
        )
        if done is not None:
            done(result)

    def run(path: str, overwrite: bool) -> None:
        screen.call_service(
            write, *args, path, overwrite=overwrite, on_result=written, on_error=refused, group="export"
        )

    def refused(error: ExplainedError) -> None:
        if isinstance(error, exports.FileExists):
            screen.app.push_screen(
                ConfirmScreen(f"{error.path} existe déjà. L'écraser ?", default=False),
                lambda yes: run(str(error.path), True) if yes else None,
            )
        else:
            screen.notify_error(error.message)

    def chosen(path: str | None) -> None:
        if path is not None:
            run(path, False)

    screen.app.push_screen(ExportPathScreen(title, what, default), chosen)
