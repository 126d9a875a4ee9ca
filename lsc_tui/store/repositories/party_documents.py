"""Documents filed on a party (« classé dans le dossier du tiers »): a proof file (S10) kept for the client.

The bytes live beside the store (documents/archive.py, category `parties`) with their hash; a row here says
whose file it is, what it is and which signature file it proves, so the party's history lists it.
"""

from __future__ import annotations

from dataclasses import dataclass

from lsc_tui.domain.records import from_record, stored
from lsc_tui.store.repositories import table_names
from lsc_tui.store.repositories.base import Record, Repository
from lsc_tui.store.tables import TableSpec


@dataclass(frozen=True)
class PartyDocument:
    party_id: str
    kind: str
    """« proof » (dossier de preuve): the only kind filed so far."""
    title: str
    path: str
    """Relative to the data folder's documents/ (documents/archive.py)."""
    sha256: str
    size: int
    filed_at: str
    filed_by: str
    request_id: str = ""
    id: str = ""
    rev: int = 0

    def to_record(self) -> Record:
        return stored(self)


class PartyDocumentRepository(Repository[PartyDocument]):
    SPEC = TableSpec(
        table_names.PARTY_DOCUMENTS,
        indexed=("party_id", "request_id", "kind"),
        order=(("filed_at", True),),
    )
    NOUN = "Ce document"

    def to_model(self, record: Record) -> PartyDocument:
        return from_record(PartyDocument, record)

    def for_party(self, party_id: str, limit: int) -> list[PartyDocument]:
        """Newest first, at most `limit`."""
        if not party_id:
            return []
        return self._select({"party_id": party_id}, order=(("filed_at", True),), limit=limit)
