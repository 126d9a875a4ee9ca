"""Consommation (O4) driven by keys at 80×24: bars per month for the firm or one group, regrouped with `p`,
the other measure with `m`, a period typed, and the CSV export."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from lsc_tui.store import RecordStore as Store
from lsc_tui.tui.app import create_app
from lsc_tui.tui.screens.accueil import AccueilScreen
from lsc_tui.tui.screens.consumption import ConsumptionScreen
from lsc_tui.tui.screens.export_path import ExportPathScreen
from lsc_tui.tui.widgets.record_list import RecordList
from tests.fixtures import context
from tests.tui.helpers import screen_text, settle

SMALL = (80, 24)


def title(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#chart-title", Static).content)


def chart_line(app, month: str) -> str:  # type: ignore[no-untyped-def]
    return next(line for line in screen_text(app).splitlines() if f"{month} │" in line)


async def test_bars_groups_measures_and_period(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ConsumptionScreen)
        assert title(app) == "Documents signés par mois — Total : 4 (du 01/12/2025 au 23/11/2026)"
        november, october = chart_line(app, "nov. 2026"), chart_line(app, "oct. 2026")
        assert november.rstrip().endswith("█ 3") and october.count("█") * 3 <= november.count("█") + 3
        assert chart_line(app, "déc. 2025").rstrip().endswith("│ 0")
        await pilot.press("p")  # by entity
        await settle(pilot)
        groups = app.screen.query_one(RecordList).rows
        assert [r.cells[0] for r in groups] == [
            "Total",
            "Mandat de gestion — M. et Mme Garnier",
            "Résidence Les Tilleuls",
        ]
        await pilot.press("down", "down")
        assert title(app).startswith("Documents signés par mois — Résidence Les Tilleuls : 2")
        assert chart_line(app, "oct. 2026").rstrip().endswith(" 1")
        await pilot.press("m")
        await settle(pilot)
        assert title(app).startswith("Signatures utilisées par mois — Résidence Les Tilleuls : 4")
        await pilot.press("f")
        since = app.screen.query_one("#since", Input)
        assert since.has_focus
        since.value = ""
        await pilot.press(*"01/11/2026", "enter")
        await settle(pilot)
        assert (
            title(app)
            == "Signatures utilisées par mois — Résidence Les Tilleuls : 2 (du 01/11/2026 au 23/11/2026)"
        )
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AccueilScreen)


async def test_export_what_is_shown(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "conso.csv"
    app = create_app(
        context(store),
        poll_seconds=0,
    )
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportPathScreen) and dialog.what.endswith(
            "par utilisateur, du 01/12/2025 au 23/11/2026"
        )
        box = dialog.query_one(Input)
        assert box.value == "~/consommation-2025-12-01-2026-11-23.csv"
        box.value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConsumptionScreen)
        assert f"24 lignes écrites dans {target}" in [n.message for n in app._notifications]
        assert str(app.screen.query_one("#status", Static).content).startswith(
            f"Exporté : 24 lignes dans {target} · "
        )
        assert (
            target.read_text(encoding="utf-8-sig").splitlines()[-1] == "2026-11;Utilisateur;Claire Martin;3;6"
        )
