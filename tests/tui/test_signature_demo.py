"""DEMO.md steps 2 and 3 at 80×24, through the keys a salesperson presses, on a fresh demo (its sandbox
mounted in-process, the autopilot signing on the sandbox's clock): F7, `/coloc`, `a`, `s`; the pre-flight
stops on « 06 08 90 41 23 »; ctrl+r accepts « +33608904123 »; the progress bar; « Attente signature »; the
signers sign; F6, F5: « Signé »; the fiche: the signed PDF saved and shown, the boxes where the template put
them, the return event."""

from __future__ import annotations

from pathlib import Path

import httpx
from textual.widgets import Static

from lsc_tui.cli.demo import seed_demo
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.tui.app import create_app
from lsc_tui.tui.screens.batch_progress import BatchProgressScreen
from lsc_tui.tui.screens.event_detail import EventDetailScreen
from lsc_tui.tui.screens.pdf_view import PdfViewScreen
from lsc_tui.tui.screens.preflight import PreflightScreen
from lsc_tui.tui.screens.signature_detail import SignatureDetailScreen
from lsc_tui.tui.screens.signer_form import TextDialog
from lsc_tui.tui.screens.status_lists import SignaturesScreen
from tests.tui.helpers import running, screen_text, settle

LEASE = "Bail colocation — Résidence Les Tilleuls, lot 12"


async def test_demo_steps_2_and_3_at_80x24(tmp_path: Path) -> None:
    ctx = seed_demo(tmp_path / "demo")
    app = create_app(ctx, poll_seconds=0)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f7", "slash", *"coloc", "enter")
        await settle(pilot)
        assert "Bail colocatio" in screen_text(app)  # cut with « … » at 80 columns
        await pilot.press("a", "s")
        await settle(pilot)
        recap = app.screen
        assert isinstance(recap, PreflightScreen), screen_text(app)
        text = screen_text(app)
        assert "06 08 90 41 23" in text and "+33608904123" in text and "1 problème(s)" in text
        await pilot.press("ctrl+r")  # one key accepts the fix; with no problem left the file goes
        await settle(pilot)
        progress = app.screen
        assert isinstance(progress, BatchProgressScreen), screen_text(app)
        assert progress.report is not None and progress.report.all_ok
        assert "Attente signature" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        [lease] = [s for s in ctx.repos.signatures.all() if s.title == LEASE]
        assert lease.status is SignatureStatus.PENDING and lease.signers[1].phone == "+33608904123"

        async with httpx.AsyncClient(
            transport=ctx.providers.transport, base_url="http://sandbox.local"
        ) as http:
            moved = await http.post(
                "/yousign/_sandbox/clock", json={"advance_seconds": 10}
            )  # the autopilot signs
            assert moved.status_code == 200
        await pilot.press("f6", "f5")
        await settle(pilot)
        assert isinstance(app.screen, SignaturesScreen)
        await pilot.press("slash", *"coloc", "enter")
        await settle(pilot)
        assert "Signé" in screen_text(app), screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SignatureDetailScreen)
        text = screen_text(app)
        assert "2 — Signé" in text and "Document signé reçu" in text

        await pilot.press("a", "v")  # Voir le document signé: where to save it, then its first page
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        target = tmp_path / "bail-signe.pdf"
        app.screen.query_one("#text").value = str(target)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PdfViewScreen) and target.read_bytes().startswith(b"%PDF")
        assert "Enregistré" in screen_text(app)
        await pilot.press("escape", "a", "e")  # Voir les emplacements: each signer's box on its page
        await settle(pilot)
        assert isinstance(app.screen, PdfViewScreen)
        await pilot.press("pagedown", "pagedown")
        await settle(pilot)
        view = app.screen
        assert (
            isinstance(view, PdfViewScreen) and view.page == 3
        )  # toasts may cover the corner: read the widgets
        assert "6 emplacement(s) sur cette page" in str(view.query_one("#pdf-status", Static).content)
        await pilot.press("escape", "a", "g")  # the return event, filed with the historisation template
        await settle(pilot)
        assert isinstance(app.screen, EventDetailScreen)
        text = screen_text(app)
        assert "Retour signé" in text and "Historisation" in text
        assert running(app)


async def test_every_seeded_file_has_its_document_and_a_seeded_draft_goes_on_two_keys(tmp_path: Path) -> None:
    """A real file gets its PDF when it is prepared. Seeded « À envoyer » files had none: their fiche flagged
    every box « en page 1 alors que le document a 0 page(s) » and sending them could only fail."""
    ctx = seed_demo(tmp_path / "demo")
    files = ctx.repos.signatures.all()
    assert files and all(f.pdf_path and f.pages for f in files), [f.title for f in files if not f.pages]
    app = create_app(ctx, poll_seconds=0)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f6", "slash", *"lot 9", "enter")
        await settle(pilot)
        assert "À envoyer" in screen_text(app), screen_text(app)
        await pilot.press("a", "s")
        await settle(pilot)
        progress = app.screen
        assert isinstance(progress, BatchProgressScreen), screen_text(app)
        assert progress.report is not None and progress.report.all_ok, screen_text(app)
    [lot9] = [f for f in ctx.repos.signatures.all() if f.title == "Bail d'habitation — lot 9"]
    assert lot9.status is SignatureStatus.PENDING
