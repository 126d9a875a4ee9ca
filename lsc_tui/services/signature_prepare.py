"""« Expédier vers la signature électronique » (S1, E3): from events to signature files, one file per event.

For each event, one transaction takes its chrono (services/chrono.assign_in), renders the PDF with that chrono,
keeps it beside the store (byte for byte, hashed), resolves the signers from the template's roles over the
event's parties (domain/signers.py) and writes the file « À envoyer » with the event moved to « En signature »:
all of it or nothing, so a file never exists without its PDF nor an event with a chrono and no file. An event
whose file is still to send is handed back as it is (running the action again continues where it stopped); one
already sent or signed is left alone and said so; one whose file was refused, cancelled or expired gets a new
file with a new reference (the provider would otherwise hand back the old request).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lsc_tui.documents.archive import store_file
from lsc_tui.domain.models import Event, SignatureRequest, Signer, Template
from lsc_tui.domain.signers import resolve_signers
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.services import entities, rendering, signature_settings
from lsc_tui.services.chrono import assign_in
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import ServiceError
from lsc_tui.store.repositories import Repos

ARCHIVE = "signature"
OPEN = {SignatureStatus.DRAFT, SignatureStatus.SENDING, SignatureStatus.ERROR}
"""A file in these statuses is the event's file still to send: expediting again hands it back."""
BUSY = {SignatureStatus.PENDING, SignatureStatus.SIGNED}


@dataclass
class PrepareReport:
    """The files ready for the pre-flight (new or still to send), and each event left aside with why."""

    files: list[SignatureRequest] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(event title, French reason)."""

    @property
    def ids(self) -> list[str]:
        return [f.id for f in self.files]


def expedite(ctx: AppContext, event_ids: list[str]) -> PrepareReport:
    """Make (or find) the signature file of each event, in the order given."""
    ctx.require_write()
    provider = signature_settings.provider_name(ctx)
    report = PrepareReport()
    for event_id in dict.fromkeys(event_ids):
        try:
            report.files.append(_prepare(ctx, event_id, provider))
        except ServiceError as exc:
            event = ctx.repos.events.get(event_id)
            report.skipped.append((event.title if event else event_id, exc.message))
    return report


def _prepare(ctx: AppContext, event_id: str, provider: str) -> SignatureRequest:
    with ctx.write() as w:
        w.signatures.guard()  # two staff expediting one event at once make one file
        event = w.events.require(event_id)
        existing = w.signatures.for_event(event_id)
        for request in existing:
            if request.status in OPEN:
                return request
            if request.status in BUSY:
                raise ServiceError(f"déjà envoyé pour signature ({request.status.label}).")
        if event.signature_request_id:
            raise ServiceError("c'est un événement retour : il classe un document déjà signé.")
        template = w.templates.get(event.template_id)
        if template is None:
            raise ServiceError("son modèle n'existe plus.")
        if not template.roles and not template.free_slots:
            raise ServiceError(
                f"le modèle « {template.name} » ne prévoit aucun signataire : cochez-en dans son onglet"
                " Signature électronique."
            )
        chrono = assign_in(w, ctx, [event_id])[event_id]
        event = w.events.require(event_id)
        render = rendering.render_event_pdf(ctx, event_id, event=event)
        if render.problems:
            raise ServiceError(" ; ".join(render.problems) + " : corrigez le modèle ou l'événement.")
        stored = store_file(ctx.data_dir, ARCHIVE, f"{chrono}-{event.title}", render.pdf.data)
        pages = tuple((p.width_pt, p.height_pt) for p in render.pdf.pages)
        request = w.signatures.insert(
            SignatureRequest(
                event_id=event_id,
                entity_id=event.entity_id,
                title=event.title,
                created_at=ctx.now_iso(),
                created_by=ctx.user.login,
                provider=provider,
                signers=_signers(ctx, w, event, template, pages),
                skip_sms=template.skip_sms,
                reference=f"lsc-{chrono}" + (f"-{len(existing) + 1}" if existing else ""),
                pdf_sha256=stored.sha256,
                entity_name=event.entity_name,
                pdf_path=stored.path,
                pages=pages,
                note=template.signature_note,
                reminder_interval=template.reminder_interval,
                reminder_count=template.reminder_count,
            )
        )
        w.events.set_state(event_id, "signature", expect_rev=event.rev)
        ctx.audit(w, "signature.creer", w.signatures, request.id, f"{chrono} {request.reference}")
    return request


def _signers(
    ctx: AppContext, w: Repos, event: Event, template: Template, pages: tuple[tuple[float, float], ...]
) -> tuple[Signer, ...]:
    found = w.parties.get_many([ep.party_id for ep in event.parties])
    pairs = [(ep, found.get(ep.party_id)) for ep in event.parties]
    entity = w.entities.get(event.entity_id)
    manager = entities.manager_of(ctx, entity) if entity is not None else None
    return resolve_signers(template, pairs, manager, pages)
