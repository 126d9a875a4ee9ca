"""Tiers: list, read, and the contact form (email, mobile, address) validated with the domain rules."""

from __future__ import annotations

from dataclasses import dataclass

from lsc_tui.domain.contact import check_email, check_phone
from lsc_tui.domain.models import Address, Party
from lsc_tui.domain.search import fold
from lsc_tui.services import audit
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import EditConflict, ServiceError, ValidationFailed
from lsc_tui.services.listing import CachedSource, Row, RowSource, RowView
from lsc_tui.store import Conflict, Store

PARTIES = "parties"
COLUMNS = ("Nom", "Type", "Email", "Mobile", "Ville", "LRE")


def _row(rec: dict) -> Row:
    p = Party.from_record(rec)
    consent = "✓" if p.lre_consent else ("pro" if p.is_professional else "—")
    cells = (p.display_name, p.kind.label, p.email or "—", p.mobile or "—", p.address.city or "—", consent)
    style = "" if p.email and p.mobile else "warning"
    return Row(
        p.id, cells, fold(" ".join((p.display_name, p.email, p.mobile, p.address.city, p.code))), style
    )


def _sort_key(rec: dict) -> str:
    name = rec.get("company_name") if rec.get("kind") == "company" else rec.get("last_name", "")
    return fold(f"{name} {rec.get('first_name', '')}")


def _build(store: Store) -> RowSource:
    return RowSource(sorted(store.all(PARTIES), key=_sort_key), _row)


_source = CachedSource(_build)


def rows(ctx: AppContext) -> RowView:
    return _source.source(ctx.store).view()


def get(ctx: AppContext, party_id: str) -> Party:
    rec = ctx.store.get(PARTIES, party_id)
    if rec is None:
        raise ServiceError("Ce tiers n'existe plus (supprimé par un autre utilisateur ?).")
    return Party.from_record(rec)


@dataclass(frozen=True)
class ContactForm:
    """What the Tiers form submits: raw text as typed."""

    email: str
    mobile: str
    address1: str
    address2: str
    zipcode: str
    city: str


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
    }
    try:
        with ctx.store.transaction() as tx:
            before = tx.get(PARTIES, party_id)
            if before is None:
                raise ServiceError("Ce tiers n'existe plus (supprimé par un autre utilisateur ?).")
            saved = tx.update(PARTIES, party_id, changes, expect_rev=expect_rev)
            changed = [k for k in changes if before.get(k) != saved.get(k)]
            audit.record(tx, ctx, "tiers.modifier", PARTIES, party_id, ", ".join(changed))
    except Conflict as exc:
        raise EditConflict("Ce tiers") from exc
    return Party.from_record(saved)


def set_consent(ctx: AppContext, party_ids: list[str], value: bool, source: str = "saisie") -> int:
    """Set or remove the LRE consent on a selection (L1); one transaction, one audit line per party."""
    ctx.require_write()
    date = ctx.now_iso() if value else ""
    with ctx.store.transaction() as tx:
        for pid in party_ids:
            tx.update(
                PARTIES,
                pid,
                {
                    "lre_consent": value,
                    "lre_consent_date": date,
                    "lre_consent_source": source if value else "",
                },
            )
            audit.record(tx, ctx, "tiers.consentement", PARTIES, pid, "accord" if value else "retrait")
    return len(party_ids)
