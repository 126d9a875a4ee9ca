"""Where `--data` / `--store` (or the environment) put the records and the files. Read at the entry point,
before click is imported, to fork the start's helper (cli/start.py): nothing heavier than the configuration."""

from __future__ import annotations

from pathlib import Path

from lsc_tui.config import ConfigError, default_data_dir, default_store
from lsc_tui.store.opening import is_database_url


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
