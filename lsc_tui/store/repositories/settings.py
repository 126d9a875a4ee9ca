"""Settings shared by the firm, one record per key ("administration", "signature"…), admin-edited.

The id of each record is its key, so two admins creating the same section at once meet a `Conflict`
instead of leaving two copies behind.
"""

from __future__ import annotations

from typing import Any

from lsc_tui.store.protocol import ExpectRev
from lsc_tui.store.repositories import table_names
from lsc_tui.store.repositories.base import Record, Repository
from lsc_tui.store.tables import TableSpec

ADMINISTRATION = "administration"


class SettingsRepository(Repository[Record]):
    SPEC = TableSpec(table_names.SETTINGS, indexed=("key",))
    NOUN = "Ce réglage"

    def to_model(self, record: Record) -> Record:
        return dict(record)

    def to_record(self, model: Record) -> Record:
        return {k: v for k, v in model.items() if k not in {"id", "_rev"}}

    def section(self, key: str) -> Record:
        """The record of `key` (with its "_rev"), or an empty dict when never saved."""
        return self.get(key) or {}

    def administration(self) -> Record:
        return self.section(ADMINISTRATION)

    def put(self, key: str, values: dict[str, Any], *, expect_rev: ExpectRev | None) -> Record:
        """Create the section (`expect_rev` None: it must not exist yet) or update it."""
        tx = self._tx()
        if expect_rev is None:
            return tx.insert(self.table, {**values, "key": key}, id=key)
        return tx.update(self.table, key, {**values, "key": key}, expect_rev=expect_rev)
