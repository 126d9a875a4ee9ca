"""Command palette: `"groupe : action"` for every screen and every action of the current screen."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from lsc_tui.tui.screens.base import BaseScreen, PaletteCommand

if TYPE_CHECKING:
    from lsc_tui.tui.app import LscApp


class LscCommands(Provider):
    def _commands(self) -> list[PaletteCommand]:
        app: LscApp = self.app  # type: ignore[assignment]
        commands = [
            PaletteCommand(f"Aller : {title}", f"{key} — ouvrir {title}", partial(app.goto, mode))
            for mode, (title, key) in app.NAVIGATION.items()
        ]
        commands.append(PaletteCommand("Aide : touches de l'écran", "F1", app.action_help))
        commands.append(PaletteCommand("Écran : actualiser", "F5", app.action_refresh))
        # the screen under the palette (the palette itself is the active screen while open)
        for screen in reversed(app.screen_stack):
            if isinstance(screen, BaseScreen):
                commands.extend(screen.palette_commands())
                break
        return commands

    async def discover(self) -> Hits:
        for cmd in self._commands():
            yield DiscoveryHit(cmd.title, cmd.run, help=cmd.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for cmd in self._commands():
            score = matcher.match(cmd.title)
            if score > 0:
                yield Hit(score, matcher.highlight(cmd.title), cmd.run, help=cmd.help)
