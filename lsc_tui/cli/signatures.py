"""Headless signature commands (X3): `lsc-tui sync` for cron, `lsc-tui webhooks serve` for the providers.

Both are thin: the same services as the Signatures screen (F5) and the same store, with the identity of the
OS account running them (a service account declared as a user of the store).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import click

from lsc_tui.cli.main import command_context, lsc
from lsc_tui.cli.options import store_options
from lsc_tui.config import ConfigError
from lsc_tui.services.context import AppContext

if TYPE_CHECKING:
    from lsc_tui.services.signature_sync import SyncReport


async def _sync(ctx: AppContext) -> SyncReport:
    from lsc_tui.services import signature_sync  # PDF and provider layers: not at every start of the app

    try:
        return await signature_sync.sync(ctx)
    finally:
        await ctx.providers.aclose()


@lsc.command()
@store_options
def sync() -> None:
    """Récupère les signatures du nuage : ce qui a changé chez le prestataire depuis la dernière fois."""
    ctx = command_context(click.get_current_context())
    report = asyncio.run(_sync(ctx))
    for change in report.changes:
        click.echo(change.line)
    for error in report.errors:
        click.echo(f"ERREUR  {error}")
    click.echo(report.summary())
    if report.errors:
        raise SystemExit(1)


@lsc.group()
def webhooks() -> None:
    """Notifications des prestataires (YouSign, ESign, AR24)."""


@webhooks.command("serve")
@store_options
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Adresse d'écoute (derrière le proxy HTTPS)."
)
@click.option("--port", default=8025, show_default=True, type=int)
def webhooks_serve(host: str, port: int) -> None:
    """Reçoit les webhooks : POST /yousign, /esign, /ar24/<jeton> ; chaque notification n'est appliquée qu'une fois."""
    import uvicorn

    from lsc_tui.services.webhook_server import create_app

    ctx = command_context(click.get_current_context())
    if ctx.readonly:
        raise ConfigError(
            f"{ctx.user.login} n'est pas un utilisateur du store : le récepteur de webhooks ne pourrait rien"
            " enregistrer. Déclarez ce compte (lsc-tui users add)."
        )
    base = f"http://{host}:{port}"
    click.echo(
        f"Webhooks : {base}/yousign · {base}/esign · {base}/ar24/<jeton> (adresse publique et jeton : Réglages →"
        " Compte AR24) — Ctrl-C pour arrêter."
    )
    uvicorn.run(create_app(ctx), host=host, port=port, log_level="warning")
