"""Each user's AR24 sender account (C3): one record per login, its id being the login."""

from __future__ import annotations

from lsc_tui.domain.consents import Ar24Account
from lsc_tui.store.repositories import table_names
from lsc_tui.store.repositories.base import Record, Repository
from lsc_tui.store.tables import TableSpec


class Ar24AccountRepository(Repository[Ar24Account]):
    SPEC = TableSpec(table_names.AR24_ACCOUNTS, indexed=("login", "remote_id"), order=(("login", False),))
    NOUN = "Ce compte AR24"

    def to_model(self, record: Record) -> Ar24Account:
        return Ar24Account.from_record(record)

    def of(self, login: str) -> Ar24Account | None:
        return self.get(login)

    def create(self, account: Ar24Account) -> Ar24Account:
        """The record keyed by its login: two sessions creating it at once meet a Conflict, not two copies."""
        return self.model(self._tx().insert(self.table, self.to_record(account), id=account.login))
