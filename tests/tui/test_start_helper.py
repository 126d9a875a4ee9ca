"""`lsc-tui` starts through a forked helper that reads Accueil's first frame (cli/first_reads.py), on either
store; the app opens its own store once Accueil is painted. What the person sees must not depend on that."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lsc_tui.cli import first_reads, start
from lsc_tui.cli.tui_app import make_tui, open_tui
from lsc_tui.cli.wiring import build_context
from lsc_tui.services.demo import seed
from lsc_tui.store import StoreError, open_store
from lsc_tui.store.deferred import DeferredStore
from lsc_tui.tui.app import LscApp
from lsc_tui.tui.screens.accueil import AccueilScreen
from lsc_tui.tui.widgets.record_list import RecordList
from tests.fixtures import FIXED_NOW
from tests.postgres_server import with_database
from tests.tui.helpers import running, settle

SIZE = (120, 40)


@pytest.fixture(params=["embedded", "postgresql"])
def where(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """An empty place for a store: a folder, or a database of the test's PostgreSQL server."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return tmp_path / "data"


@pytest.fixture
def seeded(where: str | Path) -> str | Path:
    store = open_store(where, create=True)
    seed(store, FIXED_NOW)
    store.close()
    return where


def missing(where: str | Path) -> str | Path:
    return with_database(where, "lsc_no_such_database") if isinstance(where, str) else where / "absent"


def counts_of(app: LscApp) -> list[tuple[str, ...]]:
    if not isinstance(app.screen, AccueilScreen):
        return []
    return [row.cells for row in app.screen.query_one("#counts", RecordList).rows]


async def until_counts(app: LscApp, pilot: Any) -> list[tuple[str, ...]]:
    for _ in range(5000):
        if counts_of(app):
            break
        await pilot.pause(0.001)
    return counts_of(app)


async def first_frame(app: LscApp) -> tuple[list[tuple[str, ...]], str]:
    """Accueil's counts as its first frame shows them, and the title; then the app runs on to rest."""
    async with app.run_test(size=SIZE) as pilot:
        counts = await until_counts(app, pilot)  # the first frame with them, before any worker answers
        title = app.title
        await settle(pilot)
        assert running(app)
    return counts, title


async def test_accueil_shows_the_helpers_reads_and_the_store_opens_after(
    seeded: str | Path, tmp_path: Path
) -> None:
    app = open_tui(seeded, tmp_path, login="claire", poll_seconds=0)
    store = app.ctx.store
    assert isinstance(store, DeferredStore)
    assert not store.opened  # the counts the first frame will show came from the helper
    opened = open_store(seeded)
    assert store.location == opened.location  # the title bar's address, without opening
    opened.close()
    counts, title = await first_frame(app)
    assert store.opened  # the warm-up opened it once Accueil was painted
    plain = make_tui(build_context(open_store(seeded), tmp_path, login="claire"), poll_seconds=0)
    assert (counts, title) == await first_frame(plain)
    assert any("12" in c for c in counts)  # the seeded letters waiting for OTP validation
    assert "Claire" in title and "admin" in title


async def test_an_unknown_login_starts_read_only_through_the_helper(
    seeded: str | Path, tmp_path: Path
) -> None:
    app = open_tui(seeded, tmp_path, login="inconnu", poll_seconds=0)
    assert isinstance(app.ctx.store, DeferredStore) and app.ctx.readonly
    _counts, title = await first_frame(app)
    assert "inconnu (invité)" in title and "lecture seule" in title


def test_a_store_that_does_not_exist_says_so_as_without_helper(where: str | Path, tmp_path: Path) -> None:
    with pytest.raises(StoreError) as direct:
        open_store(missing(where))
    with pytest.raises(StoreError) as started:
        open_tui(missing(where), tmp_path, login="claire")
    assert str(started.value) == str(direct.value)


