"""Build the provider clients from the credentials file, pointed at the real APIs or at a sandbox.

The transport is injected by whoever wires the app: the demo passes an in-process ASGI transport so it
needs no network, tests pass nothing and use a served sandbox's URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from lsc_tui.providers.ar24 import Ar24Client
from lsc_tui.providers.esign import ESignClient
from lsc_tui.providers.http import RetryPolicy
from lsc_tui.providers.pacing import YOUSIGN_PRODUCTION, YOUSIGN_SANDBOX, RateLimit
from lsc_tui.providers.yousign import YouSignClient

PRODUCTION_URLS = {
    "yousign": "https://api.yousign.app/v3",
    "esign": "",  # no public vendor URL known (docs/providers/esign.md): must be configured
    "ar24": "https://app.ar24.fr/api/",
}
# Where the in-process sandbox mounts each provider (any host: the ASGI transport never leaves the process).
SANDBOX_URLS = {
    "yousign": "http://sandbox.local/yousign/v3",
    "esign": "http://sandbox.local/esign",
    "ar24": "http://sandbox.local/ar24/api/",
}


def yousign_quota(url: str) -> RateLimit | None:
    """YouSign's documented limits for the host (yousign.md §1); our own sandbox has none worth keeping."""
    host = httpx.URL(url).host
    if host == "api.yousign.app":
        return YOUSIGN_PRODUCTION
    if host == "api-sandbox.yousign.app":
        return YOUSIGN_SANDBOX
    return None


@dataclass
class Providers:
    yousign: YouSignClient | None = None
    esign: ESignClient | None = None
    ar24: Ar24Client | None = None
    transport: httpx.AsyncBaseTransport | None = None
    """What the clients were built with (the demo's in-process sandbox): settings build new clients with it."""

    async def aclose(self) -> None:
        for client in (self.yousign, self.esign, self.ar24):
            if client is not None:
                await client.aclose()


def _url(section: dict[str, Any], name: str) -> str:
    base = str(section.get("base_url", "") or "")
    if base == "sandbox":
        return SANDBOX_URLS[name]
    return base or PRODUCTION_URLS[name]


def build_providers(
    secrets: dict[str, Any],
    transport: httpx.AsyncBaseTransport | None = None,
    *,
    policy: RetryPolicy | None = None,
) -> Providers:
    """One client per configured provider; a provider without credentials stays None (the screen says so).
    `policy` replaces the signature clients' retries (« Tester l'accès » wants a verdict, not patience)."""
    out = Providers(transport=transport)
    ys, es, ar = secrets.get("yousign", {}), secrets.get("esign", {}), secrets.get("ar24", {})
    if ys.get("api_key"):
        url = _url(ys, "yousign")
        out.yousign = YouSignClient(
            url, ys["api_key"], transport=transport, rate_limit=yousign_quota(url), policy=policy
        )
    if es.get("api_key") and _url(es, "esign"):
        out.esign = ESignClient(_url(es, "esign"), es["api_key"], transport=transport, policy=policy)
    if ar.get("token") and ar.get("private_key"):
        # paper letters through AR24 need the §15 extension: the sandbox's accounts have it, real ones say so
        paper = bool(ar.get("paper_extension", ar.get("base_url") == "sandbox"))
        out.ar24 = Ar24Client(
            _url(ar, "ar24"), ar["token"], ar["private_key"], transport=transport, paper_extension=paper
        )
    return out
