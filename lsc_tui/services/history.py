"""A party's history (O2, « Suivi des signatures électroniques »): every signature file they sign, every
registered letter sent to them and every document filed on them (a dossier de preuve, S10), newest first, each
a door to its detail.

Found through indexes on both backends: letters by their `party_id`, signature files through the signers'
party ids in the searchable text (checked exactly by the repository). Bounded: a party with thousands of
files gets the `LIMIT` most recent of each kind and is told so.
"""

from __future__ import annotations

from dataclasses import dataclass

from lsc_tui.domain.models import Party, RegisteredLetter, SignatureRequest
from lsc_tui.domain.statuses import LetterStatus, SignatureStatus
from lsc_tui.services.context import AppContext
from lsc_tui.store.repositories.party_documents import PartyDocument

LIMIT = 500


@dataclass(frozen=True)
class HistoryEntry:
    kind: str
    """« signature », « letter » or « document »: which detail screen opens it (a document: the signature
    file it proves)."""
    id: str
    date: str
    """ISO: when it was sent (deposited, for a letter), or made when not sent yet."""
    status: str
    title: str
    detail: str
    """The party's role as a signer, or the kind of letter."""
    alert: bool

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class PartyHistory:
    party: Party
    entries: tuple[HistoryEntry, ...]
    truncated: bool
    """One kind had more than `LIMIT` records: only the most recent are listed."""


ALERT_SIGNATURE = {SignatureStatus.DECLINED, SignatureStatus.ERROR, SignatureStatus.EXPIRED}
ALERT_LETTER = {LetterStatus.ERROR, LetterStatus.REFUSED, LetterStatus.NEGLIGENCE, LetterStatus.BOUNCED}


def _signature(s: SignatureRequest, party_id: str) -> HistoryEntry:
    roles = ", ".join(dict.fromkeys(x.role.label for x in s.signers if x.party_id == party_id))
    label = f"{s.status.code} — {s.status.label}" if s.status.code else s.status.label
    date = s.sent_at or s.created_at
    return HistoryEntry("signature", s.id, date, label, s.title, roles, s.status in ALERT_SIGNATURE)


def _letter(x: RegisteredLetter) -> HistoryEntry:
    date = x.deposit_date or x.created_at
    return HistoryEntry(
        "letter", x.id, date, x.status.label, x.subject, x.kind.label, x.status in ALERT_LETTER
    )


def _document(d: PartyDocument) -> HistoryEntry:
    """`id` « request id/document id »: opening it shows the signature file the document proves."""
    return HistoryEntry("document", f"{d.request_id}/{d.id}", d.filed_at, "Classé", d.title,
                        f"par {d.filed_by}", False)  # fmt: skip


def of_party(ctx: AppContext, party_id: str) -> PartyHistory:
    party = ctx.repos.parties.require(party_id)
    signatures = ctx.repos.signatures.for_party(party_id, LIMIT + 1)
    letters_repo = ctx.repos.letters
    letters = [
        letters_repo.model(r) for r in letters_repo.listing({"party_id": party_id}).window(0, LIMIT + 1)
    ]
    documents = ctx.repos.party_documents.for_party(party_id, LIMIT + 1)
    entries = [_signature(s, party_id) for s in signatures[:LIMIT]] + [_letter(x) for x in letters[:LIMIT]]
    entries += [_document(d) for d in documents[:LIMIT]]
    entries.sort(key=lambda e: (e.date, e.id), reverse=True)
    truncated = max(len(signatures), len(letters), len(documents)) > LIMIT
    return PartyHistory(party, tuple(entries), truncated)
