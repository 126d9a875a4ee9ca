"""`--data` / `--store` accepted both before and after a subcommand (`lsc-tui --data D users list` and
`lsc-tui users list --data D`), since people type them in either place, and where they point (`location`): read
before the start's helper is forked, so nothing heavier than the configuration is imported for it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from lsc_tui.config import ConfigError, default_data_dir, default_store
from lsc_tui.store.opening import is_database_url

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


def location(data_dir: Path | None, store_url: str | None) -> tuple[str | Path, Path]:
    """(where the records are, the folder for files beside them: secrets, signed PDFs).

    `--store postgresql://…` (or LSC_TUI_STORE) puts the records in a database; `--data DIR` (or the user's
    data folder) holds the files, and the records too when no database is named.
    """
    files = (data_dir or default_data_dir()).expanduser().absolute()
    url = store_url or default_store()
    if url is not None:
        if not is_database_url(url):
            raise ConfigError(f"« {url} » n'est pas une adresse PostgreSQL (postgresql://…).")
        return url, files
    return files, files


def chosen(key: str) -> Any:
    return (click.get_current_context().find_root().obj or {}).get(key)
