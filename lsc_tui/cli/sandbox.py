"""`lsc-tui sandbox`: the fake YouSign, ESign and AR24 served over HTTP on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import click

from lsc_tui.cli.main import lsc
from lsc_tui.cli.wiring import SANDBOX_ACCOUNTS
from lsc_tui.config import ConfigError, default_data_dir


@lsc.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8024, show_default=True, type=int)
@click.option(
    "--accounts",
    type=click.Path(path_type=Path, exists=True),
    default=None,
    help="Comptes (JSON). Par défaut : <données>/sandbox/sandbox_accounts.json, créé au besoin (0600).",
)
@click.option("--state", type=click.Path(path_type=Path), default=None, help="Fichier d'état (JSON).")
@click.option("--latency", default=0.0, type=float, help="Latence ajoutée (ms).")
@click.option("--jitter", default=0.0, type=float, help="Gigue ajoutée (ms).")
@click.option("--faults", default="", help='Pannes, ex. "429=0.1,503=0.05,drop=0.02,retry_after=1".')
@click.option("--autopilot", is_flag=True, help="Les signataires et destinataires agissent seuls.")
@click.option(
    "--webhooks",
    "webhooks_base",
    default=None,
    metavar="URL",
    help="Envoie les webhooks YouSign et ESign à URL/yousign et URL/esign (ex. http://127.0.0.1:8025).",
)
@click.option(
    "--control",
    is_flag=True,
    help="Ouvre les routes /_sandbox (codes OTP, actions des signataires), à 127.0.0.1 seulement.",
)
def sandbox(
    host: str,
    port: int,
    accounts: Path | None,
    state: Path | None,
    latency: float,
    jitter: float,
    faults: str,
    autopilot: bool,
    webhooks_base: str | None,
    control: bool,
) -> None:
    """Sert les faux YouSign, ESign et AR24 sur 127.0.0.1."""
    import uvicorn

    from lsc_tui.sandbox.app import create_app
    from lsc_tui.sandbox.core import FaultSpec

    try:
        spec = FaultSpec.parse(faults, latency_ms=latency, jitter_ms=jitter)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    if accounts is None:
        accounts = sandbox_accounts_file(default_data_dir())
        click.echo(f"Comptes du bac à sable (clés et secrets OTP, fichier 0600) : {accounts}")
    else:
        click.echo(f"Comptes du bac à sable : {accounts}")
    app = create_app(
        accounts_path=accounts, state_path=state, faults=spec, autopilot=autopilot, control=control
    )
    if webhooks_base:
        subscribe(app.state.ctx.accounts, webhooks_base.rstrip("/"), accounts)
    base = f"http://{host}:{port}"
    gate = "ouvertes, à 127.0.0.1 seulement" if control else "fermées (--control pour les ouvrir)"
    click.echo(
        f"Routes de contrôle /_sandbox : {gate}\n"
        f"YouSign : {base}/yousign/v3\nESign   : {base}/esign\nAR24    : {base}/ar24/api/\nCtrl-C pour arrêter."
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")


def sandbox_accounts_file(data_dir: Path) -> Path:
    """The sandbox's accounts in the user's data dir (never the current folder): generated once, 0600 in a
    0700 folder, and reused by the next start so that the keys given to a client stay valid."""
    from lsc_tui.sandbox.core import load_accounts, write_secret_json

    folder = data_dir / "sandbox"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    path = folder / SANDBOX_ACCOUNTS
    if path.exists():
        path.chmod(0o600)
    else:
        write_secret_json(path, load_accounts(None))
    return path


def subscribe(accounts: dict, base: str, path: Path) -> None:  # type: ignore[type-arg]
    """YouSign's and ESign's webhooks to `base`/yousign and `base`/esign (`lsc-tui webhooks serve`); their
    secrets are kept in the accounts file (0600), to be typed in Réglages signature."""
    from lsc_tui.sandbox.core import write_secret_json
    from lsc_tui.sandbox.webhooks import subscription

    for provider in ("yousign", "esign"):
        subscription(accounts, provider)["url"] = f"{base}/{provider}"
    write_secret_json(path, accounts)
    click.echo(
        f"Webhooks : {base}/yousign et {base}/esign — secrets dans {path} (« webhook » de chaque compte)"
    )
