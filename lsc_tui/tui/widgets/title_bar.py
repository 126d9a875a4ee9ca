"""The top line of every screen: « lsc-tui — Claire Martin (admin) — ~/agence — Accueil ».

Textual's Header is four widgets (icon, title, clock space, and itself) restyled on every screen's first show;
staff never used its icon or its tall mode. This is one widget that draws the app's title and the screen's
sub-title as Textual's header does (the sub-title dim), centred, and redraws when either changes.
"""

from __future__ import annotations

from textual.app import RenderResult
from textual.widget import Widget


class TitleBar(Widget, can_focus=False):
    ALLOW_SELECT = False
    DEFAULT_CSS = """
    TitleBar { dock: top; width: 100%; height: 1; background: $panel; color: $foreground;
               content-align: center middle; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def on_mount(self) -> None:
        for node in (self.app, self.screen):
            self.watch(node, "title", self._changed, init=False)
            self.watch(node, "sub_title", self._changed, init=False)

    def _changed(self) -> None:
        self.refresh()

    def render(self) -> RenderResult:
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        return app.format_title(title, sub_title)
