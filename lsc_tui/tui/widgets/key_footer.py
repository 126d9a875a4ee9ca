"""The screen's own keys on one line, above the F-key row: « Entrée Ouvrir / Filtrer a Actions … ».

Textual's Footer makes a widget per key and composes them again whenever the bindings change (each focus
move): on Accueil that was a quarter of the start, and every screen paid it again on its first show. Here the
line is one widget that draws itself from the screen's active bindings; a click on a key presses it, as with
Textual's footer.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class KeyFooter(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-footer--key", "key-footer--disabled"}
    DEFAULT_CSS = """
    KeyFooter { height: 1; background: $footer-background; color: $footer-foreground; }
    KeyFooter > .key-footer--key { color: $footer-key-foreground; background: $footer-key-background;
                                   text-style: bold; }
    KeyFooter > .key-footer--disabled { text-style: dim; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[int, int, str, bool]] = []
        """(first column, end column, key, enabled) of each key drawn: what a click presses."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.refresh()

    def entries(self) -> list[tuple[str, str, str, bool]]:
        """(key, key as shown, description, enabled) of the shown bindings, one per action (the first
        bound), in the order the bindings chain gives them: the focused widget's first, as Textual's."""
        seen: set[str] = set()
        out = []
        for binding, enabled in (
            (active.binding, active.enabled) for active in self.screen.active_bindings.values()
        ):
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            out.append((binding.key, self.app.get_key_display(binding), binding.description, enabled))
        return out

    def line(self) -> Text:
        """The whole line, uncropped (`overflows` compares it to the width)."""
        key_style = self.get_component_rich_style("key-footer--key")
        dim = self.get_component_rich_style("key-footer--disabled")
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        spans = []
        for n, (key, shown, description, enabled) in enumerate(self.entries()):
            if n:
                text.append(" ")
            start = text.cell_len
            text.append(shown, key_style + dim if not enabled else key_style)
            if description:
                text.append(f" {description}", dim if not enabled else None)
            spans.append((start, text.cell_len, key, enabled))
        self._spans = spans
        return text

    @property
    def overflows(self) -> bool:
        """The keys do not all fit the terminal's width (the tests hold every screen to 80 columns)."""
        return cell_len(self.line().plain) > self.size.width

    def render(self) -> Text:
        return self.line()

    def on_click(self, event: events.Click) -> None:
        at = event.get_content_offset(self)  # the line starts after the padding
        for start, end, key, enabled in self._spans if at else ():
            if start <= at.x < end:
                event.stop()
                if enabled:
                    self.app.simulate_key(key)
                else:
                    self.app.bell()
                return
