"""Command palette: `"groupe : action"` for every screen and every action of the current screen, in French.

The commands are read from the key registry (the bindings active on the screen under the palette, its
palette-only entries, the enabled entries of its `a` menu) so that the palette, F1 and the footer agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets.option_list import Option

from lsc_tui.tui import keys
from lsc_tui.tui.screens.base import ScreenBasics

if TYPE_CHECKING:
    from lsc_tui.tui.app import LscApp

NO_MATCH = "Aucune commande ne correspond."


@dataclass(frozen=True)
class PaletteCommand:
    title: str
    help: str
    run: Callable[[], object]


async def _run(node: DOMNode, action: str) -> None:
    await node.run_action(action)


def screen_commands(app: LscApp, screen: Screen[object]) -> list[PaletteCommand]:
    title = getattr(screen, "TITLE_FR", "") or "Écran"
    out: list[PaletteCommand] = []
    for active in screen.active_bindings.values():
        entry = keys.BY_ID.get(active.binding.id or "")
        if entry is None or entry in keys.APP or not entry.palette or not active.enabled:
            continue
        key = app.get_key_display(active.binding)
        out.append(PaletteCommand(entry.title(title), key, partial(_run, active.node, entry.action)))
    if isinstance(screen, ScreenBasics):
        for entry in screen.PALETTE:
            out.append(PaletteCommand(entry.title(title), "", partial(_run, screen, entry.action)))
        for item in screen.menu_actions():
            if item.enabled:
                name = f"{title} : {item.label[:1].lower()}{item.label[1:]}"
                out.append(PaletteCommand(name, f"a puis {item.key}", partial(screen.run_menu, item.name)))
    return out


def all_commands(app: LscApp) -> list[PaletteCommand]:
    commands = [
        PaletteCommand(k.title(""), app.get_key_display(k.bound(app.keymap)), partial(_run, app, k.action))
        for k in keys.APP
        if k.palette and (not k.demo or app.ctx.demo)
    ]
    # screens without an F-key: their door (« Accueil, j ») as the hint
    commands += [
        PaletteCommand(k.title(""), k.short, partial(_run, app, k.action)) for k in keys.MORE_SCREENS
    ]
    commands += [PaletteCommand(k.title(""), "", partial(_run, app, k.action)) for k in keys.EVERYWHERE]
    # the screen under the palette (the palette itself is the active screen while open)
    for screen in reversed(app.screen_stack):
        if not isinstance(screen, CommandPalette):
            commands += screen_commands(app, screen)
            break
    seen: set[str] = set()
    unique = []
    for cmd in commands:
        if cmd.title.lower() not in seen:
            seen.add(cmd.title.lower())
            unique.append(cmd)
    return unique


class LscCommands(Provider):
    async def discover(self) -> Hits:
        for cmd in all_commands(self.app):  # type: ignore[arg-type]
            yield DiscoveryHit(cmd.title, cmd.run, help=cmd.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for cmd in all_commands(self.app):  # type: ignore[arg-type]
            score = matcher.match(cmd.title)
            if score > 0:
                yield Hit(score, matcher.highlight(cmd.title), cmd.run, help=cmd.help)


class Palette(CommandPalette):
    """Textual's palette, in French: placeholder and « no match » line."""

    def __init__(self) -> None:
        super().__init__(
            placeholder="Chercher une commande… (ex. « tiers », « filtrer »)", id="--command-palette"
        )

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """Textual's countdown with its English line replaced (same timing, same option id)."""
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(NO_MATCH, style="not bold")), disabled=True, id=self._NO_MATCHES)
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
