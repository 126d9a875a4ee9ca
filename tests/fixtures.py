"""Builders shared by tests: a seeded demo store in a temp dir, contexts for several users."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from lsc_tui.services.context import AppContext, paris
from lsc_tui.services.demo import seed
from lsc_tui.services.users import resolve_user
from lsc_tui.store import RecordStore, open_store

FIXED_NOW = datetime(2026, 11, 23, 9, 30, tzinfo=paris())


def seeded_store(root: Path | str) -> RecordStore:
    store = open_store(root, create=True)
    seed(store, FIXED_NOW)
    return store


def context(store: RecordStore, login: str = "claire", data_dir: Path | None = None) -> AppContext:
    user, readonly = resolve_user(store, login)
    files = data_dir or Path(store.location)
    return AppContext(store=store, user=user, data_dir=files, readonly=readonly, clock=lambda: FIXED_NOW)


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Let workers finish and messages drain: what a user waits for before the next key."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
