"""What the AR24 integration tests share: recipients, real A4 (and not-A4) PDFs, orders, a client on the served
sandbox, its control routes, and an OTP code the sender's key does not show."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pyotp
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from lsc_tui.providers.ar24 import Ar24Client
from lsc_tui.providers.base import (
    LetterOrder,
    Recipient,
)
from lsc_tui.providers.http import RetryPolicy
from tests.conftest import ServedSandbox

FAST = RetryPolicy(attempts=4, base_delay=0.01, max_delay=2.0, jitter=0.0)
ALICE = Recipient(email="jeanne.dubois@example.org", first_name="Jeanne", last_name="Dubois")  # consented
PRO = Recipient(email="etude@notaire-roux.example", company="Étude Roux", is_professional=True)
NO_CONSENT = Recipient(email="marc.petit@example.org", first_name="Marc", last_name="Petit")
POSTAL = Recipient(
    email="",
    first_name="Henri",
    last_name="Garnier",
    address1="12 rue des Tilleuls",
    zipcode="69003",
    city="Lyon",
)


def pdf_bytes(page_format: str = "A4", rotate: int = 0, text: str = "Convocation AG") -> bytes:
    pdf = FPDF(format=page_format)
    pdf.set_creation_date(datetime(2026, 1, 5, 9, 30, tzinfo=UTC))  # same bytes whenever built
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, text)
    data = bytes(pdf.output())
    if not rotate:
        return data
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for page in writer.pages:
        page.rotate(rotate)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


A4_PDF = pdf_bytes()


def order(reference: str, recipient: Recipient = ALICE, kind: str = "eidas", **kw: Any) -> LetterOrder:
    kw.setdefault("pdf", A4_PDF)
    return LetterOrder(
        reference=reference,
        kind=kind,
        recipient=recipient,
        filename="convocation.pdf",
        content="Convocation à l'assemblée générale",
        **kw,
    )


def wrong_code(secret: str) -> str:
    """A code the key shows at none of the steps the sandbox accepts (±1 step of 30 s, and a margin)."""
    totp, now = pyotp.TOTP(secret), datetime.now(UTC)
    shown = {totp.at(now + timedelta(seconds=30 * step)) for step in range(-3, 4)}
    return next(code for code in (f"{n:06d}" for n in range(10)) if code not in shown)


def user_of(sandbox: ServedSandbox, index: int = 0) -> dict[str, Any]:
    return sandbox.accounts["ar24"]["users"][index]


def make_client(sandbox: ServedSandbox, **kw: Any) -> Ar24Client:
    accounts = sandbox.accounts["ar24"]
    kw.setdefault("policy", FAST)
    kw.setdefault("paper_extension", True)  # the sandbox's default account has AR24's paper extension (§15)
    return Ar24Client(sandbox.ar24_url, accounts["token"], accounts["private_key"], **kw)


async def control(sandbox: ServedSandbox, path: str, body: dict[str, Any] | None = None) -> Any:
    async with httpx.AsyncClient(base_url=f"{sandbox.base_url}/ar24/_sandbox/") as http:
        response = await (http.post(path, json=body or {}) if path != "outbox" else http.get(path))
        assert response.status_code == 200, response.text
        return response.json()
