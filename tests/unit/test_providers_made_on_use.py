"""Provider clients are made on first use (their modules cost a fifth of the start), once, and say nothing
secret before or after."""

from __future__ import annotations

import asyncio

from lsc_tui.providers.factory import Providers, build_providers
from lsc_tui.providers.yousign import YouSignClient


def test_a_client_is_made_once_on_first_use() -> None:
    providers = build_providers(
        {
            "yousign": {"api_key": "secret-key-1", "base_url": "sandbox"},
            "ar24": {"token": "secret-token", "private_key": "secret-private"},
        }
    )
    shown = repr(providers)
    assert "secret" not in shown and "yousign" in shown and "ar24" in shown and "esign" not in shown
    first = providers.yousign
    assert isinstance(first, YouSignClient) and providers.yousign is first
    assert providers.esign is None
    providers.prepare()
    assert providers.ar24 is not None and "secret" not in repr(providers)
    providers.ar24 = None
    assert providers.ar24 is None
    asyncio.run(providers.aclose())


def test_ready_clients_are_kept_as_given() -> None:
    client = YouSignClient("http://127.0.0.1:9/v3", "k")
    providers = Providers(yousign=client)
    assert providers.yousign is client and providers.esign is None and providers.ar24 is None
    asyncio.run(providers.aclose())
