"""The LRE consent register (L1): one record per consent given, imported, refused or withdrawn."""

from __future__ import annotations

from lsc_tui.domain.consents import Consent
from lsc_tui.store.repositories import table_names
from lsc_tui.store.repositories.base import Record, Repository, folded_text
from lsc_tui.store.tables import TableSpec


class ConsentRepository(Repository[Consent]):
    SPEC = TableSpec(
        table_names.CONSENTS,
        indexed=("party_id", "email", "source"),
        order=(("date", True),),
        search=folded_text(lambda r: r.get("email"), lambda r: r.get("source")),
    )
    NOUN = "Ce consentement"

    def to_model(self, record: Record) -> Consent:
        return Consent.from_record(record)

    def for_party(self, party_id: str) -> list[Consent]:
        """Newest first: the first entry is the party's current answer."""
        return self._select({"party_id": party_id}, order=self.SPEC.order)
