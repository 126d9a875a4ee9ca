"""Signature files (fiches signature): one PDF, its signers, and where it stands at the provider (S1–S8)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from lsc_tui.domain.models import SignatureRequest
from lsc_tui.domain.statuses import SignatureStatus, check_signature_transition
from lsc_tui.store.protocol import ExpectRev
from lsc_tui.store.repositories import table_names
from lsc_tui.store.repositories.base import Record, Repository, folded_text
from lsc_tui.store.tables import TableSpec


def _check(record: Record) -> str:
    status = record.get("status", "draft")
    return "" if status in SignatureStatus.__members__.values() else f"statut inconnu « {status} »"


def _signer_names(record: Record) -> list[str]:
    return [
        f"{s.get('first_name', '')} {s.get('last_name', '')}".strip()
        for s in record.get("signers", [])
        if isinstance(s, dict)
    ]


def _signer_party_ids(record: Record) -> list[str]:
    """In the searchable text so that one party's files are found through the search index on both backends
    (a filter cannot look inside the list of signers); `for_party` then keeps exact matches only."""
    return [
        str(s["party_id"]) for s in record.get("signers", []) if isinstance(s, dict) and s.get("party_id")
    ]


def _blank() -> dict[str, Any]:
    """Required fields, so that `update` can serialise a few fields through the model's own mapping."""
    return {"event_id": "", "entity_id": "", "title": "", "created_at": ""}


def _status_label(record: Record) -> str:
    status = record.get("status")
    return SignatureStatus(status).label if status in SignatureStatus.__members__.values() else str(status)


@dataclass(frozen=True)
class SignedFile:
    """What consumption counts of a signed file, read without building the whole model (a year of a busy
    firm is 30,000 of them)."""

    signed_at: str
    created_by: str
    entity_id: str
    provider: str
    signers: tuple[tuple[str, str], ...]
    """(key, name) of each signer: their party id (else their email, else their name) and « Léa MARTIN »."""


def _signed_file(record: Record) -> SignedFile:
    signers = []
    for x in record.get("signers", []):
        name = (
            f"{x.get('first_name', '')} {str(x.get('last_name', '')).upper()}".strip()
            or x.get("email")
            or "?"
        )
        signers.append((x.get("party_id") or str(x.get("email", "")).lower() or name, name))
    return SignedFile(
        str(record.get("signed_at", "")),
        str(record.get("created_by", "")),
        str(record.get("entity_id", "")),
        str(record.get("provider", "")),
        tuple(signers),
    )


class SignatureRepository(Repository[SignatureRequest]):
    SPEC = TableSpec(
        table_names.SIGNATURES,
        indexed=(
            "status",
            "entity_id",
            "event_id",
            "provider",
            "remote_id",
            "reference",
            "created_by",
            "expires_day",
            "signed_month",
        ),
        order=(("sent_sort", True),),
        computed={
            "sent_sort": lambda r: r.get("sent_at") or "9999",
            "expires_day": lambda r: str(r.get("expires_at") or "")[:10],
            "signed_month": lambda r: str(r.get("signed_at") or "")[:7],
        },
        search=folded_text(
            lambda r: r.get("status"),
            _status_label,
            lambda r: r.get("title"),
            lambda r: r.get("entity_name"),
            _signer_names,
            lambda r: r.get("reason"),
            _signer_party_ids,
        ),
        summary=("status",),
        check=_check,
    )
    NOUN = "Cette fiche signature"

    def to_model(self, record: Record) -> SignatureRequest:
        return SignatureRequest.from_record(record)

    def counts_by_status(self) -> dict[str, int]:
        return {str(k): v for k, v in self._count_by("status").items()}

    def with_status(self, *statuses: SignatureStatus) -> list[SignatureRequest]:
        return self._select({"status": tuple(s.value for s in statuses)})

    def by_remote_id(self, remote_id: str) -> SignatureRequest | None:
        found = self._select({"remote_id": remote_id}, limit=1)
        return found[0] if found else None

    def expiring(self, days: tuple[str, ...], limit: int) -> list[SignatureRequest]:
        """Files still waiting for their signers whose deadline falls on one of `days` (ISO dates), soonest
        first, at most `limit` (a list kept while the table does not change: Accueil asks at every visit)."""
        listing = self.listing({"status": SignatureStatus.PENDING.value, "expires_day": days})
        found = [self.model(r) for r in listing.window(0, max(limit, 500))]
        return sorted(found, key=lambda s: (s.expires_at, s.id))[:limit]

    def signed_in(self, months: tuple[str, ...]) -> list[SignedFile]:
        """Files signed during one of `months` ("2026-11"): what consumption counts."""
        where = {"status": SignatureStatus.SIGNED.value, "signed_month": months}
        return [_signed_file(r) for r in self._reader.select(self.table, where)]

    def for_party(self, party_id: str, limit: int) -> list[SignatureRequest]:
        """Files one of whose signers is `party_id`, newest sent first, at most `limit`."""
        if not party_id:
            return []
        narrowed = self.listing().narrow(party_id)
        found: list[SignatureRequest] = []
        for start in range(0, len(narrowed), 200):
            for record in narrowed.window(start, start + 200):
                if party_id in _signer_party_ids(record):
                    found.append(self.model(record))
                    if len(found) >= limit:
                        return found
        return found

    def by_remote_ids(self, remote_ids: Collection[str]) -> dict[str, SignatureRequest]:
        """The files with these provider ids, by provider id: one query for a whole sync."""
        if not remote_ids:
            return {}
        return {s.remote_id: s for s in self._select({"remote_id": tuple(remote_ids)})}

    def by_references(self, references: Collection[str]) -> dict[str, SignatureRequest]:
        if not references:
            return {}
        return {s.reference: s for s in self._select({"reference": tuple(references)})}

    def by_reference(self, reference: str) -> SignatureRequest | None:
        found = self._select({"reference": reference}, limit=1)
        return found[0] if found else None

    def for_event(self, event_id: str) -> list[SignatureRequest]:
        return self._select({"event_id": event_id}, order=(("created_at", False),))

    def providers_waited_on(self) -> set[str]:
        """Providers holding files still waiting (sent, or being sent): whom a sync must ask."""
        waiting = (SignatureStatus.PENDING.value, SignatureStatus.SENDING.value)
        return {str(p) for p, n in self._count_by("provider", {"status": waiting}).items() if n}

    def pending_references(self, provider: str) -> dict[str, str]:
        """Our reference of each file waiting for signatures at `provider`, by its id there: what a sync must
        hear about (records read raw: a model per waiting file is most of a quiet sync's time)."""
        where = {"status": SignatureStatus.PENDING.value, "provider": provider}
        found = self._reader.select(self.table, where)
        return {str(r["remote_id"]): str(r.get("reference") or "") for r in found if r.get("remote_id")}

    def update(self, request_id: str, *, expect_rev: ExpectRev, **fields: Any) -> SignatureRequest:
        """Change fields other than the status (signers, note…) of the revision the caller read."""
        if "status" in fields:
            raise ValueError("statuses change through set_status")
        record = {
            k: v for k, v in SignatureRequest(**{**_blank(), **fields}).to_record().items() if k in fields
        }
        return self.change(request_id, record, expect_rev=expect_rev)

    def set_status(
        self, request_id: str, status: SignatureStatus, *, expect_rev: ExpectRev, **fields: Any
    ) -> SignatureRequest:
        current = self._tx().get(self.table, request_id)
        if current is not None:
            check_signature_transition(SignatureStatus(current.get("status", "draft")), status)
        return self.change(request_id, {"status": status.value, **fields}, expect_rev=expect_rev)
