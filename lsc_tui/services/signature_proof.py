"""« Dossier de preuve » (S10): what a firm hands a judge or a client to show a document was signed.

One zip per signature file: the signed PDF byte for byte as the archive keeps it (read through its recorded
hash, so a copy altered on disk is refused), the provider's audit trail (YouSign's merged PDF, ESign's proof
zip), our own audit-log lines for the file, a SHA-256 list of those members and a JSON manifest saying what
each member is. The audit trail is fetched once from the provider and then kept beside the store with its
hash (the file records both), so a later proof does not depend on the provider keeping it.

Saved where the user says — never over an existing file (created under a temporary name, then linked to the
target, which fails if the target appeared meanwhile), readable by the firm's group only (0640) — or filed on
a party of the file: kept under `documents/parties/` and listed in that party's history.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from lsc_tui.documents.archive import read_file, store_file
from lsc_tui.domain.models import SignatureRequest
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.services import exports, signature_settings
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import ServiceError
from lsc_tui.store import ANY_REV
from lsc_tui.store.repositories.audit import AuditEntry
from lsc_tui.store.repositories.party_documents import PartyDocument

MODE = 0o640
PROOFS = "proofs"
"""Archive category of the providers' audit trails."""
SIGNED = "document-signe.pdf"
JOURNAL = "journal.json"
SUMS = "SHA256SUMS"
MANIFEST = "manifest.json"
FORMAT = "lsc-tui/dossier-de-preuve/1"


def trail_name(data: bytes) -> str:
    """The audit trail's member name: YouSign answers a PDF, ESign a zip."""
    return "piste-d-audit.zip" if data[:2] == b"PK" else "piste-d-audit.pdf"


def _signed(request: SignatureRequest) -> None:
    if request.status is not SignatureStatus.SIGNED or not request.signed_pdf_path:
        raise ServiceError(
            f"« {request.title} » est « {request.status.label} » : le dossier de preuve existe une fois la fiche"
            " signée et le document signé reçu (F5)."
        )


# ---- the provider's audit trail ------------------------------------------------------------------------------


async def ensure_trail(ctx: AppContext, request: SignatureRequest) -> SignatureRequest:
    """The file with its audit trail kept beside the store (fetched from the provider the first time)."""
    _signed(request)
    if request.proof_path:
        return request
    client = signature_settings.client_for(ctx, request.provider)
    if client is None:
        label = signature_settings.PROVIDERS.get(request.provider, request.provider)
        raise ServiceError(
            f"{label} n'est plus configuré : rétablissez sa clé pour obtenir la piste d'audit."
        )
    data = await client.proof(request.remote_id)
    return await asyncio.to_thread(_keep_trail, ctx, request, data)


def _keep_trail(ctx: AppContext, request: SignatureRequest, data: bytes) -> SignatureRequest:
    ctx.require_write()
    suffix = ".zip" if data[:2] == b"PK" else ".pdf"
    stored = store_file(
        ctx.data_dir, PROOFS, f"preuve-{request.reference or request.id}", data, suffix=suffix
    )
    with ctx.write() as w:
        current = w.signatures.require(request.id)
        if current.proof_path:  # another process kept it first: keep theirs (ours stays unreferenced)
            return current
        saved = w.signatures.change(  # a fact from the provider, whatever the file holds otherwise
            request.id, {"proof_path": stored.path, "proof_sha256": stored.sha256}, expect_rev=ANY_REV
        )
        ctx.audit(w, "signature.preuve.recue", w.signatures, request.id, stored.sha256)
    return saved


# ---- the members -----------------------------------------------------------------------------------------------


def _journal(ctx: AppContext, request: SignatureRequest, entries: list[AuditEntry] | None) -> bytes:
    found = ctx.repos.audit.for_record(request.id) if entries is None else entries
    lines = [{"date": e.at, "utilisateur": e.user, "action": e.action, "detail": e.detail} for e in found]
    return json.dumps(lines, ensure_ascii=False, indent=1).encode()


def _manifest(ctx: AppContext, request: SignatureRequest, members: list[tuple[str, bytes]]) -> bytes:
    described = {
        SIGNED: "document signé, tel que reçu du prestataire",
        JOURNAL: "journal lsc-tui de la fiche (création, envoi, relances, statuts)",
    }
    body: dict[str, Any] = {
        "format": FORMAT,
        "fait_le": ctx.now_iso(),
        "fait_par": ctx.user.login,
        "fiche": {
            "titre": request.title,
            "reference": request.reference,
            "prestataire": request.provider,
            "identifiant_prestataire": request.remote_id,
            "envoyee_le": request.sent_at,
            "signee_le": request.signed_at,
            "entite": request.entity_name,
        },
        "signataires": [
            {"nom": f"{s.first_name} {s.last_name.upper()}".strip(), "role": s.role.label, "email": s.email}
            for s in request.signers
        ],
        "membres": [
            {
                "nom": name,
                "octets": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "contenu": described.get(name, "piste d'audit du prestataire"),
            }
            for name, data in members
        ],
    }
    return json.dumps(body, ensure_ascii=False, indent=1).encode()


