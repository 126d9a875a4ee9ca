"""`lsc-tui demo`: a seeded agency and the fake providers, no account and no network needed (DEMO.md)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import click

from lsc_tui.cli.main import lsc
from lsc_tui.cli.tui_app import make_tui, run_tui
from lsc_tui.cli.wiring import DEMO_MARKER, SANDBOX_ACCOUNTS, build_context, read_json_file, seeding_transport
from lsc_tui.config import ConfigError, default_demo_dir, secrets_for
from lsc_tui.domain.consents import ValidationMode
from lsc_tui.providers.factory import build_providers
from lsc_tui.services.context import AppContext, paris_now
from lsc_tui.store import RecordStore, open_store
from lsc_tui.store.repositories import Repos

SEEDING = "seeding\n"
READY = "demo\n"


def _marker(data_dir: Path) -> str | None:
    try:
        return (data_dir / DEMO_MARKER).read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None


def _prepare_demo_dir(data_dir: Path, reset: bool) -> None:
    if data_dir.exists() and not data_dir.is_dir():
        raise ConfigError(f"{data_dir} est un fichier : donnez un dossier pour la démo (--data DOSSIER).")
    if reset and data_dir.exists():
        if any(data_dir.iterdir()) and _marker(data_dir) is None:
            raise ConfigError(
                f"{data_dir} n'est pas un dossier de démo : --reset refusé pour ne rien effacer."
            )
        shutil.rmtree(data_dir)
    if data_dir.exists() and any(data_dir.iterdir()) and _marker(data_dir) is None:
        raise ConfigError(
            f"{data_dir} contient des données qui ne viennent pas de la démo : choisissez un autre dossier."
        )
    if _marker(data_dir) == SEEDING:
        raise ConfigError(
            f"La démo de {data_dir} a été interrompue pendant sa préparation : relancez avec"
            " « lsc-tui demo --reset »."
        )
    if not data_dir.exists():
        data_dir.mkdir(parents=True, mode=0o2770)
        data_dir.chmod(0o2770)


def demo_secrets(accounts: dict) -> dict:  # type: ignore[type-arg]
    """The app's own credentials for the sandbox accounts (so the demo needs no typing of keys)."""
    ys = next(iter(accounts.get("yousign", {}).get("api_keys", {}) or {"": None}))
    es = next(iter(accounts.get("esign", {}).get("api_keys", {}) or {"": None}))
    ar = accounts.get("ar24", {})
    return {
        "yousign": {"api_key": ys, "base_url": "sandbox"},
        "esign": {"api_key": es, "base_url": "sandbox"},
        "ar24": {
            "token": ar.get("token", ""),
            "private_key": ar.get("private_key", ""),
            "base_url": "sandbox",
        },
    }


def seed_demo(
    data_dir: Path, reset: bool = False, login: str = "claire", *, queue: bool = False
) -> AppContext:
    """Seed `data_dir` once (or again with reset) and return a context logged in as `login`.

    The marker says "seeding" while the agency is being written and "demo" once whole, so a demo cut in the
    middle is recognised (and `--reset` recovers it) instead of being mistaken for someone's real data.
    `queue`: Claire's AR24 account validates in AR24's queue (§15) and the day's letters wait there too;
    else (default) they wait in our store, as with AR24's documented API.
    """
    from lsc_tui.sandbox.core import load_accounts, write_secret_json
    from lsc_tui.services import demo

    _prepare_demo_dir(data_dir, reset)
    if _marker(data_dir) is None:
        marker = data_dir / DEMO_MARKER
        marker.write_text(SEEDING, encoding="utf-8")
        marker.chmod(0o660)
        store = open_store(data_dir, create=True)
        demo.seed(store, paris_now())
        from lsc_tui.services import letters_demo  # httpx and the AR24 crypto: only when seeding

        accounts = load_accounts(None)
        accounts["ar24"]["users"][0]["consents"] = letters_demo.ar24_consents(store)
        write_secret_json(data_dir / SANDBOX_ACCOUNTS, accounts)
        secrets_for(data_dir).write(demo_secrets(accounts))
        from lsc_tui.cli.signature_demo import seed_sandbox  # httpx, PDF: only when seeding

        seed_sandbox(build_context(store, data_dir, login=login), seeding_transport(data_dir))
        mode = ValidationMode.QUEUE if queue else ValidationMode.DOCUMENTED
        _upload_seeded_letters(store, data_dir, mode)
        (data_dir / DEMO_MARKER).write_text(READY, encoding="utf-8")
    else:
        store = open_store(data_dir)
        if queue and not _in_queue_mode(store):
            raise ConfigError(
                f"La démo de {data_dir} valide ses lettres chez nous (API AR24 documentée) : ajoutez --reset pour"
                " la refaire avec la file d'attente AR24."
            )
    return build_context(store, data_dir, login=login)


