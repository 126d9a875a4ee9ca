"""S9 and O3 at 80×24 on a fresh demo, through the keys a person presses: a fiche says when it expires and
reminds its signers now (`a` `r`); its messages are listed (`a` `m`); one file is cancelled with the firm's
note; the sandbox clock passes the deadline, F5 says « Expiré », `a` `t` reactivates it with a new date;
then a bulk cancel of the pending files (one reason for all, one result per file); a cancelled fiche says
it is final. Also the template form's automatic reminders and message to the signers."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select, Static, TextArea

from lsc_tui.cli.demo import seed_demo
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.store import RecordStore as Store
from lsc_tui.tui.app import create_app
from lsc_tui.tui.screens.actions import ActionMenu
from lsc_tui.tui.screens.batch_progress import BatchProgressScreen
from lsc_tui.tui.screens.cancel_dialog import CancelDialog
from lsc_tui.tui.screens.choice import ChoiceScreen
from lsc_tui.tui.screens.send_report import SendReportScreen
from lsc_tui.tui.screens.signature_detail import SignatureDetailScreen
from lsc_tui.tui.screens.signer_form import TextDialog
from lsc_tui.tui.screens.status_lists import SignaturesScreen
from lsc_tui.tui.screens.template_form import TemplateFormScreen
from tests.fixtures import context
from tests.tui.helpers import running, screen_text, settle

SIZE = (80, 24)


async def open_file(pilot, title: str) -> SignatureDetailScreen:  # type: ignore[no-untyped-def]
    await pilot.press("f6", "slash", *title, "enter", "enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SignatureDetailScreen), screen_text(pilot.app)
    return screen


async def test_remind_report_cancel_expire_reactivate_and_bulk_cancel(tmp_path: Path) -> None:
    ctx = seed_demo(tmp_path / "demo")
    app = create_app(ctx, poll_seconds=0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await open_file(pilot, "lot 18")
        assert "Expire dans" in screen_text(app)
        await pilot.press("a", "r")  # remind now
        await settle(pilot)
        progress = app.screen
        assert isinstance(progress, BatchProgressScreen) and progress.report is not None
        assert progress.report.all_ok and "relance demandée" in screen_text(app)
        await pilot.press("enter", "a", "m")  # this file's messages
        await settle(pilot)
        assert isinstance(app.screen, SendReportScreen)
        text = screen_text(app)
        assert "Relance" in text and "Non confirmé" in text  # YouSign has not said the reminder left
        await pilot.press("escape", "escape")
        await settle(pilot)

        await open_file(pilot, "lot 21")
        await pilot.press("a", "x")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CancelDialog)
        note = dialog.query_one(TextArea).text
        assert "est annulée" in note and "lot 21" in note  # the firm's cancellation message, filled in
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BatchProgressScreen) and app.screen.report.all_ok  # type: ignore[union-attr]
        await pilot.press("enter")
        await settle(pilot)
        assert "Annulée : c'est définitif" in screen_text(app)
        await pilot.press("a")
        await settle(pilot)
        menu = app.screen
        assert isinstance(menu, ActionMenu)
        assert [a.enabled for a in menu.actions if a.name in {"cancel", "remind"}] == [False, False]
        assert "c'est définitif" in screen_text(app)
        await pilot.press("escape", "escape")
        await settle(pilot)

        app.action_demo_clock()  # « Démo : avancer l'horloge de 15 jours »: lot 18 passes its deadline
        await settle(pilot)
        await open_file(pilot, "lot 18")
        await pilot.press("f5")
        await settle(pilot)
        assert "Expiré" in screen_text(app) and "a puis t" in screen_text(app)
        await pilot.press("a", "t")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        await pilot.press("enter")  # the proposed date: 15 days from today
        await settle(pilot)
        assert "Attente signature" in screen_text(app)
        [lot18] = [s for s in ctx.repos.signatures.all() if s.title.endswith("lot 18")]
        assert lot18.status is SignatureStatus.PENDING

        # back to the list, its text filter cleared, then the status filter « Attente signature »
        await pilot.press("escape", "escape", "t")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press(*"Attente", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SignaturesScreen)
        await pilot.press("ctrl+a", "a", "x")
        await settle(pilot)
        dialog = app.screen
        # the demo's signers signed lot 15 when the clock moved: lot 18 is the one file left waiting, so the
        # dialog fills in its message (a selection of several starts empty: tests/integration, bulk cancel)
        assert isinstance(dialog, CancelDialog) and "lot 18" in dialog.query_one(TextArea).text
        dialog.query_one(Select).value = "contractualization_aborted"
        await pilot.press("ctrl+s")
        await settle(pilot)
        progress = app.screen
        assert isinstance(progress, BatchProgressScreen) and progress.report is not None
        results = {r.label: r for r in progress.report.results}
        assert list(results) == ["Avenant au bail — lot 18"] and progress.report.all_ok
        lot18 = ctx.repos.signatures.require(lot18.id)
        assert lot18.status is SignatureStatus.CANCELLED and lot18.reason.startswith("Contractualisation")
        assert running(app)


async def test_template_form_sets_reminders_and_the_signers_message(store: Store) -> None:
    ctx = context(store)
    lease = next(t for t in ctx.repos.templates.all() if t.name == "Bail d'habitation — locataire seul")
    app = create_app(ctx, poll_seconds=0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.push_screen(TemplateFormScreen(lease.id))
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TemplateFormScreen)
        await pilot.press("ctrl+t")
        form.query_one("#signature_note", Input).value = "Merci de signer avant la remise des clés."
        form.query_one("#reminder_interval", Select).value = 7
        form.query_one("#reminder_count", Input).value = "12"
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = form.query_one("#reminders-error", Static)
        assert isinstance(app.screen, TemplateFormScreen) and "de 1 à 10 fois" in str(error.content)
        form.query_one("#reminder_count", Input).value = "3"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, TemplateFormScreen)
    saved = ctx.repos.templates.require(lease.id)
    assert (saved.reminder_interval, saved.reminder_count) == (7, 3)
    assert saved.signature_note == "Merci de signer avant la remise des clés."
