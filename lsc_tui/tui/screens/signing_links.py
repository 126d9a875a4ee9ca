"""In person (S11): each signer's signing link, shown to the user once on their own screen. Whoever holds a
link signs, so it is never written — not in the store, not in the log, not in a notification — and it goes
when this screen closes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from lsc_tui.tui import keys


class SigningLinksScreen(ModalScreen[None]):
    BINDINGS = keys.bindings(keys.LINKS)
    DEFAULT_CSS = """
    SigningLinksScreen { align: center middle; }
    SigningLinksScreen > Vertical { width: 100%; max-width: 120; height: auto; max-height: 100%;
        border: thick $warning; background: $surface; padding: 0 1; }
    """

    def __init__(self, links: tuple[tuple[str, str], ...]) -> None:
        super().__init__()
        self._links = links

    def __repr__(self) -> str:  # the links never reach a log through a repr
        return f"SigningLinksScreen({len(self._links)} lien(s))"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Signature en présentiel : ouvrez chaque lien devant son signataire.", markup=False)
            for name, link in self._links:
                yield Static(f"{name} :\n  {link}", markup=False, classes="signing-link")
            yield Static(
                "Ces liens ne sont ni enregistrés ni envoyés. Entrée ou Échap : fermer.", markup=False
            )

    def action_close(self) -> None:
        self.dismiss(None)
