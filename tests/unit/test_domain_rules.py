"""Domain rules: exclusivity of roles, phones, emails, provider-safe names, status transitions."""

from __future__ import annotations

import itertools

import pytest

from lsc_tui.domain.contact import check_email, check_phone, clean_name
from lsc_tui.domain.roles import Role, disabled_roles, role_conflicts, toggle_role
from lsc_tui.domain.search import fold, matcher
from lsc_tui.domain.statuses import (
    InvalidTransition,
    LetterStatus,
    SignatureStatus,
    check_letter_transition,
    check_signature_transition,
)


def test_ticking_joint_owners_unticks_and_disables_owner() -> None:
    selected = toggle_role(frozenset({Role.OWNER, Role.MANAGER}), Role.JOINT_OWNERS)
    assert selected == {Role.JOINT_OWNERS, Role.MANAGER}
    assert Role.OWNER in disabled_roles(selected)
    # ticking the disabled one changes nothing
    assert toggle_role(selected, Role.OWNER) == selected


def test_ticking_co_tenants_unticks_and_disables_tenant() -> None:
    selected = toggle_role(frozenset({Role.TENANT, Role.GUARANTORS}), Role.CO_TENANTS)
    assert selected == {Role.CO_TENANTS, Role.GUARANTORS}
    assert "Colocataires" in disabled_roles(selected)[Role.TENANT]
    # unticking the plural role frees the singular again
    freed = toggle_role(selected, Role.CO_TENANTS)
    assert Role.TENANT not in disabled_roles(freed)
    assert toggle_role(freed, Role.TENANT) == {Role.TENANT, Role.GUARANTORS}


def test_stored_selection_breaking_a_rule_is_reported() -> None:
    assert len(role_conflicts({Role.OWNER, Role.JOINT_OWNERS, Role.TENANT, Role.CO_TENANTS})) == 2
    assert role_conflicts({Role.OWNER, Role.TENANT}) == []


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("06 08 90 41 23", "+33608904123"),
        ("0033 6 08 90 41 23", "+33608904123"),
        ("+33 (0)6 08 90 41 23", "+33608904123"),
        ("06.08.90.41.23", "+33608904123"),
        ("07-81-22-33-44", "+33781223344"),
    ],
)
def test_national_mobile_is_refused_with_its_fix(raw: str, e164: str) -> None:
    check = check_phone(raw)
    assert not check.ok
    assert check.e164 == e164
    assert check.is_mobile
    assert e164 in check.message


def test_e164_mobile_is_accepted() -> None:
    check = check_phone("+33608904123")
    assert check.ok and check.is_mobile and check.message == ""


def test_landline_given_as_mobile_is_refused_without_fix_offer() -> None:
    check = check_phone("04 72 33 44 55")
    assert not check.ok
    assert not check.is_mobile
    assert "fixe" in check.message


def test_foreign_mobile_keeps_its_country() -> None:
    assert check_phone("+44 7911 123456").e164 == "+447911123456"
    assert check_phone("+32 470 12 34 56").e164 == "+32470123456"
    assert check_phone("+447911123456").ok


@pytest.mark.parametrize("raw", ["garbage", "0608", "+33 6", "06 08 90 41 23 99 88", ""])
def test_garbage_phone_is_refused_with_a_message(raw: str) -> None:
    check = check_phone(raw)
    assert not check.ok
    assert check.e164 is None
    assert check.message


@pytest.mark.parametrize("raw", ["lea.moreau@exemple.fr", "a+b@sub.domain.fr", "o'brien@x.ie"])
def test_good_emails(raw: str) -> None:
    assert check_email(raw) == ""


@pytest.mark.parametrize("raw", ["a@b", "x y@z.fr", "a@@b.fr", "lea.moreau@", ".a@b.fr", "a..b@c.fr", ""])
def test_bad_emails(raw: str) -> None:
    assert check_email(raw)


def test_names_are_cleaned_for_providers() -> None:
    assert clean_name("S.C.I. Dupont & Fils") == "SCI Dupont et Fils"
    assert clean_name("Indivision L’Hôte / Lefèvre") == "Indivision L'Hôte Lefèvre"
    assert clean_name("  Cœurdevey_Noémie ") == "Cœurdevey Noémie"


def test_signature_transitions_refuse_going_back_from_signed() -> None:
    assert (
        check_signature_transition(SignatureStatus.DRAFT, SignatureStatus.PENDING) is SignatureStatus.PENDING
    )
    with pytest.raises(InvalidTransition):
        check_signature_transition(SignatureStatus.SIGNED, SignatureStatus.PENDING)
    with pytest.raises(InvalidTransition):
        check_signature_transition(SignatureStatus.DRAFT, SignatureStatus.SIGNED)
    with pytest.raises(InvalidTransition):
        check_signature_transition(SignatureStatus.CANCELLED, SignatureStatus.DRAFT)


def test_letter_transitions_follow_ar24() -> None:
    path = [
        LetterStatus.DRAFT,
        LetterStatus.TO_VALID,
        LetterStatus.WAITING,
        LetterStatus.SENT,
        LetterStatus.AR,
    ]
    for current, target in itertools.pairwise(path):
        assert check_letter_transition(current, target) is target
    with pytest.raises(InvalidTransition):
        check_letter_transition(
            LetterStatus.TO_VALID, LetterStatus.AR
        )  # never acknowledged before validation
    with pytest.raises(InvalidTransition):
        check_letter_transition(LetterStatus.NEGLIGENCE, LetterStatus.AR)
    with pytest.raises(InvalidTransition):
        check_letter_transition(LetterStatus.AR, LetterStatus.WAITING)


def test_search_ignores_accents_and_case() -> None:
    hay = fold("Bail colocation — Résidence Les Tilleuls, lot 12 — Œhmichen")
    assert matcher("tilleul COLOC")(hay)
    assert matcher("residence oehmichen")(hay)
    assert not matcher("vignes")(hay)
