"""Event → PDF (E3, L3): the letterhead, the recipient block and the mail-merged text, handed to documents.

Also what the placement tool (T6) needs without touching the documents floor itself: a template rendered
with sample data, its pages drawn on a character grid, and boxes converted to grid cells. Screens call these
functions; only this module knows the shape of documents' requests.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lsc_tui.documents import (
    DocumentError,
    Letterhead,
    RenderedPdf,
    RenderRequest,
    StampBox,
    french_date,
    render_event,
    stamp_boxes,
)
from lsc_tui.documents.preview import CellBox, PageLayout, box_to_cells, page_layout, render_grid
from lsc_tui.domain.mailmerge import MergeResult, merge
from lsc_tui.domain.models import Entity, Event, MailVariables, Party, Placement, Template
from lsc_tui.services import entities
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import ServiceError

__all__ = [
    "CellBox",
    "EventRender",
    "PageLayout",
    "box_cells",
    "clamp_placement",
    "letterhead",
    "move_placement",
    "page_grid",
    "page_text_layout",
    "render_event_pdf",
    "resize_placement",
    "sample_render",
    "stamp_placements",
]

#: What a template shows in the placement tool: plausible values, so lines wrap as in a real letter.
SAMPLE_VALUES: dict[str, str] = {
    "entite.nom": "Résidence Les Exemples",
    "entite.adresse": "12 rue de l'Exemple, 69003 Lyon",
    "entite.code": "EXE",
    "tiers.nom": "M. DUPONT Jean, Mme MARTIN Sophie",
    "tiers.adresse": "4 place Bellecour, 69002 Lyon",
    "tiers.email": "jean.dupont@exemple.fr",
    "gerant.nom": "Claire Martin",
    "gerant.email": "gerant@exemple.fr",
    "administration.nom": "Cabinet Exemple",
    "chrono": "2026-000000",
    "lot": "12",
    "AR24_LienConsentement": "https://www.ar24.fr/",
}
SAMPLE_RECIPIENT = ("M. DUPONT Jean", "Mme MARTIN Sophie", "4 place Bellecour", "69002 Lyon")


@dataclass(frozen=True)
class EventRender:
    """The PDF of an event and what the merge could not fill: `unknown` variables (typos, printed as
    typed) and `empty` ones (known, but without a value); a sending service refuses a letter with either."""

    pdf: RenderedPdf
    unknown: tuple[str, ...] = ()
    empty: tuple[str, ...] = ()

    @property
    def problems(self) -> list[str]:
        out = [f"Variable inconnue : {{{n}}}" for n in self.unknown]
        out += [f"Variable sans valeur : {{{n}}}" for n in self.empty]
        out += [f"{p.file_name} : {p.message_fr}" for p in self.pdf.problems]
        return out


@contextmanager
def _as_service_error() -> Iterator[None]:
    """Documents speak French already; screens catch ServiceError only."""
    try:
        yield
    except DocumentError as exc:
        raise ServiceError(exc.message_fr) from exc


# ------------------------------------------------------------------------------------------ administration


def letterhead(ctx: AppContext) -> Letterhead:
    """The firm's heading from the "administration" settings record (empty name when not configured)."""
    admin = entities.administration(ctx)
    address = admin.get("address") or ()
    lines = tuple(str(x) for x in address) if isinstance(address, list | tuple) else (str(address),)
    return Letterhead(str(admin.get("name", "")), lines, str(admin.get("contact", "")))


def _place(head: Letterhead) -> str:
    """The town printed before the date: the last address line without its postcode."""
    if not head.address_lines:
        return ""
    return re.sub(r"^\s*\d{4,5}\s*", "", head.address_lines[-1]).strip()


# ------------------------------------------------------------------------------------------------- events


def _one_line(lines: Iterable[str]) -> str:
    return ", ".join(x for x in lines if x)


