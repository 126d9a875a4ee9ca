"""Letter templates: who signs, skip-SMS, free slots, visible signature placements (T1–T6)."""

from __future__ import annotations

from lsc_tui.domain.models import Template
from lsc_tui.domain.roles import Role
from lsc_tui.domain.search import fold
from lsc_tui.store.repositories import table_names
from lsc_tui.store.repositories.base import Record, Repository, folded_text
from lsc_tui.store.tables import TableSpec


def _check(record: Record) -> str:
    for value in record.get("roles", []):
        if value not in Role.__members__.values():
            return f"rôle inconnu « {value} »"
    return ""


class TemplateRepository(Repository[Template]):
    SPEC = TableSpec(
        table_names.TEMPLATES,
        indexed=("kind", "is_historisation", "folded_name"),
        order=(("folded_name", False),),
        computed={"folded_name": lambda r: fold(str(r.get("name", "")).strip())},
        search=folded_text(lambda r: r.get("name"), lambda r: r.get("kind")),
        check=_check,
    )
    NOUN = "Ce modèle"

    def to_model(self, record: Record) -> Template:
        return Template.from_record(record)

    def named(self, name: str) -> list[Template]:
        """Templates whose name is `name` (accents, case and surrounding spaces ignored)."""
        return self._select({"folded_name": fold(name.strip())})

    def historisation(self) -> Template | None:
        found = self._select({"is_historisation": True}, limit=1)
        return found[0] if found else None

    def names(self) -> dict[str, str]:
        return {t.id: t.name for t in self.all()}
