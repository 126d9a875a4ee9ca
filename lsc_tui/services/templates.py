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
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import EditConflict, ServiceError, ValidationFailed
from lsc_tui.services.listing import Row, RowView
from lsc_tui.store import Conflict
from lsc_tui.store.repositories import Repos

MAX_FREE_SLOTS = 10
REMINDER_CHOICES: dict[int, str] = {
    0: "aucune",
    1: "tous les jours",
    2: "tous les 2 jours",
    7: "toutes les semaines",
    14: "toutes les 2 semaines",
}
"""YouSign's `reminder_settings.interval_in_days` (S9), 0 for none."""
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


def _row(t: Template) -> Row:
    roles = ", ".join(sorted(r.label for r in t.roles)) or "—"
    cells = (t.name, t.kind, roles, "oui" if t.skip_sms else "non", str(len(t.placements)))
    return Row(t.id, cells)


def rows(ctx: AppContext) -> RowView:
    repo = ctx.repos.templates
    return RowView(repo.listing(), lambda r: _row(repo.model(r)))


def get(ctx: AppContext, template_id: str) -> Template:
    return ctx.repos.templates.require(template_id)


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


def _same_name(repos: Repos, name: str, template_id: str) -> bool:
    return any(t.id != template_id for t in repos.templates.named(name))


NAME_TAKEN = "Un autre modèle porte déjà ce nom."


def validate(ctx: AppContext, template: Template, repos: Repos | None = None) -> dict[str, str]:
    """Problems by field name (name, subject, body, roles, free_slots, placements); empty when savable.

    The name's uniqueness is checked against `repos` (the saving transaction, where it cannot change before
    the commit) or, for a form's live feedback, against the committed data."""
    errors: dict[str, str] = {}
    if not template.name.strip():
        errors["name"] = "Donnez un nom au modèle."
    elif name_problem := check_name(template.name, field="Nom du modèle", max_len=ORGANISATION_NAME_MAX_LEN):
        errors["name"] = name_problem
    elif _same_name(repos or ctx.repos, template.name, template.id):
        errors["name"] = NAME_TAKEN
    for field, text in (("subject", template.subject), ("body", template.body)):
        unknown = unknown_variables(text)
        if unknown:
            errors[field] = describe_unknown(unknown)
    conflicts = role_conflicts(template.roles)
    if conflicts:
        errors["roles"] = " ".join(conflicts)
    if not 0 <= template.free_slots <= MAX_FREE_SLOTS:
        errors["free_slots"] = f"De 0 à {MAX_FREE_SLOTS} emplacements libres."
    if len(template.signature_note.strip()) > 500:
        errors["signature_note"] = "Message aux signataires : 500 caractères au plus (limite de YouSign)."
    if template.reminder_interval not in REMINDER_CHOICES:
        errors["reminders"] = "Relances automatiques : tous les 1, 2, 7 ou 14 jours."
    elif template.reminder_interval and not 1 <= template.reminder_count <= 10:
        errors["reminders"] = "Relances automatiques : de 1 à 10 fois."
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

    Every check, the name's uniqueness included, runs inside the transaction (`guard` makes two saves of one
    name wait for each other), so two admins can never both create « Bail » at the same instant. A concurrent
    edit raises EditConflict and writes nothing: the form keeps what was typed.
    """
    ctx.require_admin(EDIT_ACTION)
    cleaned = template.evolve(
        name=normalise_name(template.name),
        subject=template.subject.strip(),
        signature_note=template.signature_note.strip(),
    )
    try:
        with ctx.write() as w:
            w.templates.guard()
            errors = validate(ctx, cleaned, w)
            if errors:
                raise ValidationFailed(errors)
            if not cleaned.id:
                saved = w.templates.insert(cleaned)
                ctx.audit(w, "modele.creer", w.templates, saved.id, saved.name)
            else:
                before = w.templates.require(cleaned.id)
                saved = w.templates.save(cleaned)
                ctx.audit(
                    w,
                    "modele.modifier",
                    w.templates,
                    cleaned.id,
                    _changed_fields(before.to_record(), saved.to_record()),
                )
    except Conflict as exc:
        raise EditConflict("Ce modèle") from exc
    return saved


def _copy_name(repos: Repos, name: str) -> str:
    candidate = f"{name} (copie)"
    n = 2
    while repos.templates.named(candidate):
        candidate = f"{name} (copie {n})"
        n += 1
    return candidate


def duplicate(ctx: AppContext, template_id: str) -> Template:
    """A copy under a new name, roles and placements included; never a historisation template (C2 has one)."""
    ctx.require_admin(EDIT_ACTION)
    with ctx.write() as w:
        w.templates.guard()
        source = w.templates.require(template_id)
        copy = replace(source, name=_copy_name(w, source.name), id="", rev=0, is_historisation=False)
        saved = w.templates.insert(copy)
        ctx.audit(w, "modele.dupliquer", w.templates, saved.id, f"copie de {template_id}")
    return saved


def delete(ctx: AppContext, template_id: str, *, expect_rev: int) -> None:
    """Refused while an event uses the template: its letters could no longer be rendered or sent."""
    ctx.require_admin(EDIT_ACTION)
    try:
        with ctx.write() as w:
            template = w.templates.require(template_id)
            if template.is_historisation:
                raise ServiceError(
                    "C'est le modèle d'historisation des documents signés : il ne peut pas être supprimé."
                )
            used = w.events.using_template(template_id)
            if used:
                raise ServiceError(
                    f"Ce modèle sert à {used} événement{'s' if used > 1 else ''} : il ne peut pas être supprimé."
                )
            w.templates.remove(template_id, expect_rev=expect_rev)
            ctx.audit(w, "modele.supprimer", w.templates, template_id, template.name)
    except Conflict as exc:
        raise EditConflict("Ce modèle") from exc
