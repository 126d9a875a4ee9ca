"""F9 — the end-of-day ritual through the keys a manager presses (L8): F9, six digits, Enter. A wrong code
first: one sentence, nothing changed, the ticks stay; then the right code: one result per letter."""

from __future__ import annotations

from textual.widgets import Input, Static

from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.services import letters_demo
from lsc_tui.store import RecordStore
from lsc_tui.tui.app import create_app
from lsc_tui.tui.screens.batch_progress import BatchProgressScreen
from lsc_tui.tui.screens.otp_validation import ALL, OtpList, OtpScreen
from tests.conftest import ServedSandbox
from tests.letters.letters_kit import bad_code, code, letters_ctx, mails
from tests.tui.helpers import screen_text, settle


async def test_f9_six_digits_enter_validates_every_ticked_letter(
    store: RecordStore, sandbox: ServedSandbox
) -> None:
    ctx = letters_ctx(store, sandbox)
    assert await letters_demo.upload_seeded(ctx) == 12
    app = create_app(ctx, poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OtpScreen)
        listed = screen.query_one(OtpList)
        assert len(listed.letters()) == 12 and ALL in listed.ticked  # all ticked on arrival
        assert isinstance(app.focused, Input) and app.focused.id == "otp"  # the focus is in the code field
        assert "12 cochée(s) sur 12" in screen_text(app)

        # untick one letter, then a wrong code: one sentence, nothing sent, the ticks as they were
        listed.cursor = 2
        listed.action_toggle()
        await pilot.click("#otp")
        await pilot.press(*bad_code(sandbox), "enter")
        await settle(pilot)
        assert isinstance(app.screen, OtpScreen)
        assert "Code OTP incorrect ou expiré : rien n'a été validé" in str(
            screen.query_one("#otp-message", Static).content
        )
        assert len(listed.letters()) == 11 and ALL not in listed.ticked
        assert mails(sandbox) == []

        # the right code (typed with a space, as the key shows it): one result per ticked letter
        right = code(sandbox)
        await pilot.press(*right[:3], "space", *right[3:], "enter")
        await settle(pilot)
        progress = app.screen
        assert isinstance(progress, BatchProgressScreen)
        assert progress.report is not None and progress.report.succeeded == 11
        assert len(progress.results) == 11
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OtpScreen)
        assert len(screen.query_one(OtpList).all_letters()) == 1  # the unticked one stays for tomorrow
    assert len(mails(sandbox)) == 11
    assert len([x for x in ctx.repos.letters.all() if x.status is LetterStatus.TO_VALID]) == 1


async def test_a_user_sees_only_their_own_letters(store: RecordStore, sandbox: ServedSandbox) -> None:
    ctx = letters_ctx(store, sandbox, login="julien")
    app = create_app(ctx, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, OtpScreen)
        assert app.screen.query_one(OtpList).all_letters() == []
        assert "Aucune lettre à valider." in screen_text(app)
