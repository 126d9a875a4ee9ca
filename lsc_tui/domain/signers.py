"""Who signs an event's document (S1, T1, T2, T4): the template's ticked roles resolved over the event's parties.

One event is made for a whole co-tenancy or joint ownership, so a plural role gives one signer per party holding
it, each with their own boxes (domain/boxes.py). The manager (Gérant) is the entity's mail variables, else the
administration's (the caller resolves that, services/entities.manager_of); when neither is filled in, and for
a singular role no party holds, the signer is left « à compléter » rather than dropped: the file cannot go
until someone types who signs, and the pre-flight says so. Free slots are blank signers to fill in on the file.
"""

from __future__ import annotations

from collections.abc import Sequence

from lsc_tui.domain.boxes import A4, Page, Wanted, arrange
from lsc_tui.domain.models import EventParty, MailVariables, Party, PartyKind, Placement, Signer, Template
from lsc_tui.domain.roles import TICKABLE_ROLES, Role

DEFAULT_BOX = Placement(Role.FREE_SLOT, 1, 350, 700, 170, 74)
"""Where a signer with no box of the template signs: bottom right of the last page (YouSign refuses a signer
without a signature field, and a signature nobody can see still needs one)."""


def needs_input(signer: Signer) -> bool:
    """« À compléter »: a signer nobody on file stands for (manager without mail variables, free slot, a role
    no party holds) and whose name or email is still missing."""
    return not signer.party_id and not (signer.last_name.strip() and signer.email.strip())


def _person(role: Role, event_party: EventParty, party: Party) -> Signer:
    if party.kind is PartyKind.COMPANY and party.company_name:
        last, first = party.company_name, party.representative  # a company signs through its representative
    else:
        last, first = party.last_name, party.first_name
    return Signer(
        role=role,
        last_name=last,
        first_name=first,
        email=event_party.correspondent_email or party.email,
        phone=party.mobile,
        party_id=party.id,
    )


def _manager(manager: MailVariables | None) -> Signer:
    if manager is None:
        return Signer(Role.MANAGER, "")
    *first, last = manager.manager_name.split() or [""]
    return Signer(Role.MANAGER, last, " ".join(first), manager.manager_email)


def _who(
    template: Template, parties: Sequence[tuple[EventParty, Party | None]], manager: MailVariables | None
) -> list[tuple[Signer, list[Role]]]:
    """Each signer with the roles whose boxes it gets (one person holding two roles signs once)."""
    out: list[tuple[Signer, list[Role]]] = []
    by_party: dict[str, int] = {}
    for role in TICKABLE_ROLES:
        if role not in template.roles:
            continue
        if role is Role.MANAGER:
            out.append((_manager(manager), [role]))
            continue
        holders = [(ep, p) for ep, p in parties if ep.role is role and p is not None]
        if not holders and not role.is_plural:
            out.append((Signer(role, ""), [role]))
        for event_party, found in holders:
            if found.id in by_party:
                out[by_party[found.id]][1].append(role)
                continue
            by_party[found.id] = len(out)
            out.append((_person(role, event_party, found), [role]))
    out += [(Signer(Role.FREE_SLOT, ""), [Role.FREE_SLOT]) for _ in range(template.free_slots)]
    return out


def resolve_signers(
    template: Template,
    parties: Sequence[tuple[EventParty, Party | None]],
    manager: MailVariables | None,
    pages: Sequence[Page] = (A4,),
) -> tuple[Signer, ...]:
    """The signers of one event's document with their boxes laid out on `pages` (sizes of the rendered PDF).

    `parties`: the event's (role, party) pairs in the event's order, a deleted party as None."""
    who = _who(template, parties, manager)
    last_page = max(1, len(pages))
    wanted: list[Wanted] = []
    rank: dict[tuple[float, ...], int] = {}  # boxes on one spot, whatever their role, are co-signers' boxes
    for index, (_signer, roles) in enumerate(who):
        own = [p for p in template.placements if p.role in roles]
        for base in own or [DEFAULT_BOX.evolve(role=roles[0], page=last_page)]:
            spot = (base.page, base.x, base.y, base.width, base.height)
            wanted.append(Wanted(index, rank.get(spot, 0), base))
            rank[spot] = rank.get(spot, 0) + 1
    placed = arrange(wanted, pages)
    return tuple(
        signer.evolve(placements=tuple(box for w, box in zip(wanted, placed, strict=True) if w.owner == i))
        for i, (signer, _roles) in enumerate(who)
    )


def blank_signer(pages: Sequence[Page], taken: Sequence[Placement]) -> Signer:
    """A signer added on the file (« + »): empty, deletable, with a default box free of the others."""
    base = DEFAULT_BOX.evolve(page=max(1, len(pages)))
    wanted = [Wanted(-1, 0, box) for box in taken] + [Wanted(0, 1, base)]
    box = arrange(wanted, pages)[-1]
    return Signer(Role.FREE_SLOT, "", added_here=True, placements=(box,))
