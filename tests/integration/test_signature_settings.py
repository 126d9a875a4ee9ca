"""Réglages signature (C1, C2, C6): admin only, keys in the secrets file and shown masked, and « Tester l'accès
au service » saying which of four things is true, asked of the sandbox over real HTTP."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from lsc_tui.config import secrets_for
from lsc_tui.sandbox.core import FaultSpec
from lsc_tui.services import signature_settings as settings
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import Forbidden, ValidationFailed
from tests.conftest import ServedSandbox
from tests.fixtures import context, seeded_store
from tests.integration.signature_kit import esign_key, yousign_key


@pytest.fixture
def ctx(tmp_path: Path) -> AppContext:
    return context(seeded_store(tmp_path / "data"))


def form(current: settings.SignatureSettings, **changes: object) -> settings.SettingsForm:
    values = {
        "v2": current.v2,
        "provider": current.provider,
        "base_url": current.base_urls.get(current.provider, ""),
        "api_key": "",
        "webhook_secret": "",
        "historisation_template_id": current.historisation_template_id,
        "manager_name": current.manager_name,
        "manager_email": current.manager_email,
    }
    values.update(changes)
    return settings.SettingsForm(**values)  # type: ignore[arg-type]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_access_verdicts_works_bad_key_unreachable_rate_limited(
    ctx: AppContext, sandbox: ServedSandbox
) -> None:
    key = yousign_key(sandbox.accounts)
    ok = await settings.test_access(ctx, "yousign", key, sandbox.yousign_url)
    assert (ok.ok, ok.kind) == (True, "ok") and "YouSign" in ok.message
    bad = await settings.test_access(ctx, "yousign", "not-a-key", sandbox.yousign_url)
    assert (bad.ok, bad.kind) == (False, "auth") and bad.message.startswith("Clé refusée par YouSign")
    read_only = await settings.test_access(ctx, "yousign", yousign_key(sandbox.accounts, "read_only"),
                                           sandbox.yousign_url)  # fmt: skip
    assert read_only.kind == "auth" and "lecture seule" in read_only.message
    down = await settings.test_access(ctx, "esign", esign_key(sandbox.accounts),
                                      f"http://127.0.0.1:{closed_port()}/esign")  # fmt: skip
    assert (down.ok, down.kind) == (False, "unreachable") and "ESign ne répond pas" in down.message
    sandbox.ctx.faults = FaultSpec(rates={"429": 1.0})
    limited = await settings.test_access(ctx, "esign", esign_key(sandbox.accounts), sandbox.esign_url)
    assert (limited.ok, limited.kind) == (False, "rate_limited")
    assert "not-a-key" not in bad.message and key not in ok.message


def test_an_admin_saves_keys_masked_the_historisation_template_and_mail_variables(ctx: AppContext) -> None:
    current = settings.read(ctx)
    assert current.v2 and current.provider == "yousign" and current.keys_masked["yousign"] == ""
    retour = next(t for t in ctx.repos.templates.all() if t.name.startswith("Avenant"))
    saved = settings.save(
        ctx,
        form(current, provider="esign", base_url="sandbox", api_key="es-secret-key-123456",
             webhook_secret="whsec-0123456789", historisation_template_id=retour.id,
             manager_name="Claire  Martin", manager_email="direction@cabinet-martin.example"),
        expect_rev=current.rev, admin_rev=current.admin_rev,
    )  # fmt: skip
    assert saved.provider == "esign" and saved.keys_masked["esign"] == "es••••••••56"
    assert saved.historisation_template_id == retour.id
    assert [t.id for t in ctx.repos.templates.all() if t.is_historisation] == [retour.id]
    assert (saved.manager_name, saved.manager_email) == ("Claire Martin", "direction@cabinet-martin.example")
    on_disk = json.loads((ctx.data_dir / "secrets.json").read_text())
    assert on_disk["esign"] == {"base_url": "sandbox", "api_key": "es-secret-key-123456",
                                "webhook_secret": "whsec-0123456789"}  # fmt: skip
    assert ctx.providers.esign is not None  # the client is rebuilt with the new key
    details = " ".join(a.detail for a in ctx.repos.audit.all())
    assert "es-secret-key-123456" not in details and "whsec" not in details
    again = settings.save(ctx, form(saved), expect_rev=saved.rev, admin_rev=saved.admin_rev)
    assert secrets_for(ctx.data_dir).read()["esign"]["api_key"] == "es-secret-key-123456"  # empty keeps it
    assert again.keys_masked == saved.keys_masked


def test_staff_cannot_change_them_and_bad_values_are_refused_by_field(ctx: AppContext) -> None:
    current = settings.read(ctx)
    staff = context(ctx.store, "julien")
    with pytest.raises(Forbidden):
        settings.save(staff, form(current, v2=False), expect_rev=current.rev, admin_rev=current.admin_rev)
    with pytest.raises(ValidationFailed) as refused:
        settings.save(ctx, form(current, base_url="ftp://x", manager_email="pas-un-email"),
                      expect_rev=current.rev, admin_rev=current.admin_rev)  # fmt: skip
    assert set(refused.value.errors) == {"base_url", "manager_email", "api_key"}
    assert settings.read(ctx).rev == current.rev  # nothing written


def test_an_environment_variable_gives_the_key_without_the_file(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LSC_TUI_YOUSIGN_API_KEY", "env-key-abcdef")
    shown = settings.read(ctx)
    assert shown.keys_masked["yousign"] == "en••••••••ef" and "yousign.api_key" in shown.from_environment
    assert not (ctx.data_dir / "secrets.json").exists()
