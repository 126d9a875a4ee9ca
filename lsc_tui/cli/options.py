"""`--data` / `--store` accepted both before and after a subcommand (`lsc-tui --data D users list` and
`lsc-tui users list --data D`), since people type them in either place; where they point is `where.location`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

DATA_HELP = "Dossier des données (store et fichiers du cabinet)."
STORE_HELP = "Base PostgreSQL (postgresql://…) au lieu du dossier ; ou LSC_TUI_STORE."


def store_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    @click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None, help=DATA_HELP)
    @click.option("--store", "store_url", default=None, metavar="URL", help=STORE_HELP)
    @wraps(fn)
    def wrapper(*args: Any, data_dir: Path | None, store_url: str | None, **kwargs: Any) -> Any:
        root = click.get_current_context().find_root()
        root.ensure_object(dict)
        if data_dir is not None:
            root.obj["data_dir"] = data_dir
        if store_url is not None:
            root.obj["store_url"] = store_url
        return fn(*args, **kwargs)

    return wrapper


def chosen(key: str) -> Any:
    return (click.get_current_context().find_root().obj or {}).get(key)
