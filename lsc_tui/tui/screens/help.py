"""F1: every key of the screen the user is on, read from the live bindings so it can never drift."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

GLOBAL_KEYS = [
    ("F1 / ?", "Aide : les touches de cet écran"),
    ("F2", "Accueil"),
    ("F3", "Tiers"),
    ("F4", "Modèles"),
    ("F5", "Actualiser"),
    ("F6", "Signatures"),
    ("F7", "Événements"),
    ("F8", "Lettres recommandées"),
    ("F9", "Validation OTP"),
    ("ctrl+p", "Palette de commandes « groupe : action »"),
    ("Échap", "Retour, fermer, effacer le filtre"),
    ("ctrl+q", "Quitter"),
]


def screen_keys(screen: Screen[object]) -> list[tuple[str, str]]:
    """(key, description) of every binding active on `screen` that is not a global F-key."""
    seen: set[tuple[str, str]] = set()
    rows: list[tuple[str, str]] = []
    for key, active in screen.active_bindings.items():
        binding: Binding = active.binding
        if (
            binding.action.startswith("app.")
            or (key.startswith("f") and key[1:].isdigit())
            or not binding.description
        ):
            continue
        label = screen.app.get_key_display(binding)
        if (label, binding.description) in seen:
            continue
        seen.add((label, binding.description))
        rows.append((label, binding.description))
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,question_mark,q", "dismiss", "Fermer", id="help.close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 72; max-height: 90%; border: thick $accent; background: $surface; padding: 1 2; }
    """

    def __init__(self, title: str, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.keys = keys

    def compose(self) -> ComposeResult:
        lines = [f"[b]{self.title_text} — touches[/b]", ""]
        lines += [f"  [b]{k:<14}[/b] {d}" for k, d in self.keys]
        lines += ["", "[b]Partout[/b]", ""]
        lines += [f"  [b]{k:<14}[/b] {d}" for k, d in GLOBAL_KEYS]
        with VerticalScroll():
            yield Static("\n".join(lines), id="help-text")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
