"""The messages sent to signers (O3, « Rapport des envois »): invitations, reminders, confirmations.

One row per message and signer: to whom, when it was asked for, through which provider, and what the provider
reported of it — only what it reported: a row stays « non confirmé » until an answer or a notification of the
provider names that message (domain/deliveries.py says how each outcome reads).
"""

from __future__ import annotations

from dataclasses import dataclass

from lsc_tui.domain.records import from_record, stored
from lsc_tui.store.repositories import table_names
from lsc_tui.store.repositories.base import Record, Repository, folded_text
from lsc_tui.store.tables import TableSpec

KINDS = ("invitation", "reminder", "confirmation")
OUTCOMES = ("pending", "sent", "failed", "none", "unknown")


@dataclass(frozen=True)
class Delivery:
    request_id: str
    provider: str
    kind: str
    """invitation | reminder | confirmation"""
    recipient: str
    """« Léa MOREAU », as when the message was asked for."""
    email: str
    requested_at: str
    requested_by: str
    """The login that asked for it; « auto » for the provider's own automatic reminders."""
    signer_id: str = ""
    """The provider's id of the signer ("" when it gave none): what its notifications name."""
    title: str = ""
    """The signature file's title as when sent: what the report lists without reading the file."""
    outcome: str = "pending"
    """pending | sent | failed | none | unknown"""
    outcome_at: str = ""
    source: str = ""
    """What the provider said, in French (« notification signer.notified », « réponse à l'envoi »)."""
    confirmed: bool = False
    """The outcome comes from a notification naming this very message (a later one cannot change it)."""
    id: str = ""
    rev: int = 0

    def to_record(self) -> Record:
        return stored(self)


def _check(record: Record) -> str:
    if record.get("outcome") not in OUTCOMES:
        return f"résultat inconnu « {record.get('outcome')} »"
    if record.get("kind") not in KINDS:
        return f"type de message inconnu « {record.get('kind')} »"
    return ""


class DeliveryRepository(Repository[Delivery]):
    SPEC = TableSpec(
        table_names.DELIVERIES,
        indexed=("request_id", "kind", "outcome", "provider", "day"),
        order=(("requested_at", True),),
        computed={"day": lambda r: str(r.get("requested_at") or "")[:10]},
        search=folded_text(
            lambda r: r.get("recipient"),
            lambda r: r.get("email"),
            lambda r: r.get("title"),
            lambda r: r.get("provider"),
        ),
        check=_check,
    )
    NOUN = "Ce message"

    def to_model(self, record: Record) -> Delivery:
        return from_record(Delivery, record)

    def for_request(self, request_id: str) -> list[Delivery]:
        """Every message of one signature file, oldest first."""
        found = self._select({"request_id": request_id})
        return sorted(found, key=lambda d: (d.requested_at, d.id))

    def for_requests(self, request_ids: list[str]) -> dict[str, list[Delivery]]:
        if not request_ids:
            return {}
        out: dict[str, list[Delivery]] = {i: [] for i in request_ids}
        for found in self._select({"request_id": tuple(request_ids)}):
            out[found.request_id].append(found)
        for rows in out.values():
            rows.sort(key=lambda d: (d.requested_at, d.id))
        return out

    def counts_by_outcome(self) -> dict[str, int]:
        return {str(k): v for k, v in self._count_by("outcome").items()}
