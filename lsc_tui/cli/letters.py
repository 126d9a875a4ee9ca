"""`lsc-tui letters …`: the registered letters for cron and scripts (X3), over the services F8 and F9 use.

- `refresh`: ask AR24 where every moving letter stands (the webhooks' fallback);
- `pending`: my letters waiting for the OTP, one line each, then the count alone on the last line;
- `validate --otp CODE (--all | ID...)`: one code for every letter named; exit 0 only if all were validated.
A wrong code: one French line, exit 2, nothing changed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import click

from lsc_tui.cli.main import command_context, lsc
from lsc_tui.cli.options import store_options
from lsc_tui.services.batches import Collector
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import ServiceError

T = TypeVar("T")
EXIT_PARTIAL = 1


def _run(ctx: AppContext, job: Callable[[], Awaitable[T]]) -> T:
    """One event loop for the command; the provider clients are closed in it."""

    async def main() -> T:
        try:
            return await job()
        finally:
            await ctx.providers.aclose()

    return asyncio.run(main())


@lsc.group()
def letters() -> None:
    """Lettres recommandées AR24 : actualiser, lister et valider (OTP) sans l'interface."""


@letters.command("refresh")
@store_options
@click.option("--mine", is_flag=True, help="Seulement mes lettres.")
@click.pass_context
def refresh(click_ctx: click.Context, mine: bool) -> None:
    """Demande à AR24 le statut de chaque lettre en cours (dépôt, envoi, AR, refus, négligence)."""
    ctx = command_context(click_ctx)
    from lsc_tui.services import letter_tracking  # PDF and provider layers: not at every start of the app

    report = _run(ctx, lambda: letter_tracking.refresh(ctx, mine=mine))
    click.echo(report.summary())


@letters.command("pending")
@store_options
@click.pass_context
def pending(click_ctx: click.Context) -> None:
    """Mes lettres en attente de validation OTP : une ligne par lettre, puis leur nombre."""
    ctx = command_context(click_ctx, readonly=True)
    from lsc_tui.services import letter_validation

    found = letter_validation.pending(ctx)
    for x in found:
        state = "à vérifier" if x.status.value == "sending" else x.kind.label
        click.echo(f"{x.id}\t{x.entity_name}\t{x.recipient_name}\t{x.chrono}\t{state}")
    click.echo(str(len(found)))


@letters.command("validate")
@store_options
@click.option("--otp", "otp", required=True, metavar="CODE", help="Code OTP à 6 chiffres (clé OTP AR24).")
@click.option("--all", "every", is_flag=True, help="Toutes mes lettres en attente.")
@click.argument("letter_ids", nargs=-1)
@click.pass_context
def validate(click_ctx: click.Context, otp: str, every: bool, letter_ids: tuple[str, ...]) -> None:
    """Valide avec UN code OTP mes lettres en attente (--all) ou celles nommées (ID…)."""
    if every == bool(letter_ids):
        raise ServiceError("Indiquez --all ou les identifiants des lettres à valider (pas les deux).")
    ctx = command_context(click_ctx)
    from lsc_tui.services import letter_validation

    ids = [x.id for x in letter_validation.pending(ctx)] if every else list(letter_ids)
    if not ids:
        click.echo("Aucune lettre à valider.")
        return
    collector = Collector(click.echo)
    report = _run(ctx, lambda: letter_validation.validate(ctx, ids, otp, collector))
    click.echo(report.summary("lettre"))
    if not report.all_ok:
        raise SystemExit(EXIT_PARTIAL)
