"""The TUI app made on a store and run: what `lsc-tui` starts, through click or not (cli/__init__.py), and what
the tests and the benches start. No click here: a plain start never imports it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsc_tui.cli.start import starting

if TYPE_CHECKING:
    from concurrent.futures import Future

    from lsc_tui.services.context import AppContext
    from lsc_tui.services.home import HomeSummary
    from lsc_tui.tui.app import LscApp


def run_tui(app: LscApp) -> None:
    app.run()
    if app.return_code:
        raise SystemExit(app.return_code)


def open_tui(where: str | Path, files: Path, *, login: str | None = None, **kwargs: Any) -> LscApp:
    """What `lsc-tui` starts: the store at `where`, its files in `files`. A forked helper opens the store and
    reads what Accueil's first frame shows while this process imports Textual (cli/first_reads.py); the app
    opens its own store once Accueil is painted."""
    starting()  # before the imports below: the domain's models, the store, the driver
    from lsc_tui.cli.first_reads import helper_for

    helper = helper_for(str(where), files, login)  # forked before our imports: it makes its own
    import lsc_tui.tui.app  # noqa: F401 - Textual and the screens, while the helper reads

    reads = helper.answer() if helper is not None else None
    from lsc_tui.cli.wiring import build_context, open_for_work

    if helper is not None and reads is not None:
        from lsc_tui.store.deferred import DeferredStore

        store = DeferredStore(
            lambda: open_for_work(where), location=reads.location, readonly=reads.store_readonly
        )
        ctx = build_context(store, files, user=(reads.user, reads.guest))
        return make_tui(ctx, first_summary=helper.summary_arriving(), read_first=False, **kwargs)
    return make_tui(build_context(open_for_work(where), files, login=login), **kwargs)


def make_tui(
    ctx: AppContext,
    *,
    first_summary: HomeSummary | Future[HomeSummary | None] | None = None,
    read_first: bool = True,
    **kwargs: Any,
) -> LscApp:
    """The TUI app of `ctx`, Accueil's counts read now unless given (`first_summary`, maybe still on their way
    from the start's helper) or left to Accueil's worker (`read_first=False`: this store opens only after the
    first frame, never on the UI thread)."""
    starting()
    from lsc_tui.config import keymap_path
    from lsc_tui.services.home import summary_at_start
    from lsc_tui.tui.app import create_app

    summary = first_summary if first_summary is not None or not read_first else summary_at_start(ctx)
    return create_app(ctx, keymap_path=keymap_path(), first_summary=summary, **kwargs)


__all__ = ["make_tui", "open_tui", "run_tui"]
