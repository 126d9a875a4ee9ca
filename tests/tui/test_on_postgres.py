"""The same screens on a PostgreSQL store (issue #8: the TUI tests run on both backends in CI)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lsc_tui.services.demo import seed
from lsc_tui.store import RecordStore, open_store
from lsc_tui.tui.app import create_app
from lsc_tui.tui.screens.event_detail import EventDetailScreen
from lsc_tui.tui.screens.events import EventsScreen
from lsc_tui.tui.screens.otp_validation import OtpScreen
from lsc_tui.tui.screens.party_form import PartyFormScreen
from lsc_tui.tui.widgets.record_list import RecordList
from tests.fixtures import FIXED_NOW, context
from tests.tui.helpers import running, screen_text, settle

SIZE = (120, 40)


@pytest.fixture
def pg_store(pg_url: str) -> RecordStore:
    store = open_store(pg_url, create=True)
    seed(store, FIXED_NOW)
    return store


async def test_events_filter_tick_open_and_f9_on_postgres(pg_store: RecordStore, tmp_path: Path) -> None:
    app = create_app(context(pg_store, data_dir=tmp_path), poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "12" in screen_text(app)  # Accueil: letters waiting for OTP
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, EventsScreen)
        assert len(app.screen.query_one(RecordList).rows) == 53
        await pilot.press("slash", *"tilleul coloc", "enter")
        await settle(pilot)
        rows = app.screen.query_one(RecordList).rows
        assert len(rows) == 1 and rows[0].cells[2].startswith("Bail colocation")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EventDetailScreen) and "MOREAU" in screen_text(app)
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, OtpScreen) and sum(len(g.letters) for g in app.screen.groups) == 12
        assert running(app)


async def test_a_party_saved_on_postgres_is_seen_by_another_session(
    pg_store: RecordStore, pg_url: str, tmp_path: Path
) -> None:
    app = create_app(context(pg_store, data_dir=tmp_path), poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("slash", *"fontaine hugo", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PartyFormScreen)
        await pilot.press("ctrl+r", "ctrl+s")
        await settle(pilot)
    other = open_store(pg_url)
    hugo = next(
        p for p in other.select("parties") if p["last_name"] == "Fontaine" and p["first_name"] == "Hugo"
    )
    assert hugo["mobile"] == "+33608904123"
