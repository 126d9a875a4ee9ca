"""Users of lsc-tui: one record per OS account allowed to work on the store, with its role (C5)."""

from __future__ import annotations

from lsc_tui.domain.users import User
from lsc_tui.store.repositories import table_names
from lsc_tui.store.repositories.base import Record, Repository
from lsc_tui.store.tables import TableSpec


class UserRepository(Repository[User]):
    SPEC = TableSpec(table_names.USERS, indexed=("login", "role"), order=(("login", False),))
    NOUN = "Cet utilisateur"

    def to_model(self, record: Record) -> User:
        return User.from_record(record)

    def by_login(self, login: str) -> User | None:
        found = self._select({"login": login}, limit=1)
        return found[0] if found else None

    def admins(self) -> list[User]:
        return self._select({"role": "admin"}, order=self.SPEC.order)
