"""Entry points: the TUI on the firm's store, the seeded demo, the sandbox server, administration and
headless commands. It wires every floor.

Every failure reaches the person as one French line `lsc-tui : …` and a non-zero exit code: 2 for what they can
fix (a damaged file, a wrong option), 70 for a bug, reported without its details (a traceback's local
variables hold personal data, so none is ever printed).

Nothing is imported here before `main` runs: a plain start forks its helper first (cli/start.py).
"""

from __future__ import annotations

import os
import sys

EXIT_USER = 2
EXIT_BUG = 70


def fail(message: str, code: int = EXIT_USER) -> None:
    import click

    click.echo(f"lsc-tui : {message}", err=True)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    from lsc_tui.cli.start import fork_at_entry

    args = sys.argv[1:] if argv is None else argv
    fork_at_entry(args)
    import click

    from lsc_tui.cli import french
    from lsc_tui.cli.main import lsc
    from lsc_tui.domain.errors import ExplainedError

    french.install()
    try:
        code = lsc.main(args=args, prog_name="lsc-tui", standalone_mode=False)
    except ExplainedError as exc:
        fail(exc.message)
    except click.exceptions.Abort:
        fail("abandon.", 130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
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
    sys.exit(code if isinstance(code, int) else 0)


__all__ = ["main"]
