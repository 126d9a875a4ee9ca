"""Tiers: list, read, and the contact form (email, mobile, address) validated with the domain rules."""

from __future__ import annotations

from dataclasses import dataclass

from lsc_tui.domain.contact import check_email, check_phone
from lsc_tui.domain.identity import id_from_form, id_problems
from lsc_tui.domain.models import Address, Party
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import EditConflict, ValidationFailed
from lsc_tui.services.listing import Row, RowView
from lsc_tui.store import ANY_REV, Conflict

COLUMNS = ("Nom", "Type", "Email", "Mobile", "Ville", "LRE")


def _row(p: Party) -> Row:
    consent = "✓" if p.lre_consent else ("pro" if p.is_professional else "—")
    cells = (p.display_name, p.kind.label, p.email or "—", p.mobile or "—", p.address.city or "—", consent)
    return Row(p.id, cells, "", "" if p.email and p.mobile else "warning")


def rows(ctx: AppContext) -> RowView:
    repo = ctx.repos.parties
    return RowView(repo.listing(), lambda r: _row(repo.model(r)))


def get(ctx: AppContext, party_id: str) -> Party:
    return ctx.repos.parties.require(party_id)


@dataclass(frozen=True)
class ContactForm:
    """What the Tiers form submits: raw text as typed."""

    email: str
    mobile: str
    address1: str
    address2: str
    zipcode: str
    city: str
    id_kind: str = ""
    """« Pièce d'identité » (S11): a key of identity.ID_KINDS, its number and the date it is valid until."""
    id_number: str = ""
    id_valid_until: str = ""


def validate_contact(form: ContactForm) -> tuple[dict[str, str], str]:
    """Return (errors by field, normalised mobile). A national mobile is an error that carries its fix."""
    errors: dict[str, str] = {}
    if form.email.strip():
        msg = check_email(form.email)
        if msg:
            errors["email"] = msg
    mobile = form.mobile.strip()
    if mobile:
        check = check_phone(mobile)
        if not check.ok:
            errors["mobile"] = check.message
        else:
            mobile = check.e164 or mobile
    if form.zipcode.strip() and not (form.zipcode.strip().isdigit() and len(form.zipcode.strip()) == 5):
        errors["zipcode"] = "Code postal à 5 chiffres attendu."
    errors.update(id_problems(form.id_kind, form.id_number, form.id_valid_until))
    return errors, mobile


def save_contact(ctx: AppContext, party_id: str, form: ContactForm, *, expect_rev: int) -> Party:
    """Validate then save; on a concurrent edit raise EditConflict and write nothing (the form keeps its text)."""
    ctx.require_write()
    errors, mobile = validate_contact(form)
    if errors:
        raise ValidationFailed(errors)
    changes = {
        "email": form.email.strip(),
        "mobile": mobile,
        "address": Address(
            form.address1.strip(), form.address2.strip(), form.zipcode.strip(), form.city.strip()
        ).to_record(),
        "id_document": id_from_form(form.id_kind, form.id_number, form.id_valid_until).to_record(),
    }
    try:
        with ctx.write() as w:
            before = w.parties.require(party_id)
            saved = w.parties.update_contact(party_id, changes, expect_rev=expect_rev)
            old = before.to_record()
            new = saved.to_record()
            changed = [k for k in changes if old.get(k) != new.get(k)]
            ctx.audit(w, "tiers.modifier", w.parties, party_id, ", ".join(changed))
    except Conflict as exc:
        raise EditConflict("Ce tiers") from exc
    return saved


def set_consent(ctx: AppContext, party_ids: list[str], value: bool, source: str = "saisie") -> int:
    """Set or remove the LRE consent on a selection (L1); one transaction, one audit line per party.

    The consent is a fact about the party, not about what the user saw on screen: it merges into whatever
    the party holds now (`ANY_REV`) rather than failing on an unrelated concurrent edit of its address."""
    date = ctx.now_iso() if value else ""
    with ctx.write() as w:
        for pid in party_ids:
            w.parties.change(
                pid,
                {
                    "lre_consent": value,
                    "lre_consent_date": date,
                    "lre_consent_source": source if value else "",
                },
                expect_rev=ANY_REV,
            )
            ctx.audit(w, "tiers.consentement", w.parties, pid, "accord" if value else "retrait")
    return len(party_ids)
