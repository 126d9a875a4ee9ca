"""« Signer électroniquement » from a party (S11): PDFs picked on disk, signed by the party, its representative
(a company's, a protected person's guardian) or anyone typed — in front of the user or at a distance.

Each signer needs an email, a mobile and an ID document on file (domain/identity.py names what is missing):
the party's come from its form, a representative's or another signer's are typed here and kept on the file's
signer. The file has no event (nothing was drafted in the chrono): the Signatures list, the party's history
(through its signers' party ids) and the consumption show it like any other, and it is sent by the same batch
as every file (reference written first, no duplicate on a re-run).

In person (YouSign `delivery_mode: none`): the provider emails nobody; each signer's link is handed back to
the screen, shown once to the user and never written — not in the store, not in the audit log, not in a repr.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from lsc_tui.documents import page_sizes
from lsc_tui.documents.archive import store_file
from lsc_tui.documents.pdf import merge
from lsc_tui.domain.contact import check_phone, normalise_email
from lsc_tui.domain.identity import IdDocument, missing_pieces
from lsc_tui.domain.models import PartyKind, SignatureRequest, Signer
from lsc_tui.domain.names import normalise_name
from lsc_tui.domain.roles import Role
from lsc_tui.domain.signers import blank_signer
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.providers.base import RemoteSignature, Unsupported
from lsc_tui.services import signature_settings
from lsc_tui.services.batches import BatchReport, Collector
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import ServiceError, ValidationFailed
from lsc_tui.services.signature_send import send_requests

ARCHIVE = "signatures"
MAX_BYTES = 20 * 1024 * 1024
"""YouSign's limit per document (yousign.md §1)."""
IN_PERSON_FR = (
    "La signature en présentiel passe par YouSign : choisissez « à distance » ou YouSign dans Réglages."
)


@dataclass(frozen=True)
class DirectSigner:
    """One person to sign, as the screen shows and edits them."""

    last_name: str
    first_name: str = ""
    email: str = ""
    mobile: str = ""
    id_document: IdDocument = field(default_factory=IdDocument)
    party_id: str = ""
    """The party signing, or the one a representative signs for ("" for someone typed)."""
    source: str = "autre"
    """« tiers », « représentant » or « autre »: what the screen says of where they come from."""

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name.upper()}".strip() or "(sans nom)"

    def missing(self, today: dt.date) -> list[str]:
        out = [] if self.last_name.strip() else ["nom manquant"]
        return out + missing_pieces(self.email, self.mobile, self.id_document, today)


@dataclass(frozen=True)
class Sent:
    """What the screen shows after sending: the batch's result and, in person, each signer's link."""

    request_id: str
    report: BatchReport
    links: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    """(signer's name, signing link): whoever holds a link signs, so it is shown and never kept."""


def candidates(ctx: AppContext, party_id: str) -> list[DirectSigner]:
    """The party itself and, for a company or a protected person, its representative. A company signs through
    its representative with the company's contact (as on a file made from an event); a guardian's email,
    mobile and ID document are their own, typed on the screen. Both carry the party's id: the file is in its
    history."""
    party = ctx.repos.parties.require(party_id)
    company = party.kind is PartyKind.COMPANY
    out: list[DirectSigner] = []
    if not company:
        out.append(DirectSigner(party.last_name, party.first_name, party.email, party.mobile, party.id_document,
                                party.id, "tiers"))  # fmt: skip
    for text in (party.representative, party.legal_representative):
        if text.strip():
            first, _, last = text.strip().rpartition(" ")
            email, mobile = (party.email, party.mobile) if company else ("", "")
            out.append(DirectSigner(last or first, first if last else "", email, mobile, party_id=party.id,
                                    source="représentant"))  # fmt: skip
    if company and not out:
        out.append(DirectSigner("", "", party.email, party.mobile, party_id=party.id, source="représentant"))
    return out


def problems(signers: list[DirectSigner], today: dt.date) -> list[str]:
    """One sentence per signer who cannot sign yet, naming each missing piece."""
    out = [f"{s.name} : {', '.join(m)}" for s in signers if (m := s.missing(today))]
    emails = [s.email.strip().lower() for s in signers]
    out += [f"{s.name} : même email qu'un autre signataire" for i, s in enumerate(signers) if s.email.strip().lower() in emails[:i]]  # fmt: skip
    return out


@dataclass(frozen=True)
class FolderEntry:
    key: str
    """« up », « dir:<path> » or « pdf:<path> »: what Entrée does with it."""
    label: str


def folder_entries(folder: str) -> tuple[str, list[FolderEntry]]:
    """The keyboard file picker's rows: the parent, the sub-folders, then the PDFs (hidden files left out)."""
    path = Path(folder).expanduser().resolve()
    try:
        children = sorted(path.iterdir(), key=lambda p: p.name.lower())
    except OSError as exc:
        raise ServiceError(f"Le dossier {path} ne peut pas être lu ({exc.strerror}).") from exc
    out = [FolderEntry("up", "../ (dossier parent)")] if path.parent != path else []
    visible = [c for c in children if not c.name.startswith(".")]
    out += [FolderEntry(f"dir:{c}", f"{c.name}/") for c in visible if c.is_dir()]
    out += [FolderEntry(f"pdf:{c}", c.name) for c in visible if c.is_file() and c.suffix.lower() == ".pdf"]
    return str(path), out


