"""Consommation (O4): documents signed and signatures used over a period, month by month, by user, entity,
signer or provider — what the firm is billed for and can recharge to a building (X10).

A document counts in the month its file was signed; a signature is one signer of a signed file (a signed
file is signed by every one of its signers). By signer, a file counts once for each of its signers, so the
groups add up to more than the total: the total row says what was billed.
Only the files signed in the period are read, found by their month of signature (an indexed column).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from lsc_tui.domain.periods import check_range, month_label, month_of, months_between
from lsc_tui.services import exports
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import ValidationFailed

DIMENSIONS = {"user": "Utilisateur", "entity": "Entité", "signer": "Signataire", "provider": "Prestataire"}
MEASURES = {"documents": "Documents signés", "signatures": "Signatures utilisées"}
PROVIDERS = {"yousign": "YouSign", "esign": "ESign"}
MAX_MONTHS = 36
NO_ENTITY = "Sans entité (signé depuis un tiers)"
"""A file signed from a party's form (S11) belongs to no building."""
HEADER = ("Mois", "Par", "Groupe", "Documents signés", "Signatures utilisées")


@dataclass
class Group:
    key: str
    label: str
    documents: dict[str, int] = field(default_factory=dict)
    """Month (« 2026-11 ») → documents signed."""
    signatures: dict[str, int] = field(default_factory=dict)

    def add(self, month: str, documents: int, signatures: int) -> None:
        self.documents[month] = self.documents.get(month, 0) + documents
        self.signatures[month] = self.signatures.get(month, 0) + signatures

    def series(self, measure: str, months: tuple[str, ...]) -> list[int]:
        values = self.documents if measure == "documents" else self.signatures
        return [values.get(m, 0) for m in months]

    @property
    def total_documents(self) -> int:
        return sum(self.documents.values())

    @property
    def total_signatures(self) -> int:
        return sum(self.signatures.values())


@dataclass(frozen=True)
class Consumption:
    since: dt.date
    until: dt.date
    months: tuple[str, ...]
    total: Group
    by: dict[str, tuple[Group, ...]]
    """Dimension → its groups, most documents first: every grouping is counted in one pass over the files,
    so changing it on screen reads nothing again."""

    def month_labels(self) -> list[str]:
        return [month_label(m) for m in self.months]


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last twelve months, this one included."""
    year, month = (today.year - 1, today.month + 1) if today.month < 12 else (today.year, 1)
    return dt.date(year, month, 1), today


def report(ctx: AppContext, since: dt.date, until: dt.date) -> Consumption:
    problem = check_range(since, until, max_days=MAX_MONTHS * 31)
    if problem:
        raise ValidationFailed({"period": problem})
    months = months_between(since, until)
    users = {u.login: u.name for u in ctx.repos.users.all()}
    entities = ctx.repos.entities.names()
    total = Group("", "Total")
    groups: dict[str, dict[str, Group]] = {by: {} for by in DIMENSIONS}

    def count(by: str, key: str, label: str, month: str, signatures: int) -> None:
        group = groups[by].get(key)
        if group is None:
            group = groups[by][key] = Group(key, label)
        group.add(month, 1, signatures)

    for s in ctx.repos.signatures.signed_in(months):
        day = dt.date.fromisoformat(s.signed_at[:10])
        if not since <= day <= until:
            continue
        month, used = month_of(day), len(s.signers)
        total.add(month, 1, used)
        count("user", s.created_by, users.get(s.created_by, s.created_by or "?"), month, used)
        entity = entities.get(s.entity_id, "Entité supprimée") if s.entity_id else NO_ENTITY
        count("entity", s.entity_id, entity, month, used)
        count("provider", s.provider, PROVIDERS.get(s.provider, s.provider), month, used)
        for key, name in dict(s.signers).items():
            count("signer", key, name, month, 1)
    ordered = {
        by: tuple(sorted(found.values(), key=lambda g: (-g.total_documents, g.label.lower())))
        for by, found in groups.items()
    }
    return Consumption(since, until, months, total, ordered)


def _lines(found: Consumption, by: str) -> Iterator[tuple[object, ...]]:
    for group in (found.total, *found.by[by]):
        label = DIMENSIONS[by] if group is not found.total else ""
        for month in found.months:
            yield (month, label, group.label, group.documents.get(month, 0), group.signatures.get(month, 0))


def export_csv(
    ctx: AppContext, found: Consumption, by: str, path: str, *, overwrite: bool = False
) -> exports.Export:
    """One line per month and group of the grouping `by` (the total first), as shown on screen."""
    return exports.write_csv(path, HEADER, _lines(found, by), overwrite=overwrite)
