"""The letters' other screens through the keys a user presses (C3, C4, L7): Compte AR24 and its payment
methods (linking one to an entity is for administrators), F8's search of any user's letters by dates, and the
paper batch printed from F8 (one PDF, the address in the envelope's window, the letters *imprimée*)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from textual.widgets import Input

from lsc_tui.domain.letters import LetterKind
from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.services import letter_plan, letter_preparing
from lsc_tui.services.batches import Collector
from lsc_tui.store import RecordStore
from lsc_tui.tui.app import LscApp, create_app
from lsc_tui.tui.screens.actions import ActionMenu
from lsc_tui.tui.screens.ar24_settings import Ar24SettingsScreen
from lsc_tui.tui.screens.confirm import ConfirmScreen
from lsc_tui.tui.screens.letter_search import LetterSearchScreen
from lsc_tui.tui.screens.status_lists import LettersScreen
from lsc_tui.tui.widgets.record_list import RecordList
from tests.conftest import ServedSandbox, serve_sandbox
from tests.fixtures import context
from tests.letters.letters_kit import accounts_for, convocations, letters_ctx, served
from tests.tui.helpers import screen_text, settle

SMALL = (80, 24)
MM = 72 / 25.4


@pytest.fixture
def sandbox(store: RecordStore) -> Iterator[ServedSandbox]:
    """The agency's AR24 account, and Julien's linked too, with the firm's two SEPA mandates."""
    accounts = copy.deepcopy(accounts_for(store))
    julien = accounts["ar24"]["users"][1]
    julien["access_granted"] = True
    julien["payment_methods"] = copy.deepcopy(accounts["ar24"]["users"][0]["payment_methods"])
    yield from serve_sandbox(accounts)


async def open_ar24_account(app: LscApp, pilot: object) -> Ar24SettingsScreen:
    """Palette « Réglages : compte AR24 et moyens de paiement », as a user reaches it."""
    await pilot.press("ctrl+p")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press(*"compte AR24")  # type: ignore[attr-defined]
    await app.screen.workers.wait_for_complete()
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    screen = app.screen
    assert isinstance(screen, Ar24SettingsScreen)
    return screen


async def test_an_administrator_links_a_payment_method_to_an_entity(
    store: RecordStore, sandbox: ServedSandbox
) -> None:
    ctx = letters_ctx(store, sandbox)
    vignes = next(e for e in ctx.repos.entities.all() if e.name == "Le Clos des Vignes")
    app = create_app(ctx, poll_seconds=0)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        screen = await open_ar24_account(app, pilot)
        text = screen_text(app)
        assert "Lien : ACTIF (compte AR24 n° 63161" in text and "Notifications AR24 : aucune adresse" in text
        assert screen.query_one("#ar24-email", Input).value == "claire.martin@cabinet-martin.example"

        await pilot.press("ctrl+r")  # the methods AR24 knows for the account
        await settle(pilot)
        await pilot.press("tab", "tab")  # email, notifications address, then the entities
        entities = screen.query_one("#ar24-entities", RecordList)
        assert app.focused is entities
        entities.cursor = next(i for i, r in enumerate(entities.rows) if r.key == vignes.id)
        await pilot.press("enter")
        await settle(pilot)
        menu = app.screen
        assert isinstance(menu, ActionMenu)
        assert [a.label for a in menu.actions] == [
            "SEPA — Résidence Les Tilleuls",
            "SEPA — Le Clos des Vignes",
        ]
        await pilot.press("2")
        await settle(pilot)
        assert app.screen is screen
        row = next(r for r in entities.rows if r.key == vignes.id)
        assert row.cells[1] == "SEPA — Le Clos des Vignes"

        # the notifications address, typed and saved with ctrl+s: shown with its token masked
        screen.query_one("#ar24-webhook", Input).value = "https://hooks.cabinet-martin.example"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "AR24 notifiera : https://hooks.cabinet-martin.example/ar24/" in screen_text(app)
    assert ctx.repos.entities.require(vignes.id).payment_method_id == "7102"
    assert ctx.repos.settings.section("ar24")["webhook_url"] == "https://hooks.cabinet-martin.example"


