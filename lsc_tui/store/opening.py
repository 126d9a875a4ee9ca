"""Choosing the backend from where the data lives: a folder (embedded) or a `postgresql://` URL."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from lsc_tui.store.errors import StoreError
from lsc_tui.store.protocol import RecordStore
from lsc_tui.store.tables import TableSpec

URL_SCHEMES = ("postgresql://", "postgres://")


def is_database_url(location: str | Path) -> bool:
    return isinstance(location, str) and location.startswith(URL_SCHEMES)


def table_specs() -> Mapping[str, TableSpec]:
    from lsc_tui.store.repositories import TABLES

    return TABLES


def open_store(
    location: str | Path, *, create: bool = False, readonly: bool = False, shard_size: int | None = None
) -> RecordStore:
    """Open the firm's store; `create` makes an empty one (`lsc-tui init`, the demo)."""
    specs = table_specs()
    if is_database_url(location):
        try:
            from lsc_tui.store.postgres import PostgresStore
        except ImportError as exc:  # pragma: no cover - psycopg is a dependency; a broken install says so
            raise StoreError(f"Le pilote PostgreSQL (psycopg) n'est pas installé : {exc}.") from exc
        return PostgresStore.open(str(location), create=create, readonly=readonly, specs=specs)
    from lsc_tui.store.embedded import EmbeddedStore

    return EmbeddedStore.open(
        Path(location), create=create, readonly=readonly, shard_size=shard_size, specs=specs
    )
