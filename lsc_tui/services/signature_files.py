"""The fiche signature before it leaves (S3, S4, S8): its signers, their boxes, its message, and its PDFs.

A file can be changed while it is « À envoyer » or « En erreur »: once the provider has it, what it holds is
what the signers see. Each change says which revision it read, so two staff editing one file never overwrite
each other silently. Phones are stored in E.164 (a national mobile is refused with the fix to accept on one
key); only signers added on the file may be deleted, never those the template's roles gave (the source
system's rule). The signed PDF is read back only through its recorded hash: a copy altered on disk is refused.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from lsc_tui.documents import StampBox, page_sizes, stamp_boxes
from lsc_tui.documents.archive import read_file
from lsc_tui.domain.contact import InvalidEmail, check_phone, normalise_email
from lsc_tui.domain.models import Placement, SignatureRequest, Signer
from lsc_tui.domain.names import check_name, normalise_name
from lsc_tui.domain.preflight import Problem, box_problem, signer_label
from lsc_tui.domain.signers import blank_signer
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.services import rendering
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import EditConflict, ServiceError, ValidationFailed
from lsc_tui.services.signature_send import Checked, preflight
from lsc_tui.store import Conflict

EDITABLE = {SignatureStatus.DRAFT, SignatureStatus.ERROR}
FILE_MODE = 0o600


@dataclass(frozen=True)
class SignerForm:
    """What the signer form submits: the text as typed."""

    last_name: str
    first_name: str
    email: str
    phone: str


def detail(ctx: AppContext, request_id: str) -> Checked:
    """The file with what would stop it now (nothing once it has left)."""
    request = ctx.repos.signatures.require(request_id)
    if request.status not in EDITABLE | {SignatureStatus.SENDING}:
        return Checked(request, ())
    return preflight(ctx, [request_id])[0]


def can_edit(request: SignatureRequest) -> bool:
    return request.status in EDITABLE


def _editable(request: SignatureRequest) -> None:
    if not can_edit(request):
        raise ServiceError(
            f"Cette fiche est « {request.status.label} » : elle ne peut plus être modifiée chez nous, "
            "le prestataire a déjà ce qu'il fait signer."
        )


def validate_signer(form: SignerForm) -> tuple[dict[str, str], dict[str, str]]:
    """(errors by field, cleaned values). A national mobile is an error carrying its fix (ctrl+r)."""
    errors: dict[str, str] = {}
    values = {"last_name": normalise_name(form.last_name), "first_name": normalise_name(form.first_name)}
    for name, label in (("last_name", "Nom"), ("first_name", "Prénom")):
        if problem := check_name(getattr(form, name), field=label):
            errors[name] = problem
    try:
        values["email"] = normalise_email(form.email)
    except InvalidEmail as exc:
        errors["email"] = str(exc)
    values["phone"] = ""
    if form.phone.strip():
        phone = check_phone(form.phone)
        if phone.ok and phone.e164:
            values["phone"] = phone.e164
        else:
            errors["phone"] = phone.message
    return errors, values


def _write(ctx: AppContext, request: SignatureRequest, signers: tuple[Signer, ...], action: str, detail: str,
           **fields: object) -> SignatureRequest:  # fmt: skip
    try:
        with ctx.write() as w:
            saved = w.signatures.update(request.id, expect_rev=request.rev, signers=signers, **fields)
            ctx.audit(w, action, w.signatures, request.id, detail)
    except Conflict as exc:
        raise EditConflict("Cette fiche signature") from exc
    return saved


def _load(ctx: AppContext, request_id: str, expect_rev: int) -> SignatureRequest:
    ctx.require_write()
    request = ctx.repos.signatures.require(request_id)
    _editable(request)
    if request.rev != expect_rev:
        raise EditConflict("Cette fiche signature")
    return request


def save_signer(
    ctx: AppContext, request_id: str, index: int | None, form: SignerForm, *, expect_rev: int
) -> SignatureRequest:
    """Change signer `index`, or add one (None: « + », deletable, with a default box free of the others)."""
    request = _load(ctx, request_id, expect_rev)
    errors, values = validate_signer(form)
    if errors:
        raise ValidationFailed(errors)
    signers = list(request.signers)
    if index is None:
        taken = [p for s in signers for p in s.placements]
        signers.append(blank_signer(request.pages, taken).evolve(**values))
        return _write(ctx, request, tuple(signers), "signature.signataire.ajouter", f"n° {len(signers)}")
    signers[index] = signers[index].evolve(**values)
    return _write(ctx, request, tuple(signers), "signature.signataire.modifier", f"n° {index + 1}")


def delete_signer(ctx: AppContext, request_id: str, index: int, *, expect_rev: int) -> SignatureRequest:
    request = _load(ctx, request_id, expect_rev)
    signer = request.signers[index]
    if not signer.added_here:
        raise ServiceError(
            f"{signer_label(signer)} vient des signataires du modèle : il reste sur la fiche. Seuls les "
            "signataires ajoutés ici (+) peuvent être supprimés."
        )
    signers = request.signers[:index] + request.signers[index + 1 :]
    return _write(ctx, request, signers, "signature.signataire.supprimer", f"n° {index + 1}")


def accept_fix(ctx: AppContext, request_id: str, problem: Problem, *, expect_rev: int) -> SignatureRequest:
    """Put the pre-flight's suggested value (an E.164 phone, a provider-safe name) in its field. A phone
    taken from the party's file is corrected there too, in the same transaction: the next letter to that
    party would stop on the same number. (A provider-safe name stays on the file: the legal name is kept.)"""
    request = _load(ctx, request_id, expect_rev)
    if problem.signer is None or not problem.fix:
        raise ServiceError("Pas de correction proposée pour ce problème : ouvrez la fiche (Entrée).")
    signers = list(request.signers)
    before = signers[problem.signer]
    signers[problem.signer] = before.evolve(**{problem.field: problem.fix})
    try:
        with ctx.write() as w:
            saved = w.signatures.update(request.id, expect_rev=request.rev, signers=tuple(signers))
            ctx.audit(
                w,
                "signature.correction",
                w.signatures,
                request.id,
                f"n° {problem.signer + 1} {problem.field}",
            )
            party = w.parties.get(before.party_id) if problem.field == "phone" and before.party_id else None
            if party is not None and party.mobile.strip() == before.phone.strip():
                w.parties.update_contact(party.id, {"mobile": problem.fix}, expect_rev=party.rev)
                ctx.audit(w, "tiers.modifier", w.parties, party.id, "mobile")
    except Conflict as exc:
        raise EditConflict("Cette fiche signature") from exc
    return saved


def set_placement(
    ctx: AppContext, request_id: str, signer: int, box: int | None, placement: Placement, *, expect_rev: int
) -> SignatureRequest:
    """Move box `box` of signer `signer` (None: give the signer one more box)."""
    request = _load(ctx, request_id, expect_rev)
    if problem := box_problem(placement, request.pages):
        raise ServiceError(f"Emplacement refusé : {problem}.")
    signers = list(request.signers)
    boxes = list(signers[signer].placements)
    if box is None:
        boxes.append(placement)
    else:
        boxes[box] = placement
    signers[signer] = signers[signer].evolve(placements=tuple(boxes))
    return _write(ctx, request, tuple(signers), "signature.emplacement", f"n° {signer + 1}")


def set_note(ctx: AppContext, request_id: str, note: str, *, expect_rev: int) -> SignatureRequest:
    request = _load(ctx, request_id, expect_rev)
    if len(note.strip()) > 500:
        raise ValidationFailed({"note": "Message aux signataires : 500 caractères au plus."})
    return _write(ctx, request, request.signers, "signature.message", "", note=note.strip())


# ---- documents ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfView:
    """Pages of a PDF laid out for a terminal preview, and the boxes drawn on them (with their labels)."""

    title: str
    pages: tuple[rendering.PageLayout, ...]
    boxes: tuple[tuple[Placement, str], ...] = ()
    saved_to: str = ""


def _layouts(data: bytes, first_only: bool = False) -> tuple[rendering.PageLayout, ...]:
    first = rendering.page_text_layout(data, 1)
    if first_only:
        return (first,)
    count = len(page_sizes(data))
    return (first, *(rendering.page_text_layout(data, n) for n in range(2, count + 1)))


def placements_view(ctx: AppContext, request_id: str) -> PdfView:
    """« Voir les emplacements des signatures »: the file's PDF with every signer's boxes, at any time."""
    request = ctx.repos.signatures.require(request_id)
    data = read_file(ctx.data_dir, request.pdf_path, sha256=request.pdf_sha256)
    boxes = tuple((p, signer_label(s)) for s in request.signers for p in s.placements)
    return PdfView(f"Emplacements — {request.title}", _layouts(data), boxes)


def placements_pdf(ctx: AppContext, request_id: str) -> bytes:
    """The PDF with each box drawn and labelled with its signer's name."""
    request = ctx.repos.signatures.require(request_id)
    data = read_file(ctx.data_dir, request.pdf_path, sha256=request.pdf_sha256)
    stamps = [StampBox(p.page, p.x, p.y, p.width, p.height, signer_label(s)) for s in request.signers
              for p in s.placements]  # fmt: skip
    return stamp_boxes(data, stamps, f"{request.reference}.pdf")


