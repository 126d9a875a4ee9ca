"""What the two signature clients share: their HTTP plumbing, and one vocabulary for refusals.

YouSign names the offending property in its 400 `detail`, ESign in its `field`; both are reduced here to the
same short reason (`phone_number`, `name`, `box`, …) with one French sentence, so that a screen can point at
the right input without knowing which provider answered.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from lsc_tui.providers.base import (
    AuthError,
    NotFound,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
    Rejected,
)
from lsc_tui.providers.http import Caller, RetryPolicy, make_client
from lsc_tui.providers.logs import MASK, register_secret
from lsc_tui.providers.pacing import Pacer, RateLimit

Sleep = Callable[[float], Awaitable[Any]]

MESSAGES: dict[str, str] = {
    "phone_number": "Numéro de mobile refusé : format international attendu (+33…).",
    "name": "Nom ou prénom du signataire refusé : lettres, chiffres, espaces, apostrophes, tirets et "
    "parenthèses seulement, sans espace au début ni à la fin.",
    "email": "Adresse e-mail du signataire refusée.",
    "title": "Titre de la demande refusé (1 à 128 caractères).",
    "box": "Case de signature absente ou refusée : chaque signataire en a au moins une, dans la page, "
    "d'une taille admise (YouSign : de 85 × 37 à 2000 × 1000 points).",
    "reference": "Référence refusée : lettres, chiffres et - _ @ . % + seulement, sans espace.",
    "document": "Document refusé : PDF illisible, protégé ou trop volumineux.",
    "expiration": "Date d'expiration refusée (au plus un an, jamais dans le passé).",
    "state": "Action impossible dans l'état actuel de la demande de signature.",
    "credits": "Crédit de signatures épuisé chez le prestataire.",
    "signers": "Signataires refusés : au moins un signataire avec une case de signature est attendu.",
    "reminders": "Relances automatiques refusées : tous les 1, 2, 7 ou 14 jours, de 1 à 10 fois.",
    "note": "Message aux signataires trop long (500 caractères au plus).",
}

# Substrings of a property path → reason, first match wins (order matters: "phone" before "signers").
_PATH_HINTS: tuple[tuple[str, str], ...] = (
    ("phone", "phone_number"),
    ("first_name", "name"),
    ("last_name", "name"),
    ("email", "email"),
    ("fields", "box"),
    ("boxes", "box"),
    ("external_id", "reference"),
    ("reference", "reference"),
    ("expiration", "expiration"),
    ("file", "document"),
    ("document", "document"),
    ("status", "state"),
    ("signers", "signers"),
)


_EXACT_PATHS = {"name": "title", "title": "title"}


def reason_from_path(path: str) -> str:
    """`signers[0].info.phone_number` → `phone_number`; an unknown path is returned as it is."""
    lowered = path.lower().strip()
    if lowered in _EXACT_PATHS:
        return _EXACT_PATHS[lowered]
    for hint, reason in _PATH_HINTS:
        if hint in lowered:
            return reason
    return path


def rejection(reason: str, *, detail: str, provider: str) -> Rejected:
    message = MESSAGES.get(reason)
    if message is None:
        message = f"Le prestataire a refusé la demande : {detail}" if detail else None
    return Rejected(message, reason=reason, detail=detail, provider=provider)


SIGNATURE_CONCURRENCY = 16
"""Calls in flight at once: at 8, a send of 200 files waited on this process's own CPU between rounds (3.6 s
against 2.7 s at 16, 20 ms per call); neither provider documents a bound on parallel calls."""


class SignatureApi:
    """One shared AsyncClient per provider; every call goes through the Caller (bounded concurrency, safe
    retries, the provider's quota) and every unexpected status becomes a typed error with a French message."""

    name = ""
    capabilities: frozenset[str] = frozenset()

    @staticmethod
    def auth_headers(api_key: str) -> dict[str, str]:
        """How this provider wants its key (YouSign: Bearer; ESign: X-Api-Key)."""
        raise NotImplementedError

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        concurrency: int = SIGNATURE_CONCURRENCY,
        policy: RetryPolicy | None = None,
        sleep: Sleep | None = None,
        clock: Callable[[], float] | None = None,
        rate_limit: RateLimit | None = None,
        timeout: float = 20.0,
    ) -> None:
        """`sleep` and `clock` (seconds) let tests (and the demo) wait on a virtual clock instead of the real
        one; `rate_limit` keeps the calls under the provider's documented quota (providers/pacing.py)."""
        register_secret(api_key)
        headers = {**self.auth_headers(api_key), "Accept": "application/json"}
        self._client = make_client(base_url, headers=headers, transport=transport, timeout=timeout)
        self._policy = policy or RetryPolicy()
        self._sleep = sleep or asyncio.sleep
        self.rate_limit = rate_limit
        pacer = Pacer(rate_limit, clock=clock, sleep=self._sleep) if rate_limit else None
        self._caller = Caller(
            self._client,
            self.name,
            policy=self._policy,
            concurrency=concurrency,
            sleep=self._sleep,
            pacer=pacer,
        )

    def __repr__(self) -> str:  # the key never shows, whatever prints the client
        return f"{type(self).__name__}({str(self._client.base_url)!r}, api_key={MASK!r})"

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _call(
        self, method: str, url: str, *, idempotent: bool, ok: tuple[int, ...] = (200,), **kwargs: Any
    ) -> httpx.Response:
        response = await self._caller.request(method, url, idempotent=idempotent, **kwargs)
        if response.status_code in ok:
            return response
        raise self._error(response)

    async def _json(self, method: str, url: str, *, idempotent: bool, **kwargs: Any) -> Any:
        return (await self._call(method, url, idempotent=idempotent, **kwargs)).json()

    def _error(self, response: httpx.Response) -> ProviderError:
        raise NotImplementedError

    def _common_error(self, status: int, detail: str) -> ProviderError | None:
        """The statuses both providers mean the same way; None leaves the rest to the provider."""
        if status == 401:
            return AuthError(detail=detail, provider=self.name)
        if status == 404:
            return NotFound(detail=detail, provider=self.name)
        if status == 429:
            return RateLimited(detail=detail, provider=self.name)
        if status >= 500:
            return ProviderUnavailable(detail=f"HTTP {status}", provider=self.name)
        return None
