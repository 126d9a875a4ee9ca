"""Entry points: the TUI on the firm's store, the seeded demo, the sandbox server, administration and
headless commands. It wires every floor.

Every failure reaches the person as one French line `lsc-tui : …` and a non-zero exit code: 2 for what they can
fix (a damaged file, a wrong option), 70 for a bug, reported without its details (a traceback's local
variables hold personal data, so none is ever printed).

Nothing is imported here before `main` runs: a plain start (`--data`, `--store`, nothing else) forks its helper
first and starts the TUI without click (cli/start.py); any other line goes through click.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

EXIT_USER = 2
EXIT_BUG = 70


def fail(message: str, code: int = EXIT_USER) -> None:
    import click

    click.echo(f"lsc-tui : {message}", err=True)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    from lsc_tui.cli.start import fork_at_entry

    args = sys.argv[1:] if argv is None else argv
    place = fork_at_entry(args)  # a plain start: its helper forked, and click never imported
    sys.exit(_guarded(_start, place) if place is not None else _guarded(_parsed, args))


def _start(place: tuple[str | Path, Path]) -> int:
    from lsc_tui.cli.tui_app import open_tui, run_tui

    run_tui(open_tui(*place))
    return 0


def _parsed(args: list[str]) -> int:
    import click

    from lsc_tui.cli import french
    from lsc_tui.cli.main import lsc

    french.install()
    try:
        code = lsc.main(args=args, prog_name="lsc-tui", standalone_mode=False)
    except click.exceptions.Abort:
        fail("abandon.", 130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    return code if isinstance(code, int) else 0


def _guarded(run: Callable[[T], int], arg: T) -> int:
    """`run(arg)`, every failure said in one French line (see above)."""
    from lsc_tui.domain.errors import ExplainedError

    try:
        return run(arg)
    except ExplainedError as exc:
        fail(exc.message)
    except KeyboardInterrupt:
        fail("interrompu.", 130)
    except Exception as exc:
        if os.environ.get("LSC_TUI_DEBUG") == "1":
            import traceback

            traceback.print_exception(exc)  # still no locals: only file, line and message
        fail(
            f"erreur inattendue ({type(exc).__name__}) : rien de plus n'a été modifié. Relancez ;"
            " si elle revient, signalez-la avec la commande tapée (LSC_TUI_DEBUG=1 pour le détail).",
            EXIT_BUG,
        )
    return EXIT_BUG  # fail() has exited


__all__ = ["main"]
