"""ESign's request rules in the fake (esign.md): the `meta` part, signers, boxes, and the 400/409 they cause.

Errors are `{"error": slug, "message": French text, "field": name | null}`, as the contract says.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.datastructures import UploadFile

from lsc_tui.sandbox.pdfinfo import UnreadablePdf, page_sizes
from lsc_tui.sandbox.signing import (
    Refusal,
    new_id,
)

PHONE_RE = re.compile(r"^\+[1-9][0-9]{7,14}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
STATUSES = {"sent", "signed", "refused", "expired", "cancelled"}
META_KEYS = {"title", "reference", "sms_check", "visible_signatures", "expires_in_days", "signers"}
SIGNER_KEYS = {"first_name", "last_name", "email", "phone", "boxes"}
BOX_KEYS = {"page", "x", "y", "width", "height"}
MIN_BOX = (40.0, 20.0)  # points: smaller boxes cannot hold a readable signature


# ---- errors in ESign's shape ---------------------------------------------------------------------------------


def invalid(field: str | None, message: str) -> Refusal:
    return Refusal(400, {"error": "validation_error", "message": message, "field": field})


def conflict(message: str, slug: str = "wrong_state") -> Refusal:
    return Refusal(409, {"error": slug, "message": message, "field": None})


# ---- meta validation -----------------------------------------------------------------------------------------


def only(body: dict[str, Any], allowed: set[str], prefix: str) -> None:
    for key in body:
        if key not in allowed:
            raise invalid(f"{prefix}{key}", f"Champ inconnu : {prefix}{key}.")


def string(body: dict[str, Any], key: str, field: str, high: int, *, required: bool = True) -> str | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > high:
        raise invalid(field, f"{field} : texte de 1 à {high} caractères attendu.")
    return value


def boolean(body: dict[str, Any], key: str, default: bool) -> bool:
    value = body.get(key, default)
    if not isinstance(value, bool):
        raise invalid(key, f"{key} : vrai ou faux attendu.")
    return value


def number(box: dict[str, Any], key: str, field: str) -> float:
    value = box.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
        raise invalid(f"{field}.{key}", f"{field}.{key} : nombre positif attendu.")
    return float(value)


def check_box(box: Any, field: str, pages: list[list[float]]) -> dict[str, Any]:
    if not isinstance(box, dict):
        raise invalid(field, "Case de signature : objet attendu.")
    only(box, BOX_KEYS, f"{field}.")
    page = box.get("page")
    if not isinstance(page, int) or isinstance(page, bool) or not 1 <= page <= len(pages):
        raise invalid(f"{field}.page", f"Case de signature : page de 1 à {len(pages)} attendue.")
    x, y = number(box, "x", field), number(box, "y", field)
    width, height = number(box, "width", field), number(box, "height", field)
    page_width, page_height = pages[page - 1]
    if width < MIN_BOX[0] or height < MIN_BOX[1]:
        raise invalid(
            field, f"Case de signature trop petite (au moins {MIN_BOX[0]:.0f} × {MIN_BOX[1]:.0f} points)."
        )
    if x + width > page_width or y + height > page_height:
        raise invalid(
            field, f"Case de signature hors de la page {page} ({page_width:.0f} × {page_height:.0f} points)."
        )
    return {"page": page, "x": x, "y": y, "width": width, "height": height}


def check_signer(
    raw: Any, field: str, sms_check: bool, visible: bool, pages: list[list[float]]
) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise invalid(field, "Signataire : objet attendu.")
    only(raw, SIGNER_KEYS, f"{field}.")
    first_name = string(raw, "first_name", f"{field}.first_name", 100)
    last_name = string(raw, "last_name", f"{field}.last_name", 100)
    email = raw.get("email")
    if not isinstance(email, str) or not EMAIL_RE.match(email):
        raise invalid(f"{field}.email", "Adresse e-mail du signataire invalide.")
    phone = raw.get("phone")
    if phone is not None and (not isinstance(phone, str) or not PHONE_RE.match(phone)):
        raise invalid(f"{field}.phone", "Numéro de mobile invalide : format international attendu (+33…).")
    if phone is None and sms_check:
        raise invalid(f"{field}.phone", "Numéro de mobile obligatoire quand le code SMS est demandé.")
    boxes = raw.get("boxes") or []
    if not isinstance(boxes, list) or (visible and not boxes):
        raise invalid(f"{field}.boxes", "Au moins une case de signature est attendue par signataire.")
    return {
        "id": new_id(),
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "phone": phone,
        "status": "waiting",
        "signed_at": None,
        "refusal_reason": None,
        "boxes": [check_box(box, f"{field}.boxes[{j}]", pages) for j, box in enumerate(boxes)],
    }


def meta_part(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, str):
        raise invalid("meta", "Partie « meta » (JSON) absente.")
    try:
        meta = json.loads(raw)
    except ValueError as exc:
        raise invalid("meta", "Partie « meta » : JSON invalide.") from exc
    if not isinstance(meta, dict):
        raise invalid("meta", "Partie « meta » : objet JSON attendu.")
    only(meta, META_KEYS, "")
    return meta


async def pdf_part(form: Any) -> tuple[bytes, list[list[float]]]:
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise invalid("file", "Fichier PDF absent (partie « file »).")
    data = await upload.read()
    try:
        return data, [list(size) for size in page_sizes(data)]
    except UnreadablePdf as exc:
        raise invalid("file", "Le fichier n'est pas un PDF lisible.") from exc
