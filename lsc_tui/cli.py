"""Entry points: the TUI on the user's store, the seeded demo, the sandbox server. It wires every floor."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import NoReturn

import click
import httpx
import platformdirs

from lsc_tui.config import default_data_dir, default_demo_dir, secrets_for
from lsc_tui.providers.factory import build_providers
from lsc_tui.services.context import AppContext, paris_now
from lsc_tui.services.users import current_login, resolve_user
from lsc_tui.store import Store, StoreError

DEMO_MARKER = ".lsc-tui-demo"
SANDBOX_ACCOUNTS = "sandbox_accounts.json"
SANDBOX_STATE = "sandbox_state.json"


def _fail(message: str) -> NoReturn:
    click.echo(f"lsc-tui : {message}", err=True)
    sys.exit(2)


def open_store(data_dir: Path, *, create: bool = True) -> Store:
    try:
        return Store.open(data_dir, create=create)
    except StoreError as exc:
        _fail(exc.message)


def demo_transport(data_dir: Path) -> httpx.AsyncBaseTransport:
    """The sandbox mounted in-process, its state in the demo dir: every command on that dir sees one provider."""
    from lsc_tui.sandbox.app import create_app

    app = create_app(
        accounts_path=data_dir / SANDBOX_ACCOUNTS, state_path=data_dir / SANDBOX_STATE, autopilot=True
    )
    return httpx.ASGITransport(app=app)


def build_context(data_dir: Path, login: str | None = None, store: Store | None = None) -> AppContext:
    store = store or open_store(data_dir)
    user, readonly = resolve_user(store, login or current_login())
    secrets = secrets_for(data_dir).read()
    transport = demo_transport(data_dir) if (data_dir / SANDBOX_ACCOUNTS).exists() else None
    return AppContext(
        store=store,
        user=user,
        data_dir=data_dir,
        readonly=readonly,
        providers=build_providers(secrets, transport),
    )


def keymap_path() -> Path:
    """The user's keymap file (`[keymap] "binding.id" = "key"`): LSC_TUI_KEYMAP, else the config dir."""
    override = os.environ.get("LSC_TUI_KEYMAP")
    return Path(override) if override else platformdirs.user_config_path("lsc-tui") / "keymap.toml"


def run_tui(ctx: AppContext) -> None:
    from lsc_tui.tui.app import create_app

    create_app(ctx, keymap_path=keymap_path()).run()


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data", "data_dir", type=click.Path(path_type=Path), default=None, help="Dossier des données (store)."
)
@click.pass_context
def main(click_ctx: click.Context, data_dir: Path | None) -> None:
    """lsc-tui : signatures électroniques et lettres recommandées électroniques, au clavier."""
    if click_ctx.invoked_subcommand is None:
        run_tui(build_context(data_dir or default_data_dir()))


def _prepare_demo_dir(data_dir: Path, reset: bool) -> None:
    if reset and data_dir.exists():
        if any(data_dir.iterdir()) and not (data_dir / DEMO_MARKER).exists():
            _fail(
                f"{data_dir} n'est pas un dossier de démo : --reset refusé pour ne rien effacer par erreur."
            )
        shutil.rmtree(data_dir)
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)


def seed_demo(data_dir: Path, reset: bool = False) -> AppContext:
    """Seed `data_dir` once (or again with reset) and return a context logged in as the demo admin."""
    from lsc_tui.sandbox.core import load_accounts, write_secret_json
    from lsc_tui.services import demo

    _prepare_demo_dir(data_dir, reset)
    fresh = not (data_dir / DEMO_MARKER).exists()
    store = open_store(data_dir)
    if fresh:
        if store.count("users"):
            _fail(f"{data_dir} contient déjà des données qui ne viennent pas de la démo.")
        demo.seed(store, paris_now())
        accounts = load_accounts(None)
        write_secret_json(data_dir / SANDBOX_ACCOUNTS, accounts)
        secrets_for(data_dir).write(demo_secrets(accounts))
        (data_dir / DEMO_MARKER).write_text("demo\n", encoding="utf-8")
    return build_context(data_dir, "claire", store)


