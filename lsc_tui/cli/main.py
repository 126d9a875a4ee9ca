"""`lsc-tui`: the TUI on the firm's store, and the group every other command hangs from."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import click

from lsc_tui.cli.options import DATA_HELP, STORE_HELP
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


class LazyGroup(click.Group):
    """A command's module is imported when that command runs (or `--help` lists it): starting the TUI, the
    common case, imports none of them (their services cost ~10 ms of the start to Accueil). Each module still
    registers its commands on `lsc` with the usual decorators."""

    MODULES: ClassVar[dict[str, tuple[str, ...]]] = {
        "init": ("admin",),
        "users": ("admin", "rights"),
        "store": ("admin",),
        "demo": ("demo",),
        "journal": ("journal",),
        "letters": ("letters",),
        "sandbox": ("sandbox",),
        "sync": ("signatures",),
        "webhooks": ("signatures",),
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(self.MODULES))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        for module in self.MODULES.get(cmd_name, ()):
            importlib.import_module(f"lsc_tui.cli.{module}")
        return self.commands.get(cmd_name)


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None, help=DATA_HELP)
@click.option("--store", "store_url", default=None, metavar="URL", help=STORE_HELP)
@click.pass_context
def lsc(click_ctx: click.Context, data_dir: Path | None, store_url: str | None) -> None:
    """lsc-tui : signatures électroniques et lettres recommandées électroniques, au clavier."""
    click_ctx.ensure_object(dict)
    click_ctx.obj.update(data_dir=data_dir, store_url=store_url)
    if click_ctx.invoked_subcommand is None:
        from lsc_tui.cli.where import location

        where, files = location(data_dir, store_url)
        run_tui(open_tui(where, files))


def command_context(click_ctx: click.Context, *, readonly: bool = False) -> AppContext:
    """The store and user of a headless command, from the group's `--data` / `--store`."""
    from lsc_tui.cli.wiring import build_context, location, open_for_work

    obj = click_ctx.find_root().obj or {}
    where, files = location(obj.get("data_dir"), obj.get("store_url"))
    return build_context(open_for_work(where, readonly=readonly), files)


__all__ = ["command_context", "lsc", "make_tui", "open_tui", "run_tui"]