def read_pdfs(paths: list[str]) -> tuple[bytes, list[str]]:
    """The picked PDFs as one document (in the order picked), and their names."""
    if not paths:
        raise ValidationFailed({"files": "Choisissez au moins un PDF à faire signer."})
    parts: list[bytes] = []
    names: list[str] = []
    for text in paths:
        path = Path(text).expanduser()
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ServiceError(
                f"{path} ne peut pas être lu ({exc.strerror}) : choisissez un autre fichier."
            ) from exc
        if len(data) > MAX_BYTES:
            raise ServiceError(f"{path.name} dépasse 20 Mo, la limite du prestataire : réduisez-le.")
        parts.append(data)
        names.append(path.name)
    data = parts[0] if len(parts) == 1 else merge(parts, names)
    page_sizes(data, names[0])  # a file that is not a PDF is refused here, naming it
    return data, names


def _signer(s: DirectSigner, pages: tuple[tuple[float, float], ...], taken: list) -> Signer:  # type: ignore[type-arg]
    box = blank_signer(pages, taken).placements[0].evolve(role=Role.EVENT_PARTY)
    taken.append(box)
    phone = check_phone(s.mobile)
    return Signer(Role.EVENT_PARTY, normalise_name(s.last_name), normalise_name(s.first_name),
                  normalise_email(s.email), phone.e164 or s.mobile, s.party_id, True, (box,),
                  id_document=s.id_document)  # fmt: skip


def create(ctx: AppContext, party_id: str, paths: list[str], signers: list[DirectSigner], in_person: bool,
           provider: str) -> SignatureRequest:  # fmt: skip
    """Check, then write the file (« À envoyer ») with its PDF kept beside the store."""
    ctx.require_write()
    if not signers:
        raise ValidationFailed({"signers": "Cochez au moins un signataire."})
    if refused := problems(signers, ctx.now().date()):
        raise ValidationFailed({"signers": " ; ".join(refused) + "."})
    data, names = read_pdfs(paths)
    party = ctx.repos.parties.require(party_id)
    pages = tuple((p.width_pt, p.height_pt) for p in page_sizes(data, names[0]))
    title = f"{Path(names[0]).stem[:80]} — {party.short_name}"
    taken: list = []  # type: ignore[type-arg]
    resolved = tuple(_signer(s, pages, taken) for s in signers)
    with ctx.write() as w:
        number = w.next_sequence("signature_direct")
        reference = f"lsc-tiers-{ctx.now().year}-{number:06d}"
        stored = store_file(ctx.data_dir, ARCHIVE, reference, data)
        request = w.signatures.insert(
            SignatureRequest(event_id="", entity_id="", title=title, created_at=ctx.now_iso(),
                             created_by=ctx.user.login, provider=provider, signers=resolved, reference=reference,
                             pdf_sha256=stored.sha256, pdf_path=stored.path, pages=pages, in_person=in_person)
        )  # fmt: skip
        ctx.audit(
            w, "signature.creer.tiers", w.signatures, request.id, f"{reference} {', '.join(names)}"[:300]
        )
    return request


async def create_and_send(ctx: AppContext, party_id: str, paths: list[str], signers: list[DirectSigner],
                          in_person: bool) -> Sent:  # fmt: skip
    """Make the file and send it at once; in person, hand back each signer's link (never written)."""
    provider, client = signature_settings.active(ctx)
    if in_person and "in_person" not in client.capabilities:
        raise Unsupported(IN_PERSON_FR, reason="in_person", provider=provider)
    request = await asyncio.to_thread(create, ctx, party_id, paths, signers, in_person, provider)
    answers: list[RemoteSignature] = []
    report = await send_requests(
        ctx, [request.id], Collector(), on_sent=lambda _id, remote: answers.append(remote)
    )
    links: tuple[tuple[str, str], ...] = ()
    if in_person and answers:
        remote = answers[0]
        found = [s for s in remote.signers if s.signature_link] or list(
            await client.signing_links(remote.remote_id)
        )
        names = {
            s.remote_id: s
            for s in (await asyncio.to_thread(ctx.repos.signatures.require, request.id)).signers
        }
        links = tuple(
            (f"{names[s.remote_id].first_name} {names[s.remote_id].last_name.upper()}".strip()
             if s.remote_id in names else s.email, s.signature_link)
            for s in found if s.signature_link
        )  # fmt: skip
    return Sent(request.id, report, links)


async def signing_links(ctx: AppContext, request_id: str) -> tuple[tuple[str, str], ...]:
    """The links of the signers still to sign of a file in person, asked again of the provider (the screen
    that showed them was closed): shown, never written."""
    request = await asyncio.to_thread(ctx.repos.signatures.require, request_id)
    if not request.in_person or request.status is not SignatureStatus.PENDING:
        raise ServiceError("Seule une fiche en présentiel « Attente signature » a des liens de signature.")
    client = signature_settings.client_for(ctx, request.provider)
    if client is None:
        raise ServiceError("Le prestataire de cette fiche n'est plus configuré : rétablissez sa clé.")
    names = {s.remote_id: f"{s.first_name} {s.last_name.upper()}".strip() for s in request.signers}
    found = await client.signing_links(request.remote_id)
    return tuple((names.get(s.remote_id, s.email), s.signature_link) for s in found if s.signature_link)