def demo_secrets(accounts: dict) -> dict:
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


@main.group(invoke_without_command=True)
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None, help="Dossier de la démo.")
@click.option("--reset", is_flag=True, help="Repartir d'une démo neuve.")
@click.option("--seed-only", is_flag=True, help="Préparer les données et quitter.")
@click.option(
    "--user",
    "login",
    default="claire",
    show_default=True,
    help="Utilisateur de démo (claire admin, julien gestionnaire).",
)
@click.pass_context
def demo(click_ctx: click.Context, data_dir: Path | None, reset: bool, seed_only: bool, login: str) -> None:
    """Démo hors ligne : une agence fictive, les prestataires simulés, aucun compte nécessaire."""
    click_ctx.ensure_object(dict)
    click_ctx.obj["demo_dir"] = data_dir or default_demo_dir()
    if click_ctx.invoked_subcommand is not None:
        return
    ctx = seed_demo(click_ctx.obj["demo_dir"], reset)
    if login != "claire":
        user, readonly = resolve_user(ctx.store, login)
        ctx.user, ctx.readonly = user, readonly
    if seed_only:
        click.echo(f"Démo prête dans {ctx.data_dir}")
        return
    run_tui(ctx)


@demo.command("otp")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None, help="Dossier de la démo.")
@click.pass_context
def demo_otp(click_ctx: click.Context, data_dir: Path | None) -> None:
    """Affiche le code OTP du moment de la clé de démo (comme la page OTP d'AR24)."""
    # --data is accepted before and after `otp` (people type both); after wins, as the nearer one.
    import json

    import pyotp

    path = (data_dir or click_ctx.obj["demo_dir"]) / SANDBOX_ACCOUNTS
    if not path.exists():
        _fail(f"pas de démo dans {path.parent} : lancez d'abord « lsc-tui demo --seed-only ».")
    accounts = json.loads(path.read_text(encoding="utf-8"))
    user = accounts["ar24"]["users"][0]
    totp = pyotp.TOTP(user["otp_secret"])
    click.echo(
        f"{totp.now()}   (clé OTP de {user['firstname']} {user['lastname']}, valable encore {30 - int(paris_now().timestamp()) % 30} s)"
    )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8024, show_default=True, type=int)
@click.option(
    "--accounts", type=click.Path(path_type=Path, exists=True), default=None, help="Comptes (JSON)."
)
@click.option("--state", type=click.Path(path_type=Path), default=None, help="Fichier d'état (JSON).")
@click.option("--latency", default=0.0, type=float, help="Latence ajoutée (ms).")
@click.option("--jitter", default=0.0, type=float, help="Gigue ajoutée (ms).")
@click.option("--faults", default="", help='Pannes, ex. "429=0.1,503=0.05,drop=0.02,retry_after=1".')
@click.option("--autopilot", is_flag=True, help="Les signataires et destinataires agissent seuls.")
def sandbox(
    host: str,
    port: int,
    accounts: Path | None,
    state: Path | None,
    latency: float,
    jitter: float,
    faults: str,
    autopilot: bool,
) -> None:
    """Sert les faux YouSign, ESign et AR24 sur 127.0.0.1."""
    import uvicorn

    from lsc_tui.sandbox.app import create_app
    from lsc_tui.sandbox.core import FaultSpec, load_accounts, write_secret_json

    try:
        spec = FaultSpec.parse(faults, latency_ms=latency, jitter_ms=jitter)
    except ValueError as exc:
        _fail(str(exc))
    if accounts is None:
        generated = load_accounts(None)
        accounts = Path.cwd() / "sandbox_accounts.json"
        write_secret_json(accounts, generated)
        click.echo(f"Comptes générés (secrets, 0600) : {accounts}")
    app = create_app(accounts_path=accounts, state_path=state, faults=spec, autopilot=autopilot)
    base = f"http://{host}:{port}"
    click.echo(
        f"YouSign : {base}/yousign/v3\nESign   : {base}/esign\nAR24    : {base}/ar24/api/\nCtrl-C pour arrêter."
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")
