"""Administration: create a store, manage its users, check it, copy it into PostgreSQL."""

from __future__ import annotations

import grp
import os
from pathlib import Path

import click

from lsc_tui.cli.main import command_context, lsc
from lsc_tui.cli.options import chosen, store_options
from lsc_tui.cli.wiring import location
from lsc_tui.config import ConfigError
from lsc_tui.services import users as users_service
from lsc_tui.store import StoreError, open_store


def _make_group_dir(path: Path, group: str | None) -> None:
    """The firm's folder: owned by its group, setgid (new files inherit the group), 2770."""
    path.mkdir(parents=True, exist_ok=True)
    if group:
        try:
            gid = grp.getgrnam(group).gr_gid
        except KeyError as exc:
            raise ConfigError(
                f"Le groupe système « {group} » n'existe pas : créez-le (groupadd) d'abord."
            ) from exc
        try:
            os.chown(path, -1, gid)
        except PermissionError as exc:
            raise ConfigError(
                f"Impossible de donner {path} au groupe {group} : il faut en être membre (ou root)."
            ) from exc
    os.chmod(path, 0o2770)


@lsc.command()
@store_options
@click.option("--admin", "admin_login", required=True, help="Identifiant système du premier administrateur.")
@click.option("--name", default="", help="Nom affiché de cet administrateur.")
@click.option("--group", default=None, help="Groupe système du cabinet (propriétaire du dossier).")
def init(admin_login: str, name: str, group: str | None) -> None:
    """Crée un store vide dont LOGIN est le premier administrateur."""
    where, files = location(chosen("data_dir"), chosen("store_url"))
    if isinstance(where, Path):
        if where.exists() and any(where.iterdir()):
            raise ConfigError(f"{where} n'est pas vide : choisissez un dossier neuf pour un nouveau store.")
        _make_group_dir(where, group)
    else:
        _make_group_dir(files, group)
    store = open_store(where, create=True)
    user = users_service.add_first_admin(store, admin_login, name)
    click.echo(f"Store créé : {store.location} — administrateur : {user.login}.")


@lsc.group()
def users() -> None:
    """Utilisateurs du store (réservé aux administrateurs pour les modifications)."""


@users.command("list")
@store_options
def users_list() -> None:
    """Liste les utilisateurs et leur rôle."""
    ctx = command_context(click.get_current_context(), readonly=True)
    for u in users_service.list_users(ctx):
        click.echo(f"{u.login}\t{'admin' if u.is_admin else 'gestionnaire'}\t{u.name}")


@users.command("add")
@store_options
@click.argument("login")
@click.option("--admin", is_flag=True, help="Avec les droits d'administration.")
@click.option("--name", default="", help="Nom affiché.")
@click.option("--email", default="", help="Email.")
def users_add(login: str, admin: bool, name: str, email: str) -> None:
    """Ajoute l'utilisateur LOGIN (son identifiant système)."""
    ctx = command_context(click.get_current_context())
    user = users_service.add_user(ctx, login, admin=admin, name=name, email=email)
    click.echo(f"Utilisateur ajouté : {user.login} ({'admin' if user.is_admin else 'gestionnaire'}).")


@users.command("remove")
@store_options
@click.argument("login")
def users_remove(login: str) -> None:
    """Retire l'utilisateur LOGIN."""
    ctx = command_context(click.get_current_context())
    users_service.remove_user(ctx, login)
    click.echo(f"Utilisateur retiré : {login}.")


@lsc.group()
def store() -> None:
    """Le store lui-même : vérification, copie vers PostgreSQL."""


@store.command("check")
@store_options
def store_check() -> None:
    """Relit chaque fichier et chaque enregistrement ; dit ce qui est abîmé."""
    where, _files = location(chosen("data_dir"), chosen("store_url"))
    opened = open_store(where, readonly=True)
    verify = getattr(opened, "verify", None)
    if verify is not None:
        verify(deep=True)
    click.echo(f"Store intact : {opened.location}.")


@store.command("migrate")
@click.option(
    "--from", "source", required=True, type=click.Path(path_type=Path), help="Dossier du store embarqué."
)
@click.option("--to", "target", required=True, metavar="URL", help="Base PostgreSQL (postgresql://…).")
def store_migrate(source: Path, target: str) -> None:
    """Copie un store embarqué dans PostgreSQL ; relancer ne change rien."""
    from lsc_tui.store.opening import table_specs
    from lsc_tui.store.transfer import copy_store

    src = open_store(source, readonly=True)
    dst = open_store(target, create=True)
    counts = copy_store(src, dst, list(table_specs()))
    width = max(len(t) for t in counts)
    for table, (a, b) in counts.items():
        click.echo(f"{table:<{width}}  {a:>8}  {b:>8}{'' if a == b else '  DIFFÉRENT'}")
    if any(a != b for a, b in counts.values()):
        raise StoreError("Les nombres d'enregistrements diffèrent : la copie est incomplète, relancez-la.")
