"""Putting the floors together for one command: which store, which user, which providers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, cast

from lsc_tui.cli.where import location as location  # where `--data` / `--store` point
from lsc_tui.config import ConfigError, secrets_for
from lsc_tui.domain.users import User
from lsc_tui.providers.factory import build_providers
from lsc_tui.services.context import AppContext
from lsc_tui.services.users import current_login, resolve_user
from lsc_tui.store import RecordStore, StoreError, open_store

if TYPE_CHECKING:
    import httpx

DEMO_MARKER = ".lsc-tui-demo"
SANDBOX_ACCOUNTS = "sandbox_accounts.json"
SANDBOX_STATE = "sandbox_state.json"


def is_demo_dir(data_dir: Path) -> bool:
    return (data_dir / DEMO_MARKER).is_file()


def demo_transport(data_dir: Path) -> httpx.AsyncBaseTransport:
    """The sandbox mounted in-process, its state in the demo dir: every command on that dir sees one provider.
    Mounted on first use (or by the warm-up behind Accueil): importing the sandbox costs more than showing
    Accueil."""
    from lsc_tui.providers.lazy_transport import LazyTransport

    def mount() -> httpx.AsyncBaseTransport:
        import httpx

        from lsc_tui.sandbox.app import create_app

        app = create_app(
            accounts_path=data_dir / SANDBOX_ACCOUNTS,
            state_path=data_dir / SANDBOX_STATE,
            autopilot=True,
            control=True,  # in-process, loopback only: `lsc-tui demo otp` and the demo's signers use it
        )
        app.state.ctx.autopilot.recipient_days = True  # AR24 recipients answer over days (DEMO.md step 8)
        app.state.ctx.autopilot.odds_sign = 1.0  # DEMO step 3: the demo's signers sign (refusals are seeded)
        return httpx.ASGITransport(app=app)

    return cast("httpx.AsyncBaseTransport", LazyTransport(mount))  # duck-typed (lazy_transport.py)


def seeding_transport(data_dir: Path) -> httpx.AsyncBaseTransport:
    """The demo's sandbox without its autopilot: what the seed sends there stays as seeded."""
    import httpx

    from lsc_tui.sandbox.app import create_app

    app = create_app(
        accounts_path=data_dir / SANDBOX_ACCOUNTS, state_path=data_dir / SANDBOX_STATE, control=True
    )
    return httpx.ASGITransport(app=app)


def open_for_work(where: str | Path, *, readonly: bool = False) -> RecordStore:
    """An existing store; a missing folder says how to create one (never a silent empty app)."""
    return open_store(where, readonly=readonly)


def who(store: RecordStore, files: Path, login: str | None) -> tuple[User, bool]:
    """The acting user, and whether the session is a read-only guest (a login the store does not know)."""
    return resolve_user(store, login or current_login(demo=is_demo_dir(files)))


def build_context(
    store: RecordStore, files: Path, *, login: str | None = None, user: tuple[User, bool] | None = None
) -> AppContext:
    """`user`: `who` already answered (the start's helper process read it)."""
    demo = is_demo_dir(files)
    acting, readonly = user or who(store, files, login)
    transport = demo_transport(files) if demo and (files / SANDBOX_ACCOUNTS).exists() else None
    return AppContext(
        store=store,
        user=acting,
        data_dir=files,
        readonly=readonly or store.readonly,
        providers=build_providers(secrets_for(files).effective(), transport),
        demo=demo,
    )


def read_json_file(path: Path, what: str) -> dict:  # type: ignore[type-arg]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{what} introuvable : {path}.") from exc
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{what} illisible : {path} ({type(exc).__name__}).") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{what} illisible : {path} (structure inattendue).")
    return data


__all__ = ["StoreError", "build_context", "demo_transport", "location", "open_for_work"]
