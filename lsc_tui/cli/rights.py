"""`lsc-tui users grant|revoke LOGIN RIGHT`: rights beyond the role (C5), given by an administrator."""

from __future__ import annotations

import click

from lsc_tui.cli.admin import users
from lsc_tui.cli.main import command_context
from lsc_tui.cli.options import store_options
from lsc_tui.domain.rights import RIGHTS
from lsc_tui.services import rights as rights_service

RIGHT_HELP = "Droit : " + " ; ".join(f"{name} ({label})" for name, label in RIGHTS.items()) + "."


@users.command("grant", help=f"Donne à LOGIN le droit RIGHT. {RIGHT_HELP}")
@store_options
@click.argument("login")
@click.argument("right")
def users_grant(login: str, right: str) -> None:
    user = rights_service.set_right(command_context(click.get_current_context()), login, right, True)
    click.echo(f"Droit « {right} » donné à {user.login} ; ses droits : {', '.join(user.rights)}.")


@users.command("revoke", help=f"Retire à LOGIN le droit RIGHT. {RIGHT_HELP}")
@store_options
@click.argument("login")
@click.argument("right")
def users_revoke(login: str, right: str) -> None:
    user = rights_service.set_right(command_context(click.get_current_context()), login, right, False)
    click.echo(f"Droit « {right} » retiré à {user.login} ; ses droits : {', '.join(user.rights) or 'aucun'}.")
