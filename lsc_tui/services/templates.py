"""Letter templates (T1–T6): list, read, create, duplicate, edit and delete.

Templates decide who signs every future request and where, so only administrators change them (C5). The
check is made here, not only by hiding keys: a staff member's save is refused with a message and writes
nothing, whatever the screen lets them type.
"""

from __future__ import annotations

from dataclasses import replace

from lsc_tui.documents.pdf import A4_HEIGHT_PT, A4_WIDTH_PT
from lsc_tui.domain.mailmerge import describe_unknown, unknown_variables
from lsc_tui.domain.models import Placement, Template
from lsc_tui.domain.names import ORGANISATION_NAME_MAX_LEN, check_name, normalise_name
from lsc_tui.domain.roles import Role, role_conflicts
from lsc_tui.domain.search import fold
from lsc_tui.services import audit
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import EditConflict, ServiceError, ValidationFailed
from lsc_tui.services.listing import CachedSource, Row, RowSource, RowView
from lsc_tui.store import Conflict, Store

TEMPLATES = "templates"
EVENTS = "events"
MAX_FREE_SLOTS = 10
EDIT_ACTION = "Modifier les modèles de courrier"

#: Kinds of template, as the source system groups them; a stored kind not listed here is kept as is.
KINDS: dict[str, str] = {
    "courrier": "Courrier",
    "bail": "Bail",
    "mandat": "Mandat",
    "vente": "Vente",
    "ag": "Assemblée générale",
    "conseil": "Conseil syndical",
    "retour": "Retour (historisation)",
}


def _row(rec: dict) -> Row:
    t = Template.from_record(rec)
    roles = ", ".join(sorted(r.label for r in t.roles)) or "—"
    cells = (t.name, t.kind, roles, "oui" if t.skip_sms else "non", str(len(t.placements)))
    return Row(t.id, cells, fold(f"{t.name} {t.kind} {roles}"))


def _build(store: Store) -> RowSource:
    return RowSource(sorted(store.all(TEMPLATES), key=lambda r: fold(str(r.get("name", "")))), _row)


_source = CachedSource(_build)


def rows(ctx: AppContext) -> RowView:
    return _source.source(ctx.store).view()


def get(ctx: AppContext, template_id: str) -> Template:
    rec = ctx.store.get(TEMPLATES, template_id)
    if rec is None:
        raise ServiceError("Ce modèle n'existe plus (supprimé par un autre utilisateur ?).")
    return Template.from_record(rec)


def blank() -> Template:
    """What « nouveau » starts from: a letter with no signer."""
    return Template(name="", kind="courrier")


def can_edit(ctx: AppContext) -> bool:
    """Whether the screen should present the form as editable (the service checks again on save)."""
    return ctx.user.is_admin and not ctx.readonly


# ---------------------------------------------------------------------------------------------- validation


def placement_issue(placement: Placement, roles: frozenset[Role], free_slots: int) -> str:
    """Why a placement row cannot be saved as is, or "" — short, for the row's remark column; the save
    refuses the row with the same words."""
    if placement.role is Role.FREE_SLOT:
        if free_slots <= 0:
            return "aucun emplacement libre prévu"
    elif placement.role not in roles:
        return "rôle non coché"
    if placement.page < 1:
        return "page 1 au moins"
    if placement.width < Placement.MIN_WIDTH or placement.height < Placement.MIN_HEIGHT:
        return f"moins de {Placement.MIN_WIDTH:.0f} × {Placement.MIN_HEIGHT:.0f} pt"
    tolerance = 0.5
    if (
        placement.x < -tolerance
        or placement.y < -tolerance
        or placement.x + placement.width > A4_WIDTH_PT + tolerance
        or placement.y + placement.height > A4_HEIGHT_PT + tolerance
    ):
        return "hors de la page A4"
    return ""


def _same_name(ctx: AppContext, name: str, template_id: str) -> bool:
    wanted = fold(name.strip())
    return any(
        r["id"] != template_id and fold(str(r.get("name", "")).strip()) == wanted
        for r in ctx.store.all(TEMPLATES)
    )


