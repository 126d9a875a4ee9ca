"""Entities (a building's co-ownership, a management mandate): what every event and letter belongs to."""

from __future__ import annotations

from lsc_tui.domain.models import Entity
from lsc_tui.store.repositories import table_names
from lsc_tui.store.repositories.base import Record, Repository
from lsc_tui.store.tables import TableSpec


class EntityRepository(Repository[Entity]):
    SPEC = TableSpec(table_names.ENTITIES, indexed=("code",), order=(("name", False),))
    NOUN = "Cette entité"

    def to_model(self, record: Record) -> Entity:
        return Entity.from_record(record)

    def names(self) -> dict[str, str]:
        return {e.id: e.name for e in self.all()}
