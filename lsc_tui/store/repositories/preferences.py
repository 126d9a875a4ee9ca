"""Each user's own preferences (Accueil's statuses, how long signed files stay there…), one record per login.

The id of a record is its user's login, so a preference can only ever be read or written for one person, and
two sessions of the same user creating it at once meet a `Conflict` instead of leaving two copies behind.
Sections (« home »…) sit side by side in the record, so a later preference needs no new table.
"""

from __future__ import annotations

from typing import Any

from lsc_tui.store.protocol import ExpectRev
from lsc_tui.store.repositories import table_names
from lsc_tui.store.repositories.base import Record, Repository
from lsc_tui.store.tables import TableSpec


class PreferencesRepository(Repository[Record]):
    SPEC = TableSpec(table_names.PREFERENCES, indexed=("login",))
    NOUN = "Ces préférences"

    def to_model(self, record: Record) -> Record:
        return dict(record)

    def to_record(self, model: Record) -> Record:
        return {k: v for k, v in model.items() if k not in {"id", "_rev"}}

    def of(self, login: str) -> Record:
        """The record of `login` (with its "_rev"), or an empty dict when they never saved a preference."""
        return self.get(login) or {}

    def put(
        self, login: str, section: str, values: dict[str, Any], *, expect_rev: ExpectRev | None
    ) -> Record:
        """Write one section of `login`'s preferences; `expect_rev` None: the record must not exist yet."""
        tx = self._tx()
        if expect_rev is None:
            return tx.insert(self.table, {"login": login, section: values}, id=login)
        return tx.update(self.table, login, {"login": login, section: values}, expect_rev=expect_rev)