def event_values(
    ctx: AppContext,
    event: Event,
    entity: Entity | None,
    parties: list[Party],
    manager: MailVariables | None,
) -> dict[str, str]:
    """Values of every catalogue variable for one event (empty when unknown: the merge reports it)."""
    head = letterhead(ctx)
    first = parties[0] if parties else None
    day = _event_date(ctx, event)
    return {
        "entite.nom": entity.name if entity else "",
        "entite.adresse": _one_line(entity.address.lines()) if entity else "",
        "entite.code": entity.code if entity else "",
        "tiers.nom": ", ".join(p.display_name for p in parties),
        "tiers.adresse": _one_line(first.address.lines()) if first else "",
        "tiers.email": first.email if first else "",
        "gerant.nom": manager.manager_name if manager else "",
        "gerant.email": manager.manager_email if manager else "",
        "administration.nom": head.name,
        "date": french_date(day),
        "chrono": event.chrono,
        "lot": event.lot,
        "AR24_LienConsentement": str(entities.administration(ctx).get("ar24_consent_link", "")),
    }


def _event_date(ctx: AppContext, event: Event) -> dt.date:
    if event.chrono_date:
        try:
            return dt.datetime.fromisoformat(event.chrono_date).date()
        except ValueError:
            pass
    return ctx.now().date()


def _attachment_paths(ctx: AppContext, names: Iterable[str]) -> tuple[Path, ...]:
    """Attachments are stored as paths, relative ones under the data directory."""
    return tuple(Path(n) if Path(n).is_absolute() else ctx.data_dir / n for n in names)


def _recipient_lines(parties: list[Party]) -> tuple[str, ...]:
    """Every addressee's name, then the first one's postal address (one letter for a whole indivision)."""
    if not parties:
        return ()
    names = [p.display_name for p in parties]
    return (*names, *parties[0].address.lines())


def _merge_all(texts: Mapping[str, str], values: Mapping[str, str]) -> tuple[dict[str, str], MergeResult]:
    merged: dict[str, str] = {}
    unknown: dict[str, None] = {}
    empty: dict[str, None] = {}
    for key, text in texts.items():
        result = merge(text, values)
        merged[key] = result.text
        unknown.update(dict.fromkeys(result.unknown))
        empty.update(dict.fromkeys(result.empty))
    return merged, MergeResult("", tuple(unknown), tuple(empty))


def render_event_pdf(
    ctx: AppContext, event_id: str, *, recipient_party_id: str | None = None, event: Event | None = None,
    values: Mapping[str, str] | None = None,
) -> EventRender:  # fmt: skip
    """The event's letter (template subject and body merged) plus its attachments.

    `recipient_party_id` addresses the letter to one party (one registered letter per recipient, L3);
    without it the letter names every party of the event (one signature file for all, S1). `event`: the
    event as a sending transaction holds it, chrono just taken, not yet committed. `values`: what this one
    letter knows better than the catalogue (the recipient's own AR24 consent link).
    """
    repos = ctx.repos
    event = event or repos.events.require(event_id)
    template = repos.templates.get(event.template_id)
    if template is None:
        raise ServiceError(f"Le modèle de l'événement « {event.title} » n'existe plus.")
    entity = repos.entities.get(event.entity_id)
    party_ids = [ep.party_id for ep in event.parties]
    if recipient_party_id is not None:
        party_ids = [pid for pid in party_ids if pid == recipient_party_id]
    found = repos.parties.get_many(party_ids)
    parties = [found[pid] for pid in party_ids if pid in found]
    manager = entities.manager_of(ctx, entity) if entity else None

    merging = {**event_values(ctx, event, entity, parties, manager), **(values or {})}
    body = event.body or template.body
    merged, problems = _merge_all({"subject": template.subject or event.title, "body": body}, merging)
    head = letterhead(ctx)
    request = RenderRequest(
        letterhead=head,
        entity_name=entity.name if entity else "",
        chrono=event.chrono or None,
        date=_event_date(ctx, event),
        place=_place(head),
        recipient_lines=_recipient_lines(parties),
        subject=merged["subject"],
        body=merged["body"],
        signature_lines=_signature_lines(merging["gerant.nom"], head),
        attachments=_attachment_paths(ctx, event.attachments),
    )
    with _as_service_error():
        pdf = render_event(request)
    return EventRender(pdf, problems.unknown, problems.empty)