def members(
    ctx: AppContext, request: SignatureRequest, audit: list[AuditEntry] | None = None
) -> Iterator[tuple[str, bytes]]:
    """The zip's members in order, read one at a time (a bundle never holds two files' PDFs at once).
    `audit`: the file's audit lines when already read (a bundle reads them by chunk)."""
    _signed(request)
    if not request.proof_path:
        raise ServiceError(f"« {request.title} » : piste d'audit pas encore reçue du prestataire.")
    signed = read_file(ctx.data_dir, request.signed_pdf_path, sha256=request.signed_sha256)
    trail = read_file(ctx.data_dir, request.proof_path, sha256=request.proof_sha256)
    listed = [(SIGNED, signed), (trail_name(trail), trail), (JOURNAL, _journal(ctx, request, audit))]
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in listed).encode()
    manifest = _manifest(ctx, request, listed)
    yield from listed
    yield SUMS, sums
    yield MANIFEST, manifest


def add_members(archive: zipfile.ZipFile, folder: str, ctx: AppContext, request: SignatureRequest,
                audit: list[AuditEntry] | None = None) -> None:  # fmt: skip
    """Write one file's members under `folder` ("" at the top), each member then dropped."""
    for name, data in members(ctx, request, audit):
        packed = zipfile.ZIP_STORED if name.endswith((".pdf", ".zip")) else zipfile.ZIP_DEFLATED
        archive.writestr(f"{folder}{name}", data, compress_type=packed)


# ---- writing a zip where the user says ----------------------------------------------------------------------


def checked_target(text: str) -> Path:
    """The typed path, refused if it exists (a proof is never written over a file) or has no folder."""
    path = exports.target(text)
    if path.suffix.lower() != ".zip":
        path = path.with_name(path.name + ".zip")
    if path.is_dir():
        raise ServiceError(f"{path} est un dossier : ajoutez le nom du fichier (ex. {path / 'preuve.zip'}).")
    if not path.parent.is_dir():
        raise ServiceError(f"Le dossier {path.parent} n'existe pas : créez-le ou choisissez un autre chemin.")
    if path.exists():
        raise ServiceError(f"Le fichier {path} existe déjà : choisissez un autre nom, rien n'est remplacé.")
    return path


@contextlib.contextmanager
def new_file(path: Path) -> Iterator[IO[bytes]]:
    """A file written under a temporary name and linked to `path` once whole: never over an existing file,
    never half a file at `path`; 0640 whatever the umask."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, MODE)
    except PermissionError as exc:
        raise ServiceError(
            f"Écriture refusée dans {path.parent} : choisissez un dossier où vous pouvez écrire."
        ) from exc
    try:
        os.fchmod(fd, MODE)
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError as exc:
            raise ServiceError(
                f"Le fichier {path} est apparu entre-temps : rien n'est remplacé, choisissez un autre nom."
            ) from exc
    except OSError as exc:
        raise ServiceError(
            f"Impossible d'écrire {path} ({exc.strerror}) : vérifiez l'espace disque."
        ) from exc
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()


def suggested_target(ctx: AppContext, request_id: str) -> str:
    request = ctx.repos.signatures.require(request_id)
    return f"~/preuve-{request.reference or request.id}.zip"


async def save_proof(ctx: AppContext, request_id: str, target: str) -> Path:
    """Write the proof zip of one signed file where the user says."""
    path = checked_target(target)
    request = await ensure_trail(ctx, ctx.repos.signatures.require(request_id))
    return await asyncio.to_thread(_save, ctx, request, path)


def _save(ctx: AppContext, request: SignatureRequest, path: Path) -> Path:
    with new_file(path) as out, zipfile.ZipFile(out, "w") as archive:
        add_members(archive, "", ctx, request)
    with ctx.write() as w:
        ctx.audit(w, "signature.preuve.enregistrer", w.signatures, request.id, path.name)
    return path


# ---- filed on a party -------------------------------------------------------------------------------------------


def parties_of(ctx: AppContext, request_id: str) -> list[tuple[str, str]]:
    """(party id, name) of the file's signers who are parties: where its proof can be filed."""
    request = ctx.repos.signatures.require(request_id)
    ids = list(dict.fromkeys(s.party_id for s in request.signers if s.party_id))
    found = ctx.repos.parties.get_many(ids)
    return [(i, found[i].display_name) for i in ids if i in found]


async def file_on_party(ctx: AppContext, request_id: str, party_id: str) -> PartyDocument:
    """Keep the proof zip in the firm's documents and list it in the party's history."""
    request = await ensure_trail(ctx, ctx.repos.signatures.require(request_id))
    return await asyncio.to_thread(_file, ctx, request, party_id)


def _file(ctx: AppContext, request: SignatureRequest, party_id: str) -> PartyDocument:
    ctx.require_write()
    if party_id not in {s.party_id for s in request.signers}:
        raise ServiceError(
            "Ce tiers ne signe pas cette fiche : classez la preuve chez l'un de ses signataires."
        )
    buffer = io.BytesIO()  # one file's proof: a few pages, kept whole to be stored with its hash
    with zipfile.ZipFile(buffer, "w") as archive:
        add_members(archive, "", ctx, request)
    stored = store_file(ctx.data_dir, "parties", f"preuve-{request.reference or request.id}", buffer.getvalue(),
                        suffix=".zip")  # fmt: skip
    with ctx.write() as w:
        party = w.parties.require(party_id)
        document = w.party_documents.insert(
            PartyDocument(
                party.id,
                "proof",
                f"Dossier de preuve — {request.title}",
                stored.path,
                stored.sha256,
                stored.size,
                ctx.now_iso(),
                ctx.user.login,
                request.id,
            )
        )
        ctx.audit(w, "tiers.document.classer", w.parties, party.id, f"{request.reference} {stored.sha256}")
    return document
