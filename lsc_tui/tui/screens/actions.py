"""The `a` menu: each action has its own letter, so a ritual is `a` then one key.

Actions not built yet are listed greyed with the reason, and their letter says so: no key may do nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Static

from lsc_tui.tui import keys
from lsc_tui.tui.text import markup

REASON_INLINE = 56
"""Label and reason on one line up to this many characters (the menu is 72 wide at most)."""


@dataclass(frozen=True)
class MenuAction:
    key: str
    label: str
    name: str
    enabled: bool = True
    reason: str = ""


class ActionMenu(ModalScreen[str | None]):
    BINDINGS = keys.bindings(keys.MENU)
    DEFAULT_CSS = """
    ActionMenu { align: center middle; }
    ActionMenu > Vertical { width: 72; max-width: 100%; height: auto; border: thick $accent;
                            background: $surface; padding: 1 2; }
    ActionMenu .disabled { color: $text-muted; }
    """

    def __init__(self, title: str, actions: list[MenuAction]) -> None:
        """`title` may carry user text (the record's name): it is shown as typed."""
        super().__init__()
        self.title_text = title
        self.actions = actions

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(markup("[b]$title[/b]\n", title=self.title_text), id="menu-title")
            for a in self.actions:
                line = markup("  [b]$key[/b]  $label", key=a.key, label=a.label)
                if not a.enabled and a.reason:
                    # on the same line when it fits an 80-column terminal, else under the action
                    inline = len(a.label) + len(a.reason) <= REASON_INLINE
                    line += markup("  ($reason)" if inline else "\n       ($reason)", reason=a.reason)
                yield Static(line, classes="" if a.enabled else "disabled")
            yield Static("\n  Échap  fermer", markup=False)

    def on_key(self, event: Key) -> None:
        for a in self.actions:
            if event.character == a.key:
                event.stop()
                if a.enabled:
                    self.dismiss(a.name)
                else:
                    self.notify(a.reason or "Action indisponible.", severity="warning", markup=False)
                return

    def action_cancel(self) -> None:
        self.dismiss(None)
