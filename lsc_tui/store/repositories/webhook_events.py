"""Provider notifications already applied (webhooks): a replay changes nothing.

Providers deliver an event at least once, and again when they think a delivery failed. Each event is written
here, under the id `<provider>:<event id>` with what applying it did, in the transaction that changes the
signature file; a delivery whose id is here is answered « déjà reçue » and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from lsc_tui.domain.records import from_record, stored
from lsc_tui.store.repositories import table_names
from lsc_tui.store.repositories.base import Record, Repository
from lsc_tui.store.tables import TableSpec

APPLIED = "applied"
STATES = (APPLIED,)


@dataclass(frozen=True)
class ReceivedEvent:
    provider: str
    event_id: str
    name: str
    received_at: str
    remote_id: str = ""
    reference: str = ""
    status: str = ""
    reason: str = ""
    state: str = APPLIED
    outcome: str = ""
    """What applying it did, in French (« Signé », « demande inconnue »…)."""
    signer_id: str = ""
    """The signer an email event names (O3), "" otherwise."""
    occurred_at: str = ""
    id: str = ""
    rev: int = 0

    @staticmethod
    def key(provider: str, event_id: str) -> str:
        return f"{provider}:{event_id}"

    def to_record(self) -> Record:
        return stored(self)


class WebhookEventRepository(Repository[ReceivedEvent]):
    SPEC = TableSpec(
        table_names.WEBHOOK_EVENTS,
        indexed=("provider", "state", "remote_id"),
        order=(("received_at", True),),
        check=lambda r: "" if r.get("state") in STATES else f"état inconnu « {r.get('state')} »",
    )
    NOUN = "Cette notification"

    def to_model(self, record: Record) -> ReceivedEvent:
        return from_record(ReceivedEvent, record)

    def seen(self, provider: str, event_id: str) -> bool:
        return self.get(ReceivedEvent.key(provider, event_id)) is not None

    def receive(self, event: ReceivedEvent) -> bool:
        """Write the event unless it was written before; True when it is new (inside a transaction)."""
        key = ReceivedEvent.key(event.provider, event.event_id)
        self.guard()
        if self.get(key) is not None:
            return False
        self._tx().insert(self.table, event.to_record(), id=key)
        return True
