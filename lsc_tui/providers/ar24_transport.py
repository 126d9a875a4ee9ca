"""AR24's transport (docs/providers/ar24.md §2–§4), what every call needs whatever it asks for.

Form data in; a fresh Paris `date` + `signature` header per *attempt* (a retried request must be re-signed,
hence `Caller(build=...)`); HTTP 200 even for errors, so the body decides: clear JSON = error / maintenance,
anything else = a success body AES-encrypted with a key derived from the date we sent. The timeout is AR24's
own (60 s, §2): a request we gave up on has also finished at AR24, so looking it up afterwards is reliable.
Secrets, OTP codes and form bodies are never logged (providers/logs.py).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from lsc_tui.providers.ar24_crypto import ar24_date, decrypt_body, sign
from lsc_tui.providers.ar24_errors import error_for
from lsc_tui.providers.ar24_letters import Fields
from lsc_tui.providers.base import AuthError, ProviderUnavailable
from lsc_tui.providers.http import Caller, RetryPolicy, make_client
from lsc_tui.providers.logs import MASK, register_secret

AR24_TIMEOUT_S = 60.0
AR24_CONCURRENCY = 16
"""Calls in flight at once. AR24 documents no bound on parallel calls; at 8, F9's end-of-day validation of
1,000 letters in documented mode (one POST mail each) took 3.25 s against 2.09 s at 16 (20 ms per call,
bench_otp_flow.py): the batch waited between rounds on this process's own CPU. The signature clients use 16
for the same reason; a 429 or 503 is still honoured (providers/http.py)."""


class Ar24Transport:
    """One httpx client and the signed call; `concurrency` bounds parallel calls (batches of 1,000)."""

    name = "ar24"

    def __init__(
        self,
        base_url: str,
        token: str,
        private_key: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        concurrency: int = AR24_CONCURRENCY,
        policy: RetryPolicy | None = None,
        clock: Callable[[], datetime] | None = None,
        sleep: Callable[[float], Awaitable[Any]] | None = None,
        timeout: float = AR24_TIMEOUT_S,
    ) -> None:
        """`clock` gives the `date` sent to AR24 and `sleep` waits between retries: tests move both on the
        sandbox's virtual clock instead of the real one."""
        self._token = token
        self._private_key = private_key
        register_secret(token)
        register_secret(private_key)
        self._clock = clock or (lambda: datetime.now(UTC))
        self._sleep = sleep or asyncio.sleep
        self._policy = policy or RetryPolicy()
        self._http = make_client(base_url.rstrip("/") + "/", timeout=timeout, transport=transport)
        self._caller = Caller(
            self._http, self.name, policy=self._policy, concurrency=concurrency, sleep=self._sleep
        )

    def __repr__(self) -> str:  # never show the token or the key
        return f"{type(self).__name__}({str(self._http.base_url)!r}, token={MASK!r}, private_key={MASK!r})"

    async def _call(
        self,
        method: str,
        path: str,
        fields: Fields,
        *,
        idempotent: bool,
        files: dict[str, tuple[str, bytes, str]] | None = None,
    ) -> Any:
        """One signed AR24 call → its decrypted `result`; errors raised typed."""
        sent_date: list[str] = []

        def build() -> dict[str, Any]:
            date = ar24_date(self._clock())
            sent_date.append(date)
            payload: Fields = {"token": self._token, "date": date, **fields}
            args: dict[str, Any] = {"headers": {"signature": sign(date, self._private_key)}}
            if method == "GET":
                args["params"] = payload
            else:
                args["data"] = payload
                if files:
                    args["files"] = files
            return args

        response = await self._caller.request(method, path, idempotent=idempotent, build=build)
        return self._result(response, sent_date[-1])

    def _result(self, response: httpx.Response, date: str) -> Any:
        if response.status_code != 200:
            raise ProviderUnavailable(detail=f"HTTP {response.status_code}", provider=self.name)
        text = response.text.strip()
        try:
            plain = json.loads(text)
        except ValueError:
            plain = None
        if isinstance(plain, dict):
            envelope = plain
        else:
            try:
                envelope = json.loads(decrypt_body(text, date, self._private_key))
            except ValueError as exc:  # bad padding / base64 / JSON: wrong key or a proxy's page
                raise AuthError(
                    "Réponse d'AR24 indéchiffrable : vérifiez la clé privée d'API.", provider=self.name
                ) from exc
        status = str(envelope.get("status", ""))
        if status == "SUCCESS":
            return envelope.get("result")
        if status.lower() == "maintenance":
            raise ProviderUnavailable(
                "AR24 est en maintenance : rien n'a été envoyé, réessayez plus tard.",
                detail="maintenance",
                provider=self.name,
            )
        raise error_for(str(envelope.get("slug", "")), str(envelope.get("message", "")))

    async def aclose(self) -> None:
        await self._http.aclose()
