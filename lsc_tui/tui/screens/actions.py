"""The `a` menu: each action has its own letter, so a ritual is `a` then one key."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Static


@dataclass(frozen=True)
class MenuAction:
    key: str
    label: str
    name: str
    enabled: bool = True
    reason: str = ""


class ActionMenu(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Fermer", id="menu.close")]
    DEFAULT_CSS = """
    ActionMenu { align: center middle; }
    ActionMenu > Vertical { width: 64; height: auto; border: thick $accent; background: $surface; padding: 1 2; }
    ActionMenu .disabled { color: $text-muted; }
    """

    def __init__(self, title: str, actions: list[MenuAction]) -> None:
        super().__init__()
        self.title_text = title
        self.actions = actions

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{self.title_text}[/b]\n")
            for a in self.actions:
                text = f"  [b]{a.key}[/b]  {a.label}" + (
                    f"  ({a.reason})" if not a.enabled and a.reason else ""
                )
                yield Static(text, classes="" if a.enabled else "disabled", markup=True)
            yield Static("\n  Échap  fermer")

    def on_key(self, event: Key) -> None:
        for a in self.actions:
            if event.character == a.key:
                event.stop()
                if a.enabled:
                    self.dismiss(a.name)
                else:
                    self.notify(a.reason or "Action indisponible.", severity="warning")
                return

    def action_cancel(self) -> None:
        self.dismiss(None)
