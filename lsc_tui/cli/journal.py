"""`lsc-tui journal export FILE`: the audit log (X6) to CSV for scripts and archives, with the screen's filters."""

from __future__ import annotations

import click

from lsc_tui.cli.main import command_context, lsc
from lsc_tui.cli.options import store_options
from lsc_tui.domain.periods import parse_day
from lsc_tui.services import journal as journal_service
from lsc_tui.services.errors import ServiceError, ValidationFailed
from lsc_tui.services.exports import FileExists


@lsc.group()
def journal() -> None:
    """Le journal : qui a fait quoi, quand, sur quel enregistrement."""


@journal.command("export")
@store_options
@click.argument("path")
@click.option("--user", "user", default="", help="Identifiant d'un utilisateur.")
@click.option("--action", default="", help="Code d'une action (ex. tiers.modifier).")
@click.option("--record", "record_id", default="", help="Identifiant d'un enregistrement.")
@click.option("--du", "since", default="", help="Premier jour (JJ/MM/AAAA).")
@click.option("--au", "until", default="", help="Dernier jour (JJ/MM/AAAA).")
@click.option("--force", is_flag=True, help="Écrase le fichier s'il existe.")
def journal_export(
    path: str, user: str, action: str, record_id: str, since: str, until: str, force: bool
) -> None:
    """Écrit dans PATH (CSV, lisible par le groupe seulement) les lignes du journal, les plus récentes d'abord."""
    first, problem = parse_day(since, "--du")
    last, problem_until = parse_day(until, "--au")
    if problem or problem_until:
        raise ValidationFailed({"period": problem or problem_until})
    ctx = command_context(click.get_current_context(), readonly=True)
    flt = journal_service.JournalFilter(
        user=user, action=action, record_id=record_id, since=first, until=last
    )
    try:
        done = journal_service.export_csv(ctx, flt, path, overwrite=force)
    except FileExists as exc:
        raise ServiceError(f"{exc.message[:-1]} : ajoutez --force pour l'écraser.") from exc
    click.echo(
        f"{done.rows} ligne{'s' if done.rows > 1 else ''} du journal écrite{'s' if done.rows > 1 else ''} dans {done.path}."
    )
