"""AR24 mail objects and POST mail fields (docs/providers/ar24.md §7, §9, §15), kept apart from the
transport so that the mapping can be read (and tested) on its own."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.providers.ar24_crypto import parse_ar24_date
from lsc_tui.providers.ar24_errors import error_for
from lsc_tui.providers.base import LetterOrder, Recipient, RemoteLetter

log = logging.getLogger("lsc_tui.providers.ar24")

Fields = dict[str, str | list[str]]

STATUSES = {s.value: s for s in LetterStatus}
VALIDATED = {LetterStatus.WAITING, LetterStatus.SENT, LetterStatus.AR, LetterStatus.REFUSED}
VALIDATED |= {LetterStatus.NEGLIGENCE, LetterStatus.BOUNCED}
PROOF_KINDS = ("dp", "ev", "ar", "rf", "ng", "bc")  # dépôt, envoi, AR, refus, négligence, non-distribution
KINDS = ("eidas", "simple", "paper")


@dataclass(frozen=True)
class LetterKind:
    """How a kind of letter is named on screen and what its recipient gets, in one French sentence."""

    label: str
    help: str
    route: str  # where it goes at AR24: "documented" (§7) or "§15" (our sandbox's extension)


# AR24's words (§1, §7): `eidas=1` is the qualified LRE, `eidas=0` the "ERE simple" (envoi recommandé
# électronique, not qualified) — what the source system calls "Avis électronique / LRE simplifiée".
LETTER_KINDS: dict[str, LetterKind] = {
    "eidas": LetterKind(
        "LRE qualifiée eIDAS",
        "Le destinataire reçoit un courriel annonçant une lettre recommandée, sans le nom de l'expéditeur ; il a "
        "15 jours pour s'identifier puis l'accepter ou la refuser, et chaque étape vous donne une preuve qui "
        "vaut lettre recommandée avec accusé de réception.",
        "documented",
    ),
    "simple": LetterKind(
        "ERE simple (Avis électronique)",
        "Le destinataire, qui doit avoir consenti aux envois électroniques, reçoit un courriel et ouvre la "
        "lettre sans vérification de son identité ; vous recevez des preuves d'envoi et de réception, sans la "
        "valeur d'une lettre recommandée qualifiée.",
        "documented",
    ),
    "paper": LetterKind(
        "LR papier",
        "AR24 imprime la lettre et l'envoie par La Poste en recommandé à l'adresse postale du destinataire, "
        "qui la reçoit comme tout recommandé papier (seulement si votre contrat AR24 le prévoit).",
        "§15",
    ),
}


def letter_from(mail: dict[str, Any]) -> RemoteLetter:
    """AR24 mail object (§9) → RemoteLetter; dates are Paris-aware; proofs keyed dp/ev/ar/rf/ng/bc/content."""
    raw_status = str(mail.get("status") or "")
    status = STATUSES.get(raw_status)
    if status is None:  # §10: unknown values are possible; show the letter as in error rather than crash
        log.warning("AR24 mail %s has unknown status %r", mail.get("id"), raw_status)
        status = LetterStatus.ERROR
    proofs = {k: str(mail[f"proof_{k}_url"]) for k in PROOF_KINDS if mail.get(f"proof_{k}_url")}
    if mail.get("pdf_content"):
        proofs["content"] = str(mail["pdf_content"])
    return RemoteLetter(
        remote_id=str(mail.get("id", "")),
        status=status,
        reference=str(mail.get("ref_dossier") or ""),
        recipient_email=str(mail.get("to_email") or ""),
        created_at=parse_ar24_date(mail.get("creation")),
        deposit_date=parse_ar24_date(mail.get("date")),
        sending_date=parse_ar24_date(mail.get("ts_ev_date")),
        ar_date=parse_ar24_date(mail.get("view_date")),
        refused_date=parse_ar24_date(mail.get("refused_date")),
        negligence_date=parse_ar24_date(mail.get("negligence_date")),
        bounced_date=parse_ar24_date(mail.get("bounced_date")),
        proof_urls=proofs,
    )


def balanced_chunks(items: Sequence[str], max_size: int) -> list[list[str]]:
    """Split into the fewest chunks of at most `max_size`, all of near-equal size (no lonely tail call)."""
    if not items:
        return []
    count = -(-len(items) // max_size)
    size, extra = divmod(len(items), count)
    chunks, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        chunks.append(list(items[start:end]))
        start = end
    return chunks


def mail_fields(
    user_id: str,
    order: LetterOrder,
    attachment_ids: Sequence[str],
    *,
    auth_otp_hash: str | None = None,
    queue: bool = False,
    webhook: str | None = None,
) -> Fields:
    """POST mail fields (§7, §15) for one order. An eIDAS letter carries the sender's 1-hour OTP hash
    (documented, §7–§8) or, in queue mode, `to_valid=1` (§15); raises before any call if it has neither."""
    if order.kind not in KINDS:
        raise ValueError(f"unknown letter kind {order.kind!r} (expected one of {KINDS})")
    r = order.recipient
    fields: Fields = {
        "id_user": str(user_id),
        "to_email": r.email,
        "to_firstname": r.first_name,
        "to_lastname": r.last_name,
        "dest_statut": "professionnel" if r.is_professional else "particulier",
        "ref_dossier": order.reference,
        "content": order.content,
        "attachment[]": [str(i) for i in attachment_ids],
    }
    if r.company:
        fields["to_company"] = r.company
    if order.payment_method_id:
        fields["id_payment_method"] = str(order.payment_method_id)
    if webhook:
        fields["webhook"] = webhook
    if order.kind == "eidas":
        fields["eidas"] = "1"
        if auth_otp_hash:
            fields["auth_otp_hash"] = auth_otp_hash
        elif queue:
            fields["to_valid"] = "1"
        else:
            raise error_for("authentication_missing")
    elif order.kind == "simple":  # AR24's ERE simple (eidas=0); the source system's "Avis électronique"
        fields["eidas"] = "0"
    else:
        fields.update(
            paper="1",
            color="1" if order.color else "0",
            duplex="1" if order.duplex else "0",
            to_address1=r.address1,
            to_address2=r.address2,
            to_zipcode=r.zipcode,
            to_city=r.city,
            to_country=r.country,
        )
    return fields


def recipient_name(recipient: Recipient) -> str:
    person = f"{recipient.first_name} {recipient.last_name}".strip()
    return person or recipient.company or recipient.email
