"""What the letters tests share: the seeded agency in a real store, the sandbox served over HTTP whose AR24
account knows the agency's consents, a context whose AR24 client points at it, and the sender's OTP codes."""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyotp

from lsc_tui.domain.consents import Ar24Account, ValidationMode
from lsc_tui.providers.factory import Providers
from lsc_tui.sandbox.core import load_accounts
from lsc_tui.services.context import AppContext
from lsc_tui.services.letters_demo import ar24_consents
from lsc_tui.store import RecordStore
from tests.conftest import ServedSandbox, serve_sandbox
from tests.fixtures import context, seeded_store
from tests.integration.ar24_kit import make_client, user_of, wrong_code


def accounts_for(store: RecordStore, *, paper: bool = True) -> dict[str, Any]:
    """Fresh sandbox accounts whose AR24 user knows every consent of the agency (as a firm's would)."""
    accounts = copy.deepcopy(load_accounts(None))
    ar24 = accounts["ar24"]
    ar24["paper_extension"] = paper
    ar24["users"][0]["consents"] = ar24_consents(store)
    return accounts


def served(store: RecordStore, **kw: Any) -> Iterator[ServedSandbox]:
    paper = kw.pop("paper", True)
    yield from serve_sandbox(accounts_for(store, paper=paper), **kw)


def letters_ctx(
    store: RecordStore, sandbox: ServedSandbox, mode: ValidationMode = ValidationMode.DOCUMENTED,
    login: str = "claire", **client_kw: Any,
) -> AppContext:  # fmt: skip
    """A context on the seeded store, its AR24 client on the served sandbox, the user's account linked."""
    files = Path(store.location) if not store.location.startswith("postgres") else Path(tempfile.mkdtemp())
    ctx = context(store, login, data_dir=files)
    client_kw.setdefault("paper_extension", bool(sandbox.accounts["ar24"].get("paper_extension")))
    ctx = replace(ctx, providers=Providers(ar24=make_client(sandbox, **client_kw)))
    index = 0 if login == "claire" else 1
    user = user_of(sandbox, index)
    with ctx.write() as w:
        if w.ar24_accounts.of(login) is None:
            w.ar24_accounts.create(
                Ar24Account(login, user["email"], str(user["id"]), linked=True, validation_mode=mode.value)
            )
    return ctx


def convocations(ctx: AppContext) -> list[str]:
    """The 14 convocation events of Le Clos des Vignes (DEMO.md step 6), in the list's order."""
    found = [
        e
        for e in ctx.repos.events.all()
        if e.entity_name == "Le Clos des Vignes" and "Convocation" in e.title
    ]
    return [e.id for e in sorted(found, key=lambda e: e.party_names)]


def code(sandbox: ServedSandbox, index: int = 0) -> str:
    return pyotp.TOTP(user_of(sandbox, index)["otp_secret"]).now()


def bad_code(sandbox: ServedSandbox) -> str:
    return wrong_code(user_of(sandbox)["otp_secret"])


def mails(sandbox: ServedSandbox) -> list[dict[str, Any]]:
    return list(sandbox.ctx.providers["ar24"].mails.values())


__all__ = [
    "accounts_for",
    "bad_code",
    "code",
    "convocations",
    "letters_ctx",
    "mails",
    "seeded_store",
    "served",
]
