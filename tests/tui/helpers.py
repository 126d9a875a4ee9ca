"""What a Pilot test reads back: the text a user sees, and a settle that waits for chained workers."""

from __future__ import annotations

from textual.app import App
from textual.pilot import Pilot


def screen_text(app: App[object]) -> str:
    """The active screen as the terminal shows it, one line per row (toasts and dialogs included)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def settle(pilot: Pilot[object], rounds: int = 10) -> None:
    """Wait until no worker runs and the message queues are drained, following results that start new work
    (a save that reloads a list): what a user waits for before the next key."""
    app = pilot.app
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            await pilot.pause()
            if not any(w.is_running for w in app.workers):
                return


def running(app: App[object]) -> bool:
    """The app did not crash nor quit (a `[@click=app.quit]` name must not be able to end the session)."""
    return app.is_running and app.return_code is None and app._exception is None
