"""A read-only detail (a signature file, a registered letter): every field, Escape back, `a` its actions.

The actions that need a provider arrive with their modules; until then the menu lists them greyed with the
reason, so the `a` of the footer always answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from lsc_tui.tui import keys
from lsc_tui.tui.screens.actions import ActionMenu
from lsc_tui.tui.screens.base import BaseScreen
from lsc_tui.tui.text import markup

LABEL_WIDTH = 24


def when(iso: str) -> str:
    """« 2026-11-23 09:30 » from a stored ISO date, « — » when there is none."""
    return iso[:16].replace("T", " ") if iso else "—"


def field(label: str, value: object, bold: bool = False) -> Content:
    template = "$label [b]$value[/b]" if bold else "$label $value"
    return markup(template, label=f"{label:<{LABEL_WIDTH}}", value=value if value not in ("", None) else "—")


class RecordDetailScreen(BaseScreen):
    BINDINGS = keys.bindings(keys.RECORD_DETAIL)
    SERVICE: ClassVar[Callable[..., Any]]
    """The service reading the record (`staticmethod(signatures.detail)`)."""

    def __init__(self, record_id: str) -> None:
        super().__init__()
        self.record_id = record_id
        self.record: Any = None

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(classes="detail"):
            yield Static("Lecture…", id="detail", markup=False)

    def reload(self) -> None:
        self.call_service(type(self).SERVICE, self.ctx, self.record_id, on_result=self._show, group="detail")

    def _show(self, record: Any) -> None:
        self.record = record
        self.query_one("#detail", Static).update(Content("\n").join(self.lines(record)))

    def lines(self, record: Any) -> list[Content]:
        raise NotImplementedError

    def record_name(self) -> str:
        """What the menu's title says (the record's title or recipient)."""
        return ""

    def action_actions(self) -> None:
        if self.record is None:
            return
        actions = [a for a in self.menu_actions() if a.name != "open"]
        self.app.push_screen(ActionMenu(self.record_name(), actions), self._menu_done)

    def _menu_done(self, name: str | None) -> None:
        if name is not None:
            self.run_menu(name)
