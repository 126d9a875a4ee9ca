"""The letters tests' agency (the demo's seed) and its AR24 sandbox served on 127.0.0.1; a module may
override `store` (test_prepare_validate.py runs on both backends)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lsc_tui.store import RecordStore
from tests.conftest import ServedSandbox
from tests.letters.letters_kit import seeded_store, served


@pytest.fixture
def store(tmp_path: Path) -> RecordStore:
    return seeded_store(tmp_path / "data")


@pytest.fixture
def sandbox(store: RecordStore) -> Iterator[ServedSandbox]:
    yield from served(store)
