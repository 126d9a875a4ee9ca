"""What the signature workflow tests share: the seeded agency wired to a served sandbox, events to send, and
the sandbox's own view of what it received."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from lsc_tui.config import secrets_for
from lsc_tui.domain.models import Address, Event, EventParty, Party
from lsc_tui.domain.roles import Role
from lsc_tui.providers.factory import build_providers
from lsc_tui.services import signature_settings
from lsc_tui.services.context import AppContext
from tests.conftest import ServedSandbox
from tests.fixtures import context, seeded_store
from tests.integration.signature_kit import FAST, esign_key, yousign_key


def wired(
    tmp_path: Path,
    sandbox: ServedSandbox,
    *,
    provider: str = "yousign",
    transport: httpx.AsyncBaseTransport | None = None,
    webhook_secret: str = "",
) -> AppContext:
    """The seeded agency (claire, admin) whose secrets point at `sandbox`, sending with `provider`."""
    ctx = context(seeded_store(tmp_path / "data"))
    secrets = {
        "yousign": {"api_key": yousign_key(sandbox.accounts), "base_url": sandbox.yousign_url},
        "esign": {"api_key": esign_key(sandbox.accounts), "base_url": sandbox.esign_url},
    }
    if webhook_secret:
        secrets[provider]["webhook_secret"] = webhook_secret
    secrets_for(ctx.data_dir).write(secrets)
    ctx.providers = build_providers(secrets, transport, policy=FAST)
    if provider != "yousign":
        with ctx.write() as w:
            section = w.settings.section(signature_settings.SECTION)
            w.settings.put(signature_settings.SECTION, {"provider": provider}, expect_rev=section["_rev"])
    return ctx


def make_events(
    ctx: AppContext, count: int, *, template: str = "Bail d'habitation — locataire seul"
) -> list[str]:
    """`count` leases of one tenant each (valid email and mobile, no guarantor): files the pre-flight passes."""
    chosen = next(t for t in ctx.repos.templates.all() if t.name == template)
    entity = next(e for e in ctx.repos.entities.all() if e.mail_variables.manager_email)
    with ctx.write() as w:
        tenants = w.parties.insert_many(
            [
                Party(last_name=f"Locataire{n:04d}", first_name="Alex", email=f"alex.{n}@exemple.fr",
                      mobile=f"+336{n:08d}", address=Address("1 rue A", "", "69003", "Lyon"))
                for n in range(count)
            ]
        )  # fmt: skip
        events = w.events.insert_many(
            [
                Event(entity_id=entity.id, template_id=chosen.id, title=f"Bail lot {n}", created_at=ctx.now_iso(),
                      parties=(EventParty(p.id, Role.TENANT),), entity_name=entity.name,
                      template_name=chosen.name, party_names=(p.short_name,))
                for n, p in enumerate(tenants)
            ]
        )  # fmt: skip
    return [e.id for e in events]


def yousign_requests(sandbox: ServedSandbox, reference: str | None = None) -> list[dict[str, Any]]:
    found = sandbox.ctx.providers["yousign"].requests.values()
    return [sr for sr in found if reference is None or sr["external_id"] == reference]


class OutageAfter(httpx.AsyncBaseTransport):
    """The real transport until `activations` requests have been activated, then the provider answers 503 to
    everything (an outage in the middle of a batch) until `restore()`."""

    def __init__(self, activations: int) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.left = activations
        self.down = False

    def restore(self) -> None:
        self.down, self.left = False, 10**9

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            return httpx.Response(503, json={"message": "Service Unavailable"}, request=request)
        response = await self.inner.handle_async_request(request)
        if request.url.path.endswith("/activate") and response.status_code == 201:
            self.left -= 1
            self.down = self.left <= 0
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()
