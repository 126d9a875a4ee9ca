"""The stylesheet is parsed once per set of CSS variables (tui/stylesheet.py), and a theme change still
restyles every screen."""

from __future__ import annotations

import sys
import types
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from textual.css import stylesheet as textual_stylesheet

from lsc_tui.tui.app import create_app, is_status_list
from lsc_tui.tui.screens.events import EventsScreen
from tests.fixtures import context, seeded_store
from tests.tui.helpers import settle


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    counted: Counter[str] = Counter()
    parse = textual_stylesheet.parse

    def noted(scope: str, css: str, read_from: Any, *args: Any, **kwargs: Any) -> Any:
        counted[str(read_from)] += 1
        return parse(scope, css, read_from, *args, **kwargs)

    monkeypatch.setattr(textual_stylesheet, "parse", noted)
    return counted


async def test_each_source_is_parsed_once_and_a_theme_change_restyles(
    parses: Counter[str], tmp_path: Path
) -> None:
    app = create_app(context(seeded_store(tmp_path / "data")), poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, EventsScreen)
        whole = [k for k in parses if ".tcss" in k or "App.DEFAULT_CSS" in k]  # the app-wide sheets
        assert len(whole) == 3 and all(parses[k] == 1 for k in whole)  # Textual alone parsed them 3 times
        before = app.screen.styles.background
        parses.clear()
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await settle(pilot)
        assert app.screen.styles.background != before  # the new theme's variables reached the screen
        assert parses  # parsed again with them


def test_a_status_list_module_being_imported_by_the_warm_up_is_no_crash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """F7 pressed while the warm-up thread imports the status lists: the module is in sys.modules, its class
    not yet defined."""
    half = types.ModuleType("lsc_tui.tui.screens.status_lists")
    monkeypatch.setitem(sys.modules, "lsc_tui.tui.screens.status_lists", half)
    assert is_status_list(object()) is False
