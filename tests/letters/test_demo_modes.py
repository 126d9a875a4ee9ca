"""F9 on a fresh demo in both validation modes (DEMO.md step 7): `lsc-tui demo` keeps the day's letters in our
store (documented AR24 API, the default); `lsc-tui demo --ar24-queue` has them waiting in the demo AR24's own
`to_valid` queue too (§15). Either way: F9, the code the demo's OTP key shows, Enter — 12 letters validated,
and in queue mode by `mail/validate`, not by sending them again."""

from __future__ import annotations

import json
from pathlib import Path

import pyotp
import pytest

from lsc_tui.cli.demo import seed_demo
from lsc_tui.cli.wiring import SANDBOX_ACCOUNTS
from lsc_tui.config import ConfigError
from lsc_tui.domain.consents import ValidationMode
from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.tui.app import create_app
from lsc_tui.tui.screens.batch_progress import BatchProgressScreen
from lsc_tui.tui.screens.otp_validation import OtpScreen
from tests.tui.helpers import screen_text, settle


@pytest.mark.parametrize("mode", list(ValidationMode))
async def test_f9_validates_a_fresh_demo_in_either_mode(tmp_path: Path, mode: ValidationMode) -> None:
    demo = tmp_path / "demo"
    ctx = seed_demo(demo, queue=mode is ValidationMode.QUEUE)
    user = json.loads((demo / SANDBOX_ACCOUNTS).read_text())["ar24"]["users"][0]
    ar24 = ctx.providers.ar24
    assert ar24 is not None
    account = ctx.repos.ar24_accounts.of("claire")
    assert account is not None and account.linked and account.mode is mode
    pending = [x for x in ctx.repos.letters.all() if x.status is LetterStatus.TO_VALID]
    assert len(pending) == 12 and all(x.attachment_ids for x in pending)
    at_ar24 = await ar24.letters(str(user["id"]))
    if mode is ValidationMode.QUEUE:  # the same 12, waiting in AR24's queue
        assert all(x.remote_id for x in pending)
        assert sorted(r.reference for r in at_ar24 if r.status is LetterStatus.TO_VALID) == sorted(
            x.reference for x in pending
        )
    else:  # nothing at AR24 before the OTP: the letters wait here
        assert not any(x.remote_id for x in pending)
        assert not any(r.status is LetterStatus.TO_VALID for r in at_ar24)
    before = len(at_ar24)

    app = create_app(ctx, poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, OtpScreen)
        assert "12 cochée(s) sur 12" in screen_text(app)
        await pilot.press(*pyotp.TOTP(user["otp_secret"]).now(), "enter")
        await settle(pilot)
        progress = app.screen
        assert isinstance(progress, BatchProgressScreen)
        assert progress.report is not None and progress.report.succeeded == 12, progress.report.failed
    after = await ar24.letters(str(user["id"]))
    mine = {r.reference: r for r in after if r.reference in {x.reference for x in pending}}
    assert len(mine) == 12 and not any(r.status is LetterStatus.TO_VALID for r in mine.values())
    assert len(after) == (before if mode is ValidationMode.QUEUE else before + 12)  # queue: none sent twice
    await ctx.providers.aclose()


def test_a_seeded_demo_is_not_switched_silently(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    seed_demo(demo)
    with pytest.raises(ConfigError, match="--reset"):
        seed_demo(demo, queue=True)
    ctx = seed_demo(demo, reset=True, queue=True)
    account = ctx.repos.ar24_accounts.of("claire")
    assert account is not None and account.mode is ValidationMode.QUEUE
