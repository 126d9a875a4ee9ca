"""`lsc-tui sandbox`: the fake YouSign, ESign and AR24 served over HTTP on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import click

from lsc_tui.cli.main import lsc
from lsc_tui.config import ConfigError


@lsc.command()
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
        raise ConfigError(str(exc)) from exc
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
