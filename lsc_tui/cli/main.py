"""`lsc-tui`: the TUI on the firm's store, and the group every other command hangs from."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from lsc_tui.cli.wiring import build_context, location, open_for_work
from lsc_tui.services.context import AppContext

if TYPE_CHECKING:
    from lsc_tui.tui.app import LscApp

STARTING_GC = (100_000, 50, 50)
DATA_HELP = "Dossier des données (store et fichiers du cabinet)."
STORE_HELP = "Base PostgreSQL (postgresql://…) au lieu du dossier ; ou LSC_TUI_STORE."


def run_tui(ctx: AppContext) -> None:
    app = make_tui(ctx)
    app.run()
    if app.return_code:
        raise SystemExit(app.return_code)


def make_tui(ctx: AppContext, **kwargs: Any) -> LscApp:
    """The TUI app of `ctx`. Python's cyclic GC ran ~130 times while Textual and our screens were imported
    and built, a tenth of the start to Accueil (bench/bench_ui.py): its threshold stays raised until Accueil
    shows its counts, when the app puts the default back."""
    gc.set_threshold(*STARTING_GC)
    from lsc_tui.config import keymap_path
    from lsc_tui.tui.app import create_app

    return create_app(ctx, keymap_path=keymap_path(), **kwargs)


@click.group(
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
        where, files = location(data_dir, store_url)
        run_tui(build_context(open_for_work(where), files))


def command_context(click_ctx: click.Context, *, readonly: bool = False) -> AppContext:
    """The store and user of a headless command, from the group's `--data` / `--store`."""
    obj = click_ctx.find_root().obj or {}
    where, files = location(obj.get("data_dir"), obj.get("store_url"))
    return build_context(open_for_work(where, readonly=readonly), files)


from lsc_tui.cli import (  # noqa: E402  (commands register themselves on `lsc`)
    admin,
    demo,
    journal,
    letters,
    rights,
    sandbox,
    signatures,
)

__all__ = [
    "admin",
    "command_context",
    "demo",
    "journal",
    "letters",
    "lsc",
    "make_tui",
    "rights",
    "run_tui",
    "sandbox",
    "signatures",
]
