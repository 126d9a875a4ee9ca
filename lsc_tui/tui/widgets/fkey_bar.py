"""The F-key row under the footer: F1 Aide F2 Accueil … always visible, at 80 columns too.

Staff come from a suite driven by function keys; Textual's footer put them after the screen's own keys, so
even 120 columns stopped at « f5 Actualise ». Here they have their own line, built from the key registry and
the user's keymap, in the widest wording that fits the terminal.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from lsc_tui.tui.keys import APP, Key

BAR = tuple(k for k in APP if k.id not in {"app.help_alt"} and k.key)  # palette-only entries have no key
WIDE = {"app.lettres": "Lettres", "app.otp": "OTP"}
TINY = {"app.refresh": "Actu", "app.signatures": "Signat", "app.evenements": "Événem"}
SEP = " "


class FKeyBar(Widget):
    COMPONENT_CLASSES = {"fkey-bar--key"}
    DEFAULT_CSS = """
    FKeyBar { height: 1; background: $panel; color: $text-muted; }
    FKeyBar > .fkey-bar--key { color: $text; background: $primary 40%; text-style: bold; }
    """

    def _key(self, k: Key) -> str:
        return self.app.get_key_display(k.bound(getattr(self.app, "keymap", {})))

    def variants(self) -> list[list[tuple[str, str, str]]]:
        """(key, gap, label) per entry, widest first: full labels (130 columns), short ones (120), then the
        F-keys alone, each key against its label (80)."""
        fkeys = [k for k in BAR if k.key.startswith("f")]
        return [
            [(self._key(k), " ", WIDE.get(k.id, k.label)) for k in BAR],
            [(self._key(k), " ", k.short or k.label) for k in BAR],
            [(self._key(k), "", TINY.get(k.id, k.short or k.label)) for k in fkeys],
        ]

    def render(self) -> Text:
        width = self.size.width
        key_style = self.get_component_rich_style("fkey-bar--key")
        for entries in self.variants():
            if cell_len(SEP.join(f"{k}{gap}{label}" for k, gap, label in entries)) <= width - 1:
                break
        text = Text(" ", no_wrap=True, overflow="crop")
        for n, (key, gap, label) in enumerate(entries):
            if n:
                text.append(SEP)
            text.append(key, key_style)
            text.append(f"{gap}{label}")
        return text
