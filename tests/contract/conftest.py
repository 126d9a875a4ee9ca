"""`any_store`: every contract test runs on both backends, the embedded store in a temp dir and PostgreSQL in
a database of its own (tests/postgres_server.py: skipped, with one message, on a machine without it)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from lsc_tui.domain.search import fold
from lsc_tui.store.embedded import EmbeddedStore
from lsc_tui.store.protocol import RecordStore
from lsc_tui.store.tables import TableSpec

SPECS: dict[str, TableSpec] = {
    "parties": TableSpec(
        "parties",
        indexed=("status", "kind"),
        order=(("sort_name", False),),
        computed={"sort_name": lambda r: fold(r.get("name", ""))},
        search=lambda r: f"{r.get('name', '')} {r.get('email', '')}",
        summary=("status",),
    ),
    "letters": TableSpec(
        "letters",
        indexed=("status", "entity_id"),
        order=(("deposit_sort", True),),
        computed={"deposit_sort": lambda r: r.get("deposit_date") or "9999"},
        search=lambda r: " ".join((r.get("recipient_name", ""), r.get("subject", ""))),
        summary=("status",),
    ),
    "events": TableSpec(
        "events",
        indexed=("entity_id",),
        order=(("date", False), ("title", True)),
        search=lambda r: r.get("title", ""),
    ),
}


@dataclass
class Backend:
    """Where one test's store lives; `open` gives another store object on it (another process's view)."""

    name: str
    location: str
    opened: list[RecordStore] = field(default_factory=list)

    def open(self, *, readonly: bool = False, create: bool = True, **kwargs: Any) -> RecordStore:
        store: RecordStore
        if self.name == "embedded":
            store = EmbeddedStore.open(
                Path(self.location), create=create, readonly=readonly, shard_size=10, specs=SPECS, **kwargs
            )
        else:
            from lsc_tui.store.postgres import PostgresStore

            store = PostgresStore.open(self.location, create=create, readonly=readonly, specs=SPECS, **kwargs)
        self.opened.append(store)
        return store


@pytest.fixture(params=["embedded", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "embedded":
        found = Backend("embedded", str(tmp_path / "data"))
    else:
        found = Backend("postgres", request.getfixturevalue("pg_url"))
    try:
        yield found
    finally:
        for store in found.opened:
            store.close()


@pytest.fixture
def any_store(backend: Backend) -> RecordStore:
    return backend.open()