def _signature_lines(manager_name: str, head: Letterhead) -> tuple[str, ...]:
    return tuple(x for x in (manager_name, head.name) if x)


def sample_render(ctx: AppContext, template: Template) -> RenderedPdf:
    """The template as it stands in the form (saved or not), filled with sample data, for the placement tool."""
    head = letterhead(ctx)
    today = ctx.now().date()
    values = {**SAMPLE_VALUES, "date": french_date(today), "administration.nom": head.name}
    merged, _problems = _merge_all(
        {"subject": template.subject or template.name, "body": template.body}, values
    )
    request = RenderRequest(
        letterhead=head,
        entity_name=values["entite.nom"],
        chrono=None,
        date=today,
        place=_place(head),
        recipient_lines=SAMPLE_RECIPIENT,
        subject=merged["subject"],
        body=merged["body"],
        signature_lines=_signature_lines(values["gerant.nom"], head),
    )
    with _as_service_error():
        return render_event(request)


# ------------------------------------------------------------------------------------- placement preview


def page_text_layout(data: bytes, page: int) -> PageLayout:
    """Size and positioned text of one page (1-based) of a rendered PDF."""
    with _as_service_error():
        return page_layout(data, page)


def page_grid(layout: PageLayout, cols: int, rows: int) -> list[str]:
    """The page's text laid out at scale on `rows` lines of `cols` characters."""
    return render_grid(layout, cols, rows)


def box_cells(layout: PageLayout, placement: Placement, cols: int, rows: int) -> CellBox:
    """The grid cells a placement covers on that grid."""
    return box_to_cells(layout, placement, cols, rows)


def stamp_placements(data: bytes, placements: Iterable[Placement], name: str = "document.pdf") -> bytes:
    """The PDF with each placement drawn and labelled with its role ("Voir les emplacements des signatures")."""
    boxes = [StampBox(p.page, p.x, p.y, p.width, p.height, p.role.label) for p in placements]
    with _as_service_error():
        return stamp_boxes(data, boxes, name)


# -------------------------------------------------------------------------------- placement box geometry


def clamp_placement(p: Placement, page_width: float, page_height: float) -> Placement:
    """Whole points (YouSign takes integers), at least 85 × 37, and entirely on the page."""
    max_w, max_h = math.floor(page_width), math.floor(page_height)
    width = min(max_w, max(math.ceil(Placement.MIN_WIDTH), round(p.width)))
    height = min(max_h, max(math.ceil(Placement.MIN_HEIGHT), round(p.height)))
    x = min(max_w - width, max(0, round(p.x)))
    y = min(max_h - height, max(0, round(p.y)))
    return p.evolve(x=x, y=y, width=width, height=height)


def move_placement(p: Placement, dx: int, dy: int, page_width: float, page_height: float) -> Placement:
    return clamp_placement(p.evolve(x=p.x + dx, y=p.y + dy), page_width, page_height)


def resize_placement(p: Placement, dw: int, page_width: float, page_height: float) -> Placement:
    """Grow or shrink by `dw` points of width keeping the box's proportions (YouSign draws a fixed ratio);
    a box that would leave the page is pushed back onto it rather than cut."""
    if p.width <= 0 or p.height <= 0:
        return clamp_placement(p, page_width, page_height)
    width = max(Placement.MIN_WIDTH, p.width + dw)
    # At the minimum width, "-" goes on shrinking the height, so rounding never strands a box above 37 pt.
    ratio = width / p.width if width != p.width else 1 + dw / p.width
    height = max(Placement.MIN_HEIGHT, p.height * ratio)
    return clamp_placement(p.evolve(width=width, height=height), page_width, page_height)
