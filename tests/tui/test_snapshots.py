"""SVG snapshots of the main screens at 120×40 and 80×24 (issue #8 §3): what a user sees, on the seeded store
with the fixed clock, so a change of layout shows as a picture in review.

Deterministic by construction: FIXED_NOW, a fixed store label instead of the temp dir, no clock in the
header, no user keymap, cursors that do not blink. Update after an intended change with
`pytest tests/tui/test_snapshots.py --snapshot-update`, then look at the SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from lsc_tui.tui.app import LscApp, create_app
from tests.fixtures import context, seeded_store
from tests.tui.helpers import settle

SIZES = {"120x40": (120, 40), "80x24": (80, 24)}
SCREENS: dict[str, tuple[str, ...]] = {
    "accueil": (),
    "evenements": ("f7",),
    "tiers": ("f3",),
    "fiche_tiers": ("f3", "slash", *"fontaine hugo", "enter", "enter"),
    "modeles": ("f4",),
    "modele": ("f4", "slash", *"coloc", "enter", "enter"),
    "signatures": ("f6",),
    "lettres": ("f8",),
    "aide": ("f7", "f1"),
}


def app_for(tmp_path: Path) -> LscApp:
    return create_app(context(seeded_store(tmp_path / "data")), poll_seconds=0, store_label="démo")


def reach(keys: tuple[str, ...]) -> Callable[[Pilot[object]], Awaitable[None]]:
    """Press `keys` as a user would, waiting for each answer; then stop every cursor from blinking."""

    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        for widget in pilot.app.screen.query("Input, TextArea"):
            if isinstance(widget, Input | TextArea):
                widget.cursor_blink = False
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", SCREENS)
def test_screen(screen: str, size: str, snap_compare: Callable[..., bool], tmp_path: Path) -> None:
    assert snap_compare(app_for(tmp_path), terminal_size=SIZES[size], run_before=reach(SCREENS[screen]))