def validate(ctx: AppContext, template: Template) -> dict[str, str]:
    """Problems by field name (name, subject, body, roles, free_slots, placements); empty when savable."""
    errors: dict[str, str] = {}
    if not template.name.strip():
        errors["name"] = "Donnez un nom au modèle."
    elif name_problem := check_name(template.name, field="Nom du modèle", max_len=ORGANISATION_NAME_MAX_LEN):
        errors["name"] = name_problem
    elif _same_name(ctx, template.name, template.id):
        errors["name"] = "Un autre modèle porte déjà ce nom."
    for field, text in (("subject", template.subject), ("body", template.body)):
        unknown = unknown_variables(text)
        if unknown:
            errors[field] = describe_unknown(unknown)
    conflicts = role_conflicts(template.roles)
    if conflicts:
        errors["roles"] = " ".join(conflicts)
    if not 0 <= template.free_slots <= MAX_FREE_SLOTS:
        errors["free_slots"] = f"De 0 à {MAX_FREE_SLOTS} emplacements libres."
    issues = [
        f"ligne {n} ({p.role.label}) : {issue}"
        for n, p in enumerate(template.placements, start=1)
        if (issue := placement_issue(p, template.roles, template.free_slots))
    ]
    if template.visible_signatures:
        placed = {p.role for p in template.placements}
        missing = sorted(r.label for r in template.roles if r not in placed)
        if missing:
            issues.append("signatures visibles : placez aussi " + ", ".join(missing))
    if issues:
        errors["placements"] = "Emplacements — " + " ; ".join(issues) + "."
    return errors


# ---------------------------------------------------------------------------------------------- writes


def _changed_fields(before: dict[str, object], after: dict[str, object]) -> str:
    return ", ".join(k for k in after if k not in {"id", "_rev"} and before.get(k) != after.get(k))


def save(ctx: AppContext, template: Template) -> Template:
    """Create (empty id) or update (expecting `template.rev`); one transaction with its audit line.

    A concurrent edit raises EditConflict and writes nothing: the form keeps what was typed.
    """
    ctx.require_admin(EDIT_ACTION)
    cleaned = template.evolve(name=normalise_name(template.name), subject=template.subject.strip())
    errors = validate(ctx, cleaned)
    if errors:
        raise ValidationFailed(errors)
    record = cleaned.to_record()
    record.pop("id", None)
    try:
        with ctx.store.transaction() as tx:
            if not cleaned.id:
                saved = tx.insert(TEMPLATES, record)
                audit.record(tx, ctx, "modele.creer", TEMPLATES, saved["id"], saved["name"])
            else:
                before = tx.get(TEMPLATES, cleaned.id)
                if before is None:
                    raise ServiceError("Ce modèle n'existe plus (supprimé par un autre utilisateur ?).")
                saved = tx.update(TEMPLATES, cleaned.id, record, expect_rev=cleaned.rev)
                audit.record(
                    tx, ctx, "modele.modifier", TEMPLATES, cleaned.id, _changed_fields(before, saved)
                )
    except Conflict as exc:
        raise EditConflict("Ce modèle") from exc
    return Template.from_record(saved)


def _copy_name(ctx: AppContext, name: str) -> str:
    names = {fold(str(r.get("name", ""))) for r in ctx.store.all(TEMPLATES)}
    candidate = f"{name} (copie)"
    n = 2
    while fold(candidate) in names:
        candidate = f"{name} (copie {n})"
        n += 1
    return candidate


def duplicate(ctx: AppContext, template_id: str) -> Template:
    """A copy under a new name, roles and placements included; never a historisation template (C2 has one)."""
    ctx.require_admin(EDIT_ACTION)
    source = get(ctx, template_id)
    copy = replace(source, name=_copy_name(ctx, source.name), id="", rev=0, is_historisation=False)
    record = copy.to_record()
    record.pop("id", None)
    with ctx.store.transaction() as tx:
        saved = tx.insert(TEMPLATES, record)
        audit.record(tx, ctx, "modele.dupliquer", TEMPLATES, saved["id"], f"copie de {template_id}")
    return Template.from_record(saved)


def delete(ctx: AppContext, template_id: str, *, expect_rev: int) -> None:
    """Refused while an event uses the template: its letters could no longer be rendered or sent."""
    ctx.require_admin(EDIT_ACTION)
    try:
        with ctx.store.transaction() as tx:
            rec = tx.get(TEMPLATES, template_id)
            if rec is None:
                raise ServiceError("Ce modèle n'existe plus (supprimé par un autre utilisateur ?).")
            if rec.get("is_historisation"):
                raise ServiceError(
                    "C'est le modèle d'historisation des documents signés : il ne peut pas être supprimé."
                )
            used = ctx.store.count(EVENTS, lambda r: r.get("template_id") == template_id)
            if used:
                raise ServiceError(
                    f"Ce modèle sert à {used} événement{'s' if used > 1 else ''} : il ne peut pas être supprimé."
                )
            tx.delete(TEMPLATES, template_id, expect_rev=expect_rev)
            audit.record(tx, ctx, "modele.supprimer", TEMPLATES, template_id, str(rec.get("name", "")))
    except Conflict as exc:
        raise EditConflict("Ce modèle") from exc
