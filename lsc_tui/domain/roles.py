"""Signer roles a template can tick, and the two exclusivity rules of the source system.

One event is made for a whole joint ownership (or co-tenancy): ticking the plural role must exclude the
singular one, otherwise the same person would be asked to sign twice on the same document.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    JOINT_OWNERS = "joint_owners"
    TENANT = "tenant"
    CO_TENANTS = "co_tenants"
    GUARANTORS = "guarantors"
    SELLER = "seller"
    SELLER_NOTARY = "seller_notary"
    BUYER = "buyer"
    BUYER_NOTARY = "buyer_notary"
    COUNCIL_MEMBERS = "council_members"
    COUNCIL_PRESIDENT = "council_president"
    EVENT_PARTY = "event_party"
    MANAGER = "manager"
    FREE_SLOT = "free_slot"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def is_plural(self) -> bool:
        """Plural roles resolve to every party holding the role (each gets its own signer and boxes)."""
        return self in {Role.JOINT_OWNERS, Role.CO_TENANTS, Role.GUARANTORS, Role.COUNCIL_MEMBERS}


ROLE_LABELS: dict[Role, str] = {
    Role.OWNER: "Propriétaire",
    Role.JOINT_OWNERS: "Indivisaires",
    Role.TENANT: "Locataire",
    Role.CO_TENANTS: "Colocataires",
    Role.GUARANTORS: "Garants",
    Role.SELLER: "Vendeur du lot",
    Role.SELLER_NOTARY: "Notaire du vendeur",
    Role.BUYER: "Acquéreur du lot",
    Role.BUYER_NOTARY: "Notaire de l'acquéreur",
    Role.COUNCIL_MEMBERS: "Membres du conseil syndical",
    Role.COUNCIL_PRESIDENT: "Président du conseil syndical",
    Role.EVENT_PARTY: "Tiers de l'événement",
    Role.MANAGER: "Gérant",
    Role.FREE_SLOT: "Emplacement libre",
}

# Ticking the key role excludes the value role.
EXCLUSIONS: dict[Role, Role] = {
    Role.JOINT_OWNERS: Role.OWNER,
    Role.CO_TENANTS: Role.TENANT,
}

EXCLUSION_REASONS: dict[Role, str] = {
    Role.OWNER: "Indivisaires est coché : un seul événement pour toute l'indivision, pas de Propriétaire en plus.",
    Role.TENANT: "Colocataires est coché : chaque colocataire signe déjà, pas de Locataire en plus.",
}

# Roles a template ticks (free slots are a count, not a tick box).
TICKABLE_ROLES: tuple[Role, ...] = tuple(r for r in Role if r is not Role.FREE_SLOT)


def disabled_roles(selected: frozenset[Role] | set[Role]) -> dict[Role, str]:
    """Roles that may not be ticked given the current selection, with the one-line reason to show."""
    return {
        excluded: EXCLUSION_REASONS[excluded] for plural, excluded in EXCLUSIONS.items() if plural in selected
    }


def toggle_role(selected: frozenset[Role], role: Role) -> frozenset[Role]:
    """Tick or untick `role`, applying the exclusivity rules (ticking a plural role unticks its singular)."""
    if role in selected:
        return selected - {role}
    if role in disabled_roles(selected):
        return selected
    result = set(selected) | {role}
    excluded = EXCLUSIONS.get(role)
    if excluded is not None:
        result.discard(excluded)
    return frozenset(result)


def role_conflicts(selected: frozenset[Role] | set[Role]) -> list[str]:
    """Reasons a stored selection breaks the rules (a template imported or edited elsewhere)."""
    return [
        EXCLUSION_REASONS[ex] for plural, ex in EXCLUSIONS.items() if plural in selected and ex in selected
    ]
