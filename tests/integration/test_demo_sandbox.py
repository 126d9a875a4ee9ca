"""`lsc-tui demo` mounts the sandbox in-process with its state in the demo dir: two commands, one provider."""

from __future__ import annotations

from pathlib import Path

import pyotp
from fpdf import FPDF

from lsc_tui.cli.demo import seed_demo
from lsc_tui.cli.wiring import SANDBOX_ACCOUNTS, build_context
from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.providers.base import LetterOrder, Recipient
from lsc_tui.store import open_store


def a4_pdf() -> bytes:
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Convocation")
    return bytes(pdf.output())


async def test_two_processes_on_a_demo_dir_see_the_same_provider_state(tmp_path: Path) -> None:
    import json

    demo = tmp_path / "demo"
    first = seed_demo(demo)
    # another command on the same dir (own store handle, own sandbox app)
    second = build_context(open_store(demo), demo, login="julien")
    accounts = json.loads((demo / SANDBOX_ACCOUNTS).read_text())
    user_id = str(accounts["ar24"]["users"][0]["id"])
    assert first.providers.ar24 is not None and second.providers.ar24 is not None
    try:
        order = LetterOrder(
            reference="lsc-2026-000901",
            kind="eidas",
            recipient=Recipient(
                email="z.menard@notaires.example", first_name="Zoé", last_name="Ménard", is_professional=True
            ),
            pdf=a4_pdf(),
            filename="convocation.pdf",
        )
        sent = await first.providers.ar24.send(user_id, order)
        assert sent.status is LetterStatus.TO_VALID
        seen = {x.remote_id: x for x in await second.providers.ar24.letters(user_id)}
        assert seen[sent.remote_id].status is LetterStatus.TO_VALID
        # the code from the demo's OTP key (what `lsc-tui demo otp` prints) validates it from the second command
        session = await second.providers.ar24.auth_otp(
            user_id, pyotp.TOTP(accounts["ar24"]["users"][0]["otp_secret"]).now()
        )
        results = await second.providers.ar24.validate(user_id, [sent.remote_id], session)
        assert [r.ok for r in results] == [True]
        assert (await first.providers.ar24.letter(sent.remote_id)).status is not LetterStatus.TO_VALID
    finally:
        await first.providers.aclose()
        await second.providers.aclose()
    # the provider state holds recipients' personal data: owner-only, like the store
    assert (demo / "sandbox_state.json").stat().st_mode & 0o077 == 0
