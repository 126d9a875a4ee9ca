"""Every Pilot test starts from the seeded demo agency in a real store in a temp dir."""

from __future__ import annotations

from pathlib import Path

import pytest

from lsc_tui.store import RecordStore as Store
from tests.fixtures import seeded_store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return seeded_store(tmp_path / "data")
