"""Accueil (O1) driven by keys on the seeded agency: the signature block, its preferences saved for one user
only, a refusal announced the moment it arrives, and the counts that open their list."""

from __future__ import annotations

from textual.widgets import Input, Static

from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.store import RecordStore as Store
from lsc_tui.store.repositories import Repos
from lsc_tui.tui.app import create_app
from lsc_tui.tui.screens.accueil import AccueilScreen
from lsc_tui.tui.screens.home_preferences import HomePreferencesScreen
from lsc_tui.tui.screens.signature_detail import SignatureDetailScreen
from lsc_tui.tui.screens.status_lists import LettersScreen
from lsc_tui.tui.widgets.record_list import RecordList
from tests.fixtures import context
from tests.tui.helpers import screen_text, settle

SMALL = (80, 24)


def files_of(app) -> RecordList:  # type: ignore[no-untyped-def]
    return app.screen.query_one("#files", RecordList)


async def test_block_expiring_first_refusal_reason_and_enter_opens_the_file(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, AccueilScreen)
        text = screen_text(app)
        assert "Cabinet Martin Immobilier — signatures" in text
        assert "11 fiches · 1 expire sous 3 jours" in text
        rows = files_of(app).rows
        assert rows[0].cells[0] == "En cours" and rows[0].cells[-1] == "expire dans 2 jours"
        assert rows[0].style == "warning"
        refused = next(i for i, r in enumerate(rows) if r.cells[0] == "Refusé")
        assert rows[refused].style == "warning"
        for _ in range(refused):
            await pilot.press("down")
        # the reason is cut by the column at 80 columns: the line under the list shows it whole
        detail = str(app.screen.query_one("#file-detail", Static).content)
        assert detail.startswith("Refusé : « Avenant — lot 35 » — Le montant du dépôt de garantie")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SignatureDetailScreen)
        assert "Le montant du dépôt de garantie" in screen_text(app)


async def test_preferences_choose_statuses_and_days_for_this_user_only(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, HomePreferencesScreen)
        assert "Signé (4)" in screen_text(app)
        # untick Annulé, Expiré, En cours and En erreur (Signé and Refusé stay), then a wrong number of days
        await pilot.press("tab", "tab", "space", "tab", "space", "tab", "space", "tab", "space", "tab")
        await pilot.press(*"0", "ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert "Nombre de jours de 1 à 3650" in str(dialog.query_one("#signed_days-error", Static).content)
        dialog.query_one("#signed_days", Input).value = ""
        await pilot.press(*"15", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AccueilScreen)
        statuses = sorted(r.cells[0] for r in files_of(app).rows)
        assert statuses == ["Refusé", "Signé", "Signé"]  # signed 7 and 10 days ago; 18 and 38 hidden
        status = str(app.screen.query_one("#home-status", Static).content)
        assert status == "3 fiches · signées depuis plus de 15 j masquées · Tab : changer de bloc"
        counts = [r.key for r in app.screen.query_one("#counts", RecordList).rows]
        assert counts[:2] == ["signature:signed", "signature:declined"] and counts[2].startswith("letter:")
    assert store.get("preferences", "claire")["home"]["signed_days"] == 15
    julien = create_app(context(store, "julien"), poll_seconds=0)
    async with julien.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert len(files_of(julien).rows) == 11


async def test_unticking_every_status_is_refused_in_the_dialog(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        for _ in range(6):
            await pilot.press("space", "tab")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomePreferencesScreen)
        assert "au moins un statut" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AccueilScreen)
    assert store.count("preferences") == 0


async def test_a_refusal_arriving_is_announced_with_its_reason(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        other = context(store, "julien")
        pending = Repos(other.store).signatures.with_status(SignatureStatus.PENDING)[0]
        with other.write() as w:
            w.signatures.set_status(
                pending.id, SignatureStatus.DECLINED, expect_rev=pending.rev, reason="Loyer erroné."
            )
        await pilot.press("f5")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert f"Signature refusée : « {pending.title} » — Loyer erroné." in messages
        assert sum(1 for r in files_of(app).rows if r.cells[0] == "Refusé") == 2


async def test_a_count_opens_its_list(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("tab")  # from the files to the counts
        counts = app.screen.query_one("#counts", RecordList)
        assert counts.has_focus
        index = next(i for i, r in enumerate(counts.rows) if r.key == "letter:to_valid")
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LettersScreen)
        assert len(app.screen.query_one(RecordList).rows) == 12


async def test_a_firm_with_a_million_letters_reads_its_counts_whole_at_80_columns(store: Store) -> None:
    """Seven digits, thousands apart, in the counts column (it showed « 299… » at 1,000,000 letters)."""
    from dataclasses import replace

    from lsc_tui.services import home

    ctx = context(store)
    summary = home.summary(ctx)
    big = replace(
        summary, letters=tuple(replace(c, count=c.count * 100_003 + 999_000) for c in summary.letters)
    )
    app = create_app(ctx, poll_seconds=0, first_summary=big)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        shown = {r.cells[1]: r.cells[2] for r in app.screen.query_one("#counts", RecordList).rows}
        waiting = next(c for c in big.letters if c.status == "to_valid")
        assert shown[waiting.label] == f"{waiting.count:,}".replace(",", " ")
        assert f"{waiting.count:,}".replace(",", " ") in screen_text(app)  # not cut with an ellipsis
