"""Who signs and where (S1, S4, T2, T4), and what stops a file before it leaves (S3, S5): pure rules."""

from __future__ import annotations

from itertools import combinations

from lsc_tui.domain.boxes import A4, overlaps
from lsc_tui.domain.models import (
    EventParty,
    MailVariables,
    Party,
    PartyKind,
    Placement,
    SignatureRequest,
    Signer,
    Template,
)
from lsc_tui.domain.preflight import check_request
from lsc_tui.domain.roles import Role
from lsc_tui.domain.signers import needs_input, resolve_signers

MANAGER = MailVariables("Claire Martin", "claire.martin@cabinet-martin.example")
PAGES3 = (A4, A4, A4)


def party(pid: str, last: str, first: str, email: str = "", mobile: str = "", **kw: object) -> Party:
    return Party(last_name=last, first_name=first, email=email or f"{pid}@exemple.fr", mobile=mobile, id=pid,
                 **kw)  # type: ignore[arg-type]  # fmt: skip


COLOC = Template(
    name="Bail colocation",
    roles=frozenset({Role.CO_TENANTS, Role.GUARANTORS, Role.MANAGER}),
    visible_signatures=True,
    placements=(
        Placement(Role.CO_TENANTS, 1, 60, 700, 150, 60),
        Placement(Role.CO_TENANTS, 3, 60, 640, 170, 74),
        Placement(Role.GUARANTORS, 3, 240, 640, 150, 74),
        Placement(Role.MANAGER, 3, 400, 640, 150, 74),
    ),
)
COTENANTS = [
    (EventParty("lea", Role.CO_TENANTS), party("lea", "Moreau", "Léa", mobile="+33611223344")),
    (EventParty("hugo", Role.CO_TENANTS), party("hugo", "Fontaine", "Hugo", mobile="06 08 90 41 23")),
    (EventParty("ines", Role.CO_TENANTS), party("ines", "Benali", "Inès", mobile="+33622334455")),
    (EventParty("gm", Role.GUARANTORS), party("gm", "Moreau", "Gérard", mobile="+33633445566")),
    (EventParty("gf", Role.GUARANTORS), party("gf", "Fontaine", "Sylvie", mobile="+33644556677")),
]


def boxes_on(signers: tuple[Signer, ...], page: int) -> list[Placement]:
    return [p for s in signers for p in s.placements if p.page == page]


def test_co_tenancy_gives_each_co_tenant_each_guarantor_and_the_manager() -> None:
    signers = resolve_signers(COLOC, COTENANTS, MANAGER, PAGES3)
    assert [(s.role, s.last_name, s.first_name) for s in signers] == [
        (Role.CO_TENANTS, "Moreau", "Léa"),
        (Role.CO_TENANTS, "Fontaine", "Hugo"),
        (Role.CO_TENANTS, "Benali", "Inès"),
        (Role.GUARANTORS, "Moreau", "Gérard"),
        (Role.GUARANTORS, "Fontaine", "Sylvie"),
        (Role.MANAGER, "Martin", "Claire"),
    ]
    assert signers[1].phone == "06 08 90 41 23" and signers[1].party_id == "hugo"
    assert signers[-1].email == MANAGER.manager_email and not any(s.added_here for s in signers)
    # each co-tenant has its own box on pages 1 and 3, the guarantors on 3, the manager on 3
    assert [len(s.placements) for s in signers] == [2, 2, 2, 1, 1, 1]


def test_co_signers_sit_side_by_side_never_on_the_same_spot_and_stay_on_the_page() -> None:
    signers = resolve_signers(COLOC, COTENANTS, MANAGER, PAGES3)
    for page in (1, 3):
        boxes = boxes_on(signers, page)
        for a, b in combinations(boxes, 2):
            assert not overlaps(a, b), (page, a, b)
        for box in boxes:
            assert box.x >= 0 and box.x + box.width <= A4[0] and box.y >= 0 and box.y + box.height <= A4[1]
    first = boxes_on(signers, 1)
    assert (first[0].x, first[0].y) == (60, 700)  # the first co-tenant keeps the template's spot
    assert (first[1].x, first[1].y) == (60 + 150 + 8, 700)  # the next one just to its right, same row
    # on page 3 the template's own boxes keep their place: guarantor and manager were there first
    third = {(s.last_name, p.role): (p.x, p.y) for s in signers for p in s.placements if p.page == 3}
    assert third[("Moreau", Role.GUARANTORS)] == (240, 640) and third[("Martin", Role.MANAGER)] == (400, 640)
    assert third[("Moreau", Role.CO_TENANTS)] == (60, 640)
    assert third[("Fontaine", Role.CO_TENANTS)][1] != 640  # no room right of it: wrapped to another row


def test_many_co_signers_wrap_and_shrink_rather_than_stack() -> None:
    template = Template(
        name="PV", roles=frozenset({Role.COUNCIL_MEMBERS}),
        placements=(Placement(Role.COUNCIL_MEMBERS, 1, 400, 760, 170, 74),),
    )  # fmt: skip
    members = [
        (EventParty(f"m{i}", Role.COUNCIL_MEMBERS), party(f"m{i}", f"Membre{i}", "Jo")) for i in range(40)
    ]
    boxes = boxes_on(resolve_signers(template, members, None, (A4,)), 1)
    assert len(boxes) == 40
    for a, b in combinations(boxes, 2):
        assert not overlaps(a, b)
    for box in boxes:
        assert box.x + box.width <= A4[0] and box.y + box.height <= A4[1] and box.x >= 0 and box.y >= 0


