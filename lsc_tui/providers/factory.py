"""Build the provider clients from the credentials file, pointed at the real APIs or at a sandbox.

The transport is injected by whoever wires the app: the demo passes an in-process ASGI transport so it
needs no network, tests pass nothing and use a served sandbox's URL.

Nothing heavy is imported here: every `AppContext` holds a `Providers`, and the clients' modules (httpx, the
AR24 crypto) are imported when a client is first made (see `Providers`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from lsc_tui.providers.pacing import YOUSIGN_PRODUCTION, YOUSIGN_SANDBOX, RateLimit

if TYPE_CHECKING:
    import httpx

    from lsc_tui.providers.ar24 import Ar24Client
    from lsc_tui.providers.esign import ESignClient
    from lsc_tui.providers.http import RetryPolicy
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
    import httpx

    host = httpx.URL(url).host
    if host == "api.yousign.app":
        return YOUSIGN_PRODUCTION
    if host == "api-sandbox.yousign.app":
        return YOUSIGN_SANDBOX
    return None


class Providers:
    """The firm's provider clients (None: not configured, the screen says so), each made on first use.

    Making a client imports its module, httpx and the AR24 crypto: a fifth of a second that showing Accueil
    does not need. `build_providers` leaves makers here; the app's warm-up calls `prepare` once Accueil is on
    screen, so the first send does not pay it either. `Providers(yousign=client)` holds ready clients.
    """

    def __init__(
        self,
        yousign: YouSignClient | None = None,
        esign: ESignClient | None = None,
        ar24: Ar24Client | None = None,
        *,
        makers: dict[str, Callable[[], Any]] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.transport = transport
        """What the clients were built with (the demo's in-process sandbox): settings build new clients with it."""
        self._clients: dict[str, Any] = {"yousign": yousign, "esign": esign, "ar24": ar24}
        self._makers = dict(makers or {})
        self._lock = threading.Lock()

    def _client(self, name: str) -> Any:
        if name in self._makers:
            with self._lock:
                maker = self._makers.pop(name, None)
                if maker is not None:
                    self._clients[name] = maker()
        return self._clients[name]

    def _set(self, name: str, client: Any) -> None:
        with self._lock:
            self._makers.pop(name, None)
            self._clients[name] = client

    @property
    def yousign(self) -> YouSignClient | None:
        return self._client("yousign")  # type: ignore[no-any-return]

    @yousign.setter
    def yousign(self, client: YouSignClient | None) -> None:
        self._set("yousign", client)

    @property
    def esign(self) -> ESignClient | None:
        return self._client("esign")  # type: ignore[no-any-return]

    @esign.setter
    def esign(self, client: ESignClient | None) -> None:
        self._set("esign", client)

    @property
    def ar24(self) -> Ar24Client | None:
        return self._client("ar24")  # type: ignore[no-any-return]

    @ar24.setter
    def ar24(self, client: Ar24Client | None) -> None:
        self._set("ar24", client)

    def prepare(self) -> None:
        """Make every configured client now (off the UI thread), and the transport they share when it is
        made on first use (the demo's sandbox)."""
        for name in list(self._makers):
            self._client(name)
        prepare = getattr(self.transport, "prepare", None)
        if callable(prepare):
            prepare()

    def __repr__(self) -> str:
        configured = [n for n in self._clients if self._clients[n] is not None or n in self._makers]
        return f"Providers(configured={configured})"

    async def aclose(self) -> None:
        for name, client in list(self._clients.items()):
            if client is not None and name not in self._makers:
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
    """One client per configured provider, made on first use; a provider without credentials stays None (the
    screen says so). `policy` replaces the signature clients' retries (« Tester l'accès » wants a verdict, not
    patience)."""
    makers: dict[str, Callable[[], Any]] = {}
    ys, es, ar = secrets.get("yousign", {}), secrets.get("esign", {}), secrets.get("ar24", {})
    if ys.get("api_key"):

        def yousign() -> YouSignClient:
            from lsc_tui.providers.yousign import YouSignClient

            url = _url(ys, "yousign")
            return YouSignClient(
                url, ys["api_key"], transport=transport, rate_limit=yousign_quota(url), policy=policy
            )

        makers["yousign"] = yousign
    if es.get("api_key") and _url(es, "esign"):

        def esign() -> ESignClient:
            from lsc_tui.providers.esign import ESignClient

            return ESignClient(_url(es, "esign"), es["api_key"], transport=transport, policy=policy)

        makers["esign"] = esign
    if ar.get("token") and ar.get("private_key"):

        def ar24() -> Ar24Client:
            from lsc_tui.providers.ar24 import Ar24Client

            # paper letters through AR24 need the §15 extension: the sandbox's accounts have it, real ones
            # say so
            paper = bool(ar.get("paper_extension", ar.get("base_url") == "sandbox"))
            return Ar24Client(
                _url(ar, "ar24"), ar["token"], ar["private_key"], transport=transport, paper_extension=paper
            )

        makers["ar24"] = ar24
    return Providers(makers=makers, transport=transport)