async def test_a_helper_that_fails_leaves_the_start_to_read_for_itself(
    seeded: str | Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> Iterator[object]:
        raise RuntimeError("the helper died")

    monkeypatch.setattr(first_reads, "_read", broken)  # the forked helper inherits it
    app = open_tui(seeded, tmp_path, login="claire", poll_seconds=0)
    assert not isinstance(app.ctx.store, DeferredStore)
    counts, _title = await first_frame(app)
    assert any("12" in c for c in counts)


def test_a_helper_that_never_answers_is_killed_and_the_start_goes_on(
    seeded: str | Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def stuck(*_args: object) -> Iterator[object]:
        import time

        time.sleep(3600)
        raise AssertionError

    monkeypatch.setattr(first_reads, "_read", stuck)
    monkeypatch.setattr(first_reads, "ANSWER_WITHIN_S", 0.5)
    app = open_tui(seeded, tmp_path, login="claire", poll_seconds=0)
    assert not isinstance(app.ctx.store, DeferredStore)
    app.ctx.store.close()


async def test_counts_the_helper_could_not_read_are_asked_by_accueil_off_the_ui_thread(
    seeded: str | Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = first_reads._read

    def without_counts(*args: Any) -> Iterator[object]:
        reads = read(*args)
        yield next(reads)  # who acts and where
        yield None  # as when the store could not say the counts

    monkeypatch.setattr(first_reads, "_read", without_counts)  # the forked helper inherits it
    app = open_tui(seeded, tmp_path, login="claire", poll_seconds=0)
    assert isinstance(app.ctx.store, DeferredStore) and not app.ctx.store.opened  # not read by the start
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        counts = [row.cells for row in app.screen.query_one(RecordList).rows]
        assert any("12" in c for c in counts) and app.ctx.store.opened


def entry_line(where: str | Path, files: Path) -> list[str]:
    """The command line that starts the TUI on `where`: its folder, or a database and a folder for files."""
    return ["--data", str(where)] if isinstance(where, Path) else ["--store", where, "--data", str(files)]


def files_of(where: str | Path, tmp_path: Path) -> Path:
    return where if isinstance(where, Path) else tmp_path


async def test_the_helper_forked_at_the_entry_is_the_one_the_start_takes(
    seeded: str | Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = files_of(seeded, tmp_path)
    start.fork_at_entry(entry_line(seeded, files), login="claire")

    def refused(*_args: object) -> None:
        raise AssertionError("a second helper was forked")

    monkeypatch.setattr(first_reads, "fork_first_reads", refused)
    app = open_tui(seeded, files, login="claire", poll_seconds=0)
    assert isinstance(app.ctx.store, DeferredStore) and not app.ctx.store.opened
    counts, title = await first_frame(app)
    assert any("12" in c for c in counts) and "Claire" in title


async def test_a_helper_forked_for_another_start_is_discarded(
    seeded: str | Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forked: list[first_reads.Helper] = []
    fork = first_reads.fork_first_reads

    def noted(*args: Any) -> first_reads.Helper | None:
        helper = fork(*args)
        assert helper is not None
        forked.append(helper)
        return helper

    monkeypatch.setattr(first_reads, "fork_first_reads", noted)
    files = files_of(seeded, tmp_path)
    start.fork_at_entry(entry_line(seeded, files), login="julien")  # guessed julien; the start is claire's
    app = open_tui(seeded, files, login="claire", poll_seconds=0)
    assert len(forked) == 2
    with pytest.raises(ChildProcessError):  # the first one was killed and reaped
        os.waitpid(forked[0].pid, os.WNOHANG)
    _counts, title = await first_frame(app)
    assert "Claire" in title


def test_only_a_plain_start_is_guessed_at_the_entry() -> None:
    assert start.plain_start([]) == {}
    assert start.plain_start(["--data", "d", "--store=postgresql://h/b"]) == {
        "--data": "d",
        "--store": "postgresql://h/b",
    }
    for line in (
        ["users", "list"],
        ["--data", "d", "demo"],
        ["--help"],
        ["-h"],
        ["--data"],
        ["--data=d", "x"],
    ):
        assert start.plain_start(line) is None, line


async def test_counts_that_come_after_the_first_frame_are_shown_when_they_come(
    seeded: str | Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The helper says who acts, then the counts: Accueil is on screen between the two, and is not left
    waiting for them with the store unopened."""
    read = first_reads._read
    gate = tmp_path / "counts-may-go"

    def held(*args: Any) -> Iterator[object]:
        reads = read(*args)
        yield next(reads)
        while not gate.exists():  # the helper holds its counts until the test has seen Accueil without them
            time.sleep(0.005)
        yield next(reads)

    monkeypatch.setattr(first_reads, "_read", held)
    app = open_tui(seeded, tmp_path, login="claire", poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, AccueilScreen) and not counts_of(app)
        assert not app.ctx.store.opened  # nothing read for them on this side
        gate.touch()
        counts = await until_counts(app, pilot)
        await settle(pilot)
    plain = make_tui(build_context(open_store(seeded), tmp_path, login="claire"), poll_seconds=0)
    assert counts == (await first_frame(plain))[0]


async def test_a_helper_that_ends_before_the_counts_leaves_them_to_accueil(
    seeded: str | Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = first_reads._read

    def dies(*args: Any) -> Iterator[object]:
        yield next(read(*args))
        os._exit(3)  # killed between its two messages

    monkeypatch.setattr(first_reads, "_read", dies)
    app = open_tui(seeded, tmp_path, login="claire", poll_seconds=0)
    assert isinstance(app.ctx.store, DeferredStore)
    async with app.run_test(size=SIZE) as pilot:
        counts = await until_counts(app, pilot)
        assert any("12" in c for c in counts) and app.ctx.store.opened
        await settle(pilot)