def _in_queue_mode(store: RecordStore) -> bool:
    from lsc_tui.services import letters_demo

    account = Repos(store).ar24_accounts.of(letters_demo.SENDER)
    return account is not None and account.mode is ValidationMode.QUEUE


def _upload_seeded_letters(store: RecordStore, data_dir: Path, mode: ValidationMode) -> None:
    """The seed's letters waiting for F9 (Claire's, whoever seeds) get their PDF and their attachment at the
    demo's sandbox — and, in queue mode, their place in its `to_valid` queue —, so a fresh demo validates them
    in either mode. Through the sandbox without its autopilot: nothing moves them before F9."""
    import asyncio

    from lsc_tui.services import letters_demo

    ctx = build_context(store, data_dir, login=letters_demo.SENDER)
    seeding = dataclasses.replace(
        ctx, providers=build_providers(secrets_for(data_dir).effective(), seeding_transport(data_dir))
    )

    async def run() -> None:
        try:
            await letters_demo.link_sender(seeding, mode)
            await letters_demo.upload_seeded(seeding)
        finally:
            await seeding.providers.aclose()
            await ctx.providers.aclose()

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(run())
        return
    import threading  # called from async code (a test, an embedding app): its own loop in a thread

    failed: list[BaseException] = []

    def in_thread() -> None:
        try:
            asyncio.run(run())
        except BaseException as exc:  # handed to the caller's thread below
            failed.append(exc)

    worker = threading.Thread(target=in_thread)
    worker.start()
    worker.join()
    if failed:
        raise failed[0]


def _demo_dir(data_dir: Path | None) -> Path:
    root = click.get_current_context().find_root().obj or {}
    chosen = data_dir or click.get_current_context().find_object(dict).get("demo_dir") or root.get("data_dir")
    return (chosen or default_demo_dir()).expanduser().absolute()


@lsc.group(invoke_without_command=True)
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None, help="Dossier de la démo.")
@click.option("--reset", is_flag=True, help="Repartir d'une démo neuve.")
@click.option("--seed-only", is_flag=True, help="Préparer les données et quitter.")
@click.option(
    "--user",
    "login",
    default="claire",
    show_default=True,
    help="Utilisateur (claire admin, julien gestionnaire).",
)
@click.option(
    "--ar24-queue",
    "queue",
    is_flag=True,
    help="Lettres du jour dans la file d'attente AR24 (validées par mail/validate) plutôt que chez nous.",
)
@click.pass_context
def demo(
    click_ctx: click.Context, data_dir: Path | None, reset: bool, seed_only: bool, login: str, queue: bool
) -> None:
    """Démo hors ligne : une agence fictive, les prestataires simulés, aucun compte nécessaire."""
    click_ctx.ensure_object(dict)
    click_ctx.obj["demo_dir"] = data_dir
    if click_ctx.invoked_subcommand is not None:
        return
    ctx = seed_demo(_demo_dir(data_dir), reset, login, queue=queue)
    if seed_only:
        click.echo(f"Démo prête dans {ctx.data_dir}")
        return
    run_tui(make_tui(ctx))


@demo.command("otp")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None, help="Dossier de la démo.")
def demo_otp(data_dir: Path | None) -> None:
    """Affiche le code OTP du moment de la clé de démo (comme la page OTP d'AR24)."""
    import pyotp

    folder = _demo_dir(data_dir)
    path = folder / SANDBOX_ACCOUNTS
    if not path.exists():
        raise ConfigError(f"pas de démo dans {folder} : lancez d'abord « lsc-tui demo --seed-only ».")
    user = read_json_file(path, "Comptes de la démo")["ar24"]["users"][0]
    totp = pyotp.TOTP(user["otp_secret"])
    left = 30 - int(paris_now().timestamp()) % 30
    click.echo(f"{totp.now()}   (clé OTP de {user['firstname']} {user['lastname']}, valable encore {left} s)")
