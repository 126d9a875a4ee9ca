"""O3 at 80×24 on a fresh demo: Accueil `r` opens the « Rapport des envois »; every invitation of the demo's
sent files is listed with what YouSign said; the line under the list explains the message under the cursor;
`t` keeps one outcome; `e` exports what is shown; Enter opens the signature file."""

from __future__ import annotations

import csv
from pathlib import Path

from textual.widgets import Input, Static

from lsc_tui.cli.demo import seed_demo
from lsc_tui.services import deliveries
from lsc_tui.tui.app import create_app
from lsc_tui.tui.screens.choice import ChoiceScreen
from lsc_tui.tui.screens.export_path import ExportPathScreen
from lsc_tui.tui.screens.send_report import SendReportScreen
from lsc_tui.tui.screens.signature_detail import SignatureDetailScreen
from tests.tui.helpers import running, screen_text, settle

SIZE = (80, 24)


async def test_accueil_r_lists_filters_explains_exports_and_opens(tmp_path: Path) -> None:
    ctx = seed_demo(tmp_path / "demo")
    sent = [
        d for d in ctx.repos.deliveries.for_requests([s.id for s in ctx.repos.signatures.all()]).values() if d
    ]
    total = sum(len(rows) for rows in sent)
    assert total > 0
    app = create_app(ctx, poll_seconds=0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f2", "r")
        await settle(pilot)
        report = app.screen
        assert isinstance(report, SendReportScreen), screen_text(app)
        assert len(report.shown) == total
        text = screen_text(app)
        assert "Invitation" in text and "Envoyé" in text
        # the line under the list: what the provider said of the message under the cursor, and who asked
        current = ctx.repos.deliveries.require(report.record_list.current_key or "")
        assert str(report.query_one("#send-detail", Static).content) == deliveries.explain(current)

        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press(*"Inconnu", "enter")
        await settle(pilot)
        unknown = sum(1 for rows in sent for d in rows if d.outcome == "unknown")
        assert len(report.shown) == unknown and "Inconnu seulement" in screen_text(app)

        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportPathScreen)
        target = tmp_path / "envois.csv"
        dialog.query_one(Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        with open(target, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f, delimiter=";"))
        assert len(rows) == 1 + unknown and all(r[5] == "Inconnu" for r in rows[1:])

        await pilot.press("escape")  # back to every outcome
        await settle(pilot)
        assert len(report.shown) == total
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SignatureDetailScreen)
        assert running(app)