def test_manager_falls_back_to_a_signer_to_complete_and_free_slots_are_left_to_fill() -> None:
    template = Template(name="Avenant", roles=frozenset({Role.EVENT_PARTY, Role.MANAGER}), free_slots=2)
    parties = [(EventParty("roux", Role.EVENT_PARTY, correspondent_email="curateur@exemple.fr"),
                party("roux", "Roux", "Jeanne"))]  # fmt: skip
    signers = resolve_signers(template, parties, None, (A4,))
    assert [s.role for s in signers] == [Role.EVENT_PARTY, Role.MANAGER, Role.FREE_SLOT, Role.FREE_SLOT]
    assert signers[0].email == "curateur@exemple.fr"  # the correspondent's email wins for this event
    assert [needs_input(s) for s in signers] == [False, True, True, True]
    assert all(s.placements for s in signers)  # YouSign needs a signature field per signer: a default box


def test_one_person_in_two_roles_signs_once_and_a_missing_singular_role_is_to_complete() -> None:
    template = Template(
        name="PV", roles=frozenset({Role.COUNCIL_MEMBERS, Role.COUNCIL_PRESIDENT, Role.OWNER})
    )
    p = party("p1", "Durand", "Paul")
    parties = [(EventParty("p1", Role.COUNCIL_MEMBERS), p), (EventParty("p1", Role.COUNCIL_PRESIDENT), p)]
    signers = resolve_signers(template, parties, MANAGER, (A4,))
    assert [(s.role, s.party_id) for s in signers] == [(Role.OWNER, ""), (Role.COUNCIL_MEMBERS, "p1")]
    assert needs_input(signers[0])


def test_a_company_signs_through_its_representative() -> None:
    template = Template(name="Mandat", roles=frozenset({Role.OWNER}))
    sci = party("sci", "", "", kind=PartyKind.COMPANY, company_name="S.C.I. Dupont & Fils",
                representative="Marc Dupont")  # fmt: skip
    [signer] = resolve_signers(template, [(EventParty("sci", Role.OWNER), sci)], None, (A4,))
    assert (signer.last_name, signer.first_name) == ("S.C.I. Dupont & Fils", "Marc Dupont")


# ---- pre-flight -----------------------------------------------------------------------------------------------


def request(*signers: Signer, skip_sms: bool = False) -> SignatureRequest:
    return SignatureRequest("ev", "ent", "Bail", "2026-11-23T09:30:00", signers=signers, skip_sms=skip_sms)


BOX = (Placement(Role.TENANT, 1, 350, 700, 170, 74),)


def test_preflight_catches_every_problem_with_its_fix() -> None:
    signers = (
        Signer(Role.CO_TENANTS, "Fontaine", "Hugo", "hugo@exemple.fr", "06 08 90 41 23", "h", placements=BOX),
        Signer(Role.OWNER, "S.C.I. Dupont & Fils", "Marc", "sci@exemple.fr", "+33611223344", "s",
               placements=BOX),
        Signer(Role.TENANT, "Petit", "Ana", "", "04 72 33 44 55", "p", placements=BOX),
        Signer(Role.MANAGER, "", "", "", "", placements=BOX),
        Signer(Role.GUARANTORS, "Roux", "Jo", "jo@exemple.fr", "+33655667788", "r",
               placements=(Placement(Role.GUARANTORS, 2, 500, 800, 170, 74),)),
        Signer(Role.GUARANTORS, "Zoé", "Léa", "zoé@exemple.fr", "+33655667789", "z", placements=()),
    )  # fmt: skip
    problems = check_request(request(*signers), provider="yousign", pages=(A4,))
    found = [(p.signer, p.field, p.fix) for p in problems]
    assert (0, "phone", "+33608904123") in found
    assert (1, "last_name", "SCI Dupont et Fils") in found
    assert (2, "email", "") in found and (2, "phone", "") in found  # a landline cannot get the SMS code
    assert [(p.signer, p.field) for p in problems if p.signer == 3] == [(3, "to_complete")]
    assert (4, "placements", "") in found  # page 2 of a one-page document
    assert (5, "placements", "") in found and (5, "email", "") in found  # no box; accents YouSign refuses
    hugo = next(p for p in problems if p.signer == 0)
    assert "+33608904123" in hugo.message and "Fontaine" in hugo.message


def test_preflight_without_sms_ignores_a_landline_and_a_file_without_signer_is_stopped() -> None:
    landline = Signer(Role.TENANT, "Petit", "Ana", "ana@exemple.fr", "04 72 33 44 55", "p", placements=BOX)
    assert check_request(request(landline, skip_sms=True), provider="esign", pages=(A4,)) == []
    [nobody] = check_request(request(), provider="yousign", pages=(A4,))
    assert nobody.signer is None and nobody.field == "signers"


def test_a_file_without_its_document_says_so_once_not_per_box() -> None:
    """A file whose PDF was never made has no page: « emplacement en page 1 alors que le document a 0 page(s) »
    for every signer sent people looking for a wrong box."""
    tenant = Signer(Role.TENANT, "Petit", "Ana", "ana@exemple.fr", "+33611223344", "p", placements=BOX)
    [missing] = check_request(request(tenant), provider="yousign", pages=())
    assert missing.signer is None and missing.field == "document"
    assert "document" in missing.message and "page" not in missing.message
    assert check_request(request(tenant), provider="yousign", pages=(A4,)) == []
