"""`lsc-tui`: the group every command hangs from; without a command, the TUI on the firm's store (cli/tui_app.py)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import click

from lsc_tui.cli.options import DATA_HELP, STORE_HELP
from lsc_tui.cli.tui_app import open_tui, run_tui

if TYPE_CHECKING:
    from lsc_tui.services.context import AppContext


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


__all__ = ["command_context", "lsc"]