def pdf_pages(ctx: AppContext, request_id: str) -> tuple[rendering.PageLayout, ...]:
    """Every page of the file's PDF, for the placement tool."""
    request = ctx.repos.signatures.require(request_id)
    return _layouts(read_file(ctx.data_dir, request.pdf_path, sha256=request.pdf_sha256))


def default_target(request: SignatureRequest) -> str:
    return str(Path.home() / f"{request.reference or 'document'}-signe.pdf")


def suggested_target(ctx: AppContext, request_id: str) -> str:
    """Where « Voir le document signé » proposes to save the PDF (the user's home, named by reference)."""
    return default_target(ctx.repos.signatures.require(request_id))


def save_signed_pdf(ctx: AppContext, request_id: str, target: str) -> PdfView:
    """« Voir le document signé »: once signed, the PDF exactly as received, saved where the user says
    (never over an existing file), and its first page for the preview."""
    request = ctx.repos.signatures.require(request_id)
    if request.status is not SignatureStatus.SIGNED or not request.signed_pdf_path:
        raise ServiceError(
            "Le document signé n'existe qu'une fois la fiche « Signé » et le PDF récupéré (F5)."
        )
    data = read_file(ctx.data_dir, request.signed_pdf_path, sha256=request.signed_sha256)
    path = Path(os.path.expanduser(target.strip() or default_target(request)))
    if path.is_dir():
        path = path / Path(default_target(request)).name
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
    except FileExistsError as exc:
        raise ServiceError(f"{path} existe déjà : choisissez un autre nom, rien n'a été écrasé.") from exc
    except OSError as exc:
        raise ServiceError(
            f"Impossible d'écrire {path} ({exc.strerror}) : choisissez un autre dossier."
        ) from exc
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    return PdfView(f"Document signé — {request.title}", _layouts(data, first_only=True), saved_to=str(path))
