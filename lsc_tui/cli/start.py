"""The first steps of `lsc-tui`, before click or Textual is imported.

When the command line only starts the TUI, the helper that reads Accueil's first frame (cli/first_reads.py)
is forked here, at once. Its path (the driver's import, the store's opening, Accueil's reads: ~160 ms on
PostgreSQL) is as long as the app's own imports; forked after click and our command modules (~90 ms), it kept
Accueil waiting 15–60 ms once Textual was ready. Only a plain start (`--data`, `--store`, nothing else) is
recognised here, and it is started without click (~10 ms of imports); any other line goes through click and
forks nothing here.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence
from pathlib import Path

STARTING_GC = (100_000, 50, 50)
STARTING_SWITCH = 0.0005
"""Until Accueil shows its counts, a worker thread waiting for the GIL gets it within 0.5 ms, not 5: the
store read behind the counts takes 0.4 ms of CPU but waited ~40 ms on the UI thread's layout."""

PLAIN_OPTIONS = ("--data", "--store")


def starting() -> None:
    """Python's cyclic GC ran ~130 times while the driver, Textual and our screens were imported and built, a
    tenth of the start to Accueil (bench/bench_ui.py): its threshold stays raised until Accueil shows its
    counts, when the app puts the default back (and the thread switch interval with it)."""
    gc.set_threshold(*STARTING_GC)
    sys.setswitchinterval(STARTING_SWITCH)


def plain_start(argv: Sequence[str]) -> dict[str, str] | None:
    """The `--data` / `--store` values of a command line that starts the TUI and says nothing else (the last
    one wins, as in click); None for any other line (a command, `--help`, a missing value)."""
    found: dict[str, str] = {}
    tokens = iter(argv)
    for token in tokens:
        name, equals, value = token.partition("=")
        if name not in PLAIN_OPTIONS:
            return None
        if not equals:
            following = next(tokens, None)
            if following is None:
                return None
            value = following
        found[name] = value
    return found


def fork_at_entry(argv: Sequence[str], *, login: str | None = None) -> tuple[str | Path, Path] | None:
    """Where a plain start opens (its helper forked), or None for any other line. `login`: the tests' and
    benches' acting user; the entry point leaves it to the session's login, as the start does."""
    options = plain_start(argv)
    if options is None:
        return None
    from lsc_tui.cli import first_reads
    from lsc_tui.cli.where import location
    from lsc_tui.config import ConfigError

    data = options.get("--data")
    try:
        where, files = location(Path(data) if data is not None else None, options.get("--store"))
    except ConfigError:
        return None  # click's parse of the same line says it, in the usual words
    starting()
    first_reads.fork_ahead(str(where), files, login)
    return where, files
