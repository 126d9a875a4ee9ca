"""F1: every key of the screen the user is on, read from its live bindings and worded by the key registry.

Only our own bindings are listed (with the key the user's keymap gives them); Textual's built-in ones would
show in English (« Copy selected text », « super+c »…), so the few that matter are said here in French.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from lsc_tui.tui import keys
from lsc_tui.tui.text import markup

BUILT_IN = [
    ("Échap", "Retour, fermer une fenêtre, effacer le filtre"),
    ("Tab / Maj+Tab", "Champ suivant / précédent"),
    ("ctrl+c", "Copier"),
]


def screen_keys(screen: Screen[object]) -> list[tuple[str, str]]:
    """(key, what it does) of every registry binding active on `screen`, global keys excepted."""
    rows: list[tuple[str, str]] = []
    for _key, active in screen.active_bindings.items():
        binding: Binding = active.binding
        entry = keys.BY_ID.get(binding.id or "")
        if entry is None or entry in keys.APP or not entry.help:
            continue
        row = (screen.app.get_key_display(binding), entry.label)
        if row not in rows:
            rows.append(row)
    return rows


def global_keys(keymap: dict[str, str], display: Callable[[Binding], str]) -> list[tuple[str, str]]:
    """The keys of every screen, with the user's keymap applied."""
    rows = []
    for entry in keys.APP:
        if not entry.help:
            continue
        label = entry.command.split(" : ", 1)[-1] if entry.command else entry.label
        shown = display(entry.bound(keymap))
        if entry.id == "app.help":
            shown += " / " + display(keys.BY_ID["app.help_alt"].bound(keymap))
            label = "Aide : les touches de cet écran"
        elif entry.id == "app.palette":
            label = "Palette de commandes « groupe : action »"
        rows.append((shown, label[:1].upper() + label[1:]))
    return rows + BUILT_IN


class HelpScreen(ModalScreen[None]):
    BINDINGS = keys.bindings(keys.HELP)
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 76; max-width: 100%; max-height: 90%; border: thick $accent;
                                  background: $surface; padding: 1 2; }
    """

    def __init__(self, title: str, own: list[tuple[str, str]], everywhere: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.own = own
        self.everywhere = everywhere

    def compose(self) -> ComposeResult:
        lines = [markup("[b]$title — touches[/b]\n", title=self.title_text)]
        lines += [markup("  [b]$key[/b] $label", key=f"{k:<14}", label=d) for k, d in self.own]
        lines.append(markup("\n[b]Partout[/b]\n"))
        lines += [markup("  [b]$key[/b] $label", key=f"{k:<14}", label=d) for k, d in self.everywhere]
        with VerticalScroll():
            yield Static(Content("\n").join(lines), id="help-text")

    def action_close(self) -> None:
        self.dismiss(None)