async def test_staff_see_the_methods_but_cannot_link_them(store: RecordStore, sandbox: ServedSandbox) -> None:
    ctx = letters_ctx(store, sandbox, login="julien")
    before = {e.id: e.payment_method_id for e in ctx.repos.entities.all()}
    app = create_app(ctx, poll_seconds=0)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        screen = await open_ar24_account(app, pilot)
        assert screen.query_one("#ar24-webhook", Input).disabled  # the address is the administrators'
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("tab")
        assert app.focused is screen.query_one("#ar24-entities", RecordList)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen  # no menu: the choice is not theirs
        assert "réservé aux administrateurs" in screen_text(app)
    assert {e.id: e.payment_method_id for e in ctx.repos.entities.all()} == before


async def test_f8_finds_another_users_letters_by_dates(store: RecordStore) -> None:
    app = create_app(context(store, "julien"), poll_seconds=0)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, LettersScreen)
        await pilot.press("a", "d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, LetterSearchScreen)
        for field, value in (("#start", "01/11/2026"), ("#end", "10/11/2026"), ("#login", "claire")):
            dialog.query_one(field, Input).value = value
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LettersScreen)
        rows = screen.query_one(RecordList).rows
        assert sorted(r.cells[0] for r in rows) == ["AR reçu", "Négligée", "Refusée"]  # claire's, 3–6 Nov
        assert "lettres de claire du 01/11/2026 au 10/11/2026" in screen_text(app)
        await pilot.press("slash", *"refus", "enter")  # the list's filter narrows the found letters
        await settle(pilot)
        assert [r.cells[0] for r in screen.query_one(RecordList).rows] == ["Refusée"]

        await pilot.press("escape", "escape")  # the filter, then the search
        await settle(pilot)
        await pilot.press("a", "d")
        await settle(pilot)
        app.screen.query_one("#login", Input).value = "julien"
        await pilot.press("enter")
        await settle(pilot)
        assert len(screen.query_one(RecordList).rows) == 0  # julien sent nothing


def window_lines(page: object) -> list[str]:
    """The text drawn where a right-window envelope shows the address (110 mm from the left, 50–95 mm from
    the top of an A4 sheet)."""
    found: list[str] = []
    height = float(page.mediabox.height)  # type: ignore[attr-defined]

    def visit(text: str, cm: object, tm: list[float], *_: object) -> None:
        x, y = tm[4], height - tm[5]
        if text.strip() and 105 * MM <= x <= 125 * MM and 48 * MM <= y <= 96 * MM:
            found.append(text.strip())

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return found


async def test_the_paper_batch_prints_from_f8(store: RecordStore) -> None:
    for sandbox in served(store, paper=False):
        ctx = letters_ctx(store, sandbox)
        events = convocations(ctx)[:3]
        options = letter_plan.SendOptions(LetterKind.PAPER)
        assert (await letter_preparing.prepare(ctx, events, options, Collector())).all_ok
        letters = ctx.repos.letters.for_events(events)
        app = create_app(ctx, poll_seconds=0)
        async with app.run_test(size=SMALL) as pilot:
            await settle(pilot)
            await pilot.press("f8")
            await settle(pilot)
            await pilot.press("a", "i")
            await settle(pilot)
            question = app.screen
            assert isinstance(question, ConfirmScreen)
            assert "3 lettre(s) papier prête(s) à imprimer" in screen_text(app)
            path = Path(str(question.question).split(" : ", 1)[1].split("\n", 1)[0])
            await pilot.press("o")  # printed: mark them so
            await settle(pilot)
            assert isinstance(app.screen, LettersScreen)
        pages = PdfReader(path).pages
        assert len(pages) == 6  # per letter: the cover sheet, then the one-page letter
        for n, letter in enumerate(sorted(letters, key=lambda x: (x.chrono, x.recipient_name))):
            shown = window_lines(pages[2 * n])
            city = f"{letter.recipient_address[2]} {letter.recipient_address[3]}".upper()
            assert shown[0] == letter.recipient_name and shown[-1] == city, shown
        assert {x.status for x in ctx.repos.letters.for_events(events)} == {LetterStatus.PRINTED}
