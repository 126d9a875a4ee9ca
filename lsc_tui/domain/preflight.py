"""What stops a signature file before it leaves (S3, S5): every reason the provider would refuse it, found first.

A provider refuses a whole request for one national phone number or one « & » in a name, after the upload; the
person then has to find which signer of which file. Checked here, each problem names the signer, the field and,
when one is safe, the fix (the E.164 form of a national mobile, the provider-safe spelling of a name), so that
the error recap can offer it on one key (ctrl+r) and open the right form on another (Enter).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lsc_tui.domain.boxes import Page
from lsc_tui.domain.contact import check_email, check_phone, clean_name, email_ascii_problem
from lsc_tui.domain.models import Placement, SignatureRequest, Signer
from lsc_tui.domain.roles import Role
from lsc_tui.domain.signers import needs_input

PROVIDER_NAMES = {"yousign": "YouSign", "esign": "ESign"}
TOLERANCE = 0.5
MISSING_DOCUMENT = (
    "Le document de cette fiche n'a pas été produit : recréez la fiche depuis son événement (F7)."
)


@dataclass(frozen=True)
class Problem:
    """One reason the file cannot be sent as it is. `signer` is an index in `request.signers` (None: the file
    itself); `field` the signer's field to correct; `fix` the value to put there when one is safe ("")."""

    message: str
    signer: int | None = None
    field: str = ""
    fix: str = ""


def signer_label(signer: Signer) -> str:
    """« Hugo Fontaine (Colocataires) », « Gérant (à compléter) »: how a problem names its signer."""
    name = f"{signer.first_name} {signer.last_name}".strip()
    return f"{name} ({signer.role.label})" if name else f"{signer.role.label} (à compléter)"


def box_problem(box: Placement, pages: Sequence[Page]) -> str:
    """Why the provider would refuse this box ("" when fine)."""
    if not 1 <= box.page <= len(pages):
        return f"emplacement en page {box.page} alors que le document a {len(pages)} page(s)"
    width, height = pages[box.page - 1]
    if box.width < Placement.MIN_WIDTH or box.height < Placement.MIN_HEIGHT:
        return f"emplacement de moins de {Placement.MIN_WIDTH:.0f} × {Placement.MIN_HEIGHT:.0f} points"
    if (
        box.x < -TOLERANCE
        or box.y < -TOLERANCE
        or box.x + box.width > width + TOLERANCE
        or box.y + box.height > height + TOLERANCE
    ):
        return f"emplacement hors de la page {box.page}"
    return ""


def _signer_problems(
    index: int, signer: Signer, *, sms: bool, provider: str, pages: Sequence[Page]
) -> list[Problem]:
    who = signer_label(signer)
    if needs_input(signer):
        return [Problem(f"{who} : nom, prénom et email à saisir avant l'envoi.", index, "to_complete")]
    out: list[Problem] = []
    for field, value, label in (
        ("last_name", signer.last_name, "Le nom"),
        ("first_name", signer.first_name, "Le prénom"),
    ):
        if not value.strip():
            out.append(Problem(f"{who} : {label.lower()} manque.", index, field))
        elif clean_name(value) != value:
            fix = clean_name(value)
            out.append(
                Problem(f"{who} : {label} « {value} » sera refusé ; proposé : « {fix} ».", index, field, fix)
            )
    if email_problem := check_email(signer.email):
        out.append(Problem(f"{who} : {email_problem}", index, "email"))
    elif ascii_problem := email_ascii_problem(signer.email, provider=PROVIDER_NAMES.get(provider, provider)):
        out.append(Problem(f"{who} : {ascii_problem}", index, "email"))
    if sms and not (provider == "yousign" and signer.role is Role.MANAGER and not signer.phone.strip()):
        # YouSign lets the firm's own manager, who has no mobile in the mail variables, confirm by email code
        phone = check_phone(signer.phone)
        if not phone.ok:
            fix = phone.e164 if phone.e164 and phone.is_mobile else ""
            typed = signer.phone.strip()
            detail = phone.message if typed in phone.message else f"mobile « {typed} » : {phone.message}"
            if not typed:
                detail = "mobile manquant : le code SMS ne peut pas être envoyé."
            out.append(Problem(f"{who} : {detail}", index, "phone", fix))
    if not signer.placements:
        out.append(Problem(f"{who} : aucun emplacement de signature.", index, "placements"))
    if pages:  # without pages, `check_request` says once that the document is missing
        for box in signer.placements:
            if issue := box_problem(box, pages):
                out.append(Problem(f"{who} : {issue}.", index, "placements"))
    return out


def check_request(request: SignatureRequest, *, provider: str, pages: Sequence[Page]) -> list[Problem]:
    """Every problem of the file, in signer order; empty when it can be sent. `pages`: sizes of its PDF."""
    if not request.signers:
        return [
            Problem("Aucun signataire : ajoutez-en un (+) dans la fiche avant d'envoyer.", None, "signers")
        ]
    sms = not request.skip_sms
    out: list[Problem] = []
    if not pages:  # its boxes cannot be checked against pages it does not have: said once, here
        out.append(Problem(MISSING_DOCUMENT, None, "document"))
    seen: dict[str, int] = {}
    for index, signer in enumerate(request.signers):
        out += _signer_problems(index, signer, sms=sms, provider=provider, pages=pages)
        email = signer.email.strip().lower()
        if email and email in seen:
            other = signer_label(request.signers[seen[email]])
            out.append(
                Problem(
                    f"{signer_label(signer)} : même email que {other} ; une personne ne signe qu'une fois.",
                    index,
                    "email",
                )
            )
        seen.setdefault(email, index)
    return out


def phone_to_send(signer: Signer, *, sms: bool) -> str | None:
    """The number the provider gets: E.164 when SMS is on (pre-flight made sure it is), and without SMS only a
    number that is already valid (a landline or a typo must not make the provider refuse the whole file)."""
    check = check_phone(signer.phone, mobile_required=sms)
    if sms:
        return check.e164 if check.ok else None
    return check.e164 or None
