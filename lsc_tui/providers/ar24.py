"""AR24 client (electronic registered letters, LRE) written to the real API — docs/providers/ar24.md.

What the API imposes, and this client therefore does on every call (§2–§4): form data in; a fresh Paris
`date` + `signature` header per *attempt* (a retried request must be re-signed, hence `Caller(build=...)`);
HTTP 200 even for errors, so the body decides: clear JSON = error / maintenance, anything else = a success
body AES-encrypted with a key derived from the date we sent. AR24 slugs become typed errors with a French
sentence a property manager can act on; secrets, OTP codes and form bodies are never logged.

Where AR24's public material is silent the client follows lsc-tui's sandbox choices (§15), each behind one
method so it can follow the real route once AR24's Postman collection is in hand: `send()` queues eIDAS
letters with `to_valid=1`, `validate()` uses `mail/validate`, `consents()` / `request_consent()` use
`consent/*`, `payment_methods()` uses `user/payment_methods`, paper letters use `paper=1`.

Idempotency: `LetterOrder.reference` travels as `ref_dossier`, on which the sandbox deduplicates, so POST mail
is retried after a dropped connection without creating a second letter.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.providers.ar24_crypto import ar24_date, decrypt_body, parse_ar24_date, sign
from lsc_tui.providers.ar24_errors import error_for
from lsc_tui.providers.ar24_letters import (
    STATUSES,
    VALIDATED,
    Fields,
    balanced_chunks,
    letter_from,
    mail_fields,
)
from lsc_tui.providers.base import (
    AuthError,
    LetterOrder,
    LetterUser,
    NotFound,
    OtpSession,
    PaymentMethod,
    ProviderError,
    ProviderUnavailable,
    Recipient,
    RemoteConsent,
    RemoteLetter,
    ValidationResult,
)
from lsc_tui.providers.http import Caller, RetryPolicy, make_client
from lsc_tui.providers.logs import MASK, register_secret

log = logging.getLogger("lsc_tui.providers.ar24")


class Ar24Client:
    """LetterProvider for AR24. One httpx client; `concurrency` bounds parallel calls (batches of 1,000)."""

    name = "ar24"

    def __init__(
        self,
        base_url: str,
        token: str,
        private_key: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        concurrency: int = 8,
        policy: RetryPolicy | None = None,
        clock: Callable[[], datetime] | None = None,
        validate_chunk: int = 25,
        page_size: int = 100,
        sleep: Callable[[float], Awaitable[Any]] | None = None,
    ) -> None:
        """`clock` gives the `date` sent to AR24 and `sleep` waits between retries: tests move both on the
        sandbox's virtual clock instead of the real one."""
        self._token = token
        self._private_key = private_key
        register_secret(token)
        register_secret(private_key)
        self._clock = clock or (lambda: datetime.now(UTC))
        self._http = make_client(base_url.rstrip("/") + "/", timeout=60.0, transport=transport)  # AR24: 60 s
        self._caller = Caller(
            self._http, self.name, policy=policy, concurrency=concurrency, sleep=sleep or asyncio.sleep
        )
        self.validate_chunk = max(1, validate_chunk)
        self.page_size = max(1, page_size)

    def __repr__(self) -> str:  # never show the token or the key
        return f"Ar24Client({str(self._http.base_url)!r}, token={MASK!r}, private_key={MASK!r})"

    # ---- transport -------------------------------------------------------------------------------------

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

    # ---- account ---------------------------------------------------------------------------------------

    @staticmethod
    def _user(data: dict[str, Any]) -> LetterUser:
        return LetterUser(
            remote_id=str(data.get("id", "")),
            email=str(data.get("email", "")),
            first_name=str(data.get("firstname", "")),
            last_name=str(data.get("lastname", "")),
            confirmed=bool(int(data.get("confirmed", 1) or 0)),
        )

    async def test_access(self, user_id: str) -> LetterUser:
        return self._user(await self._call("GET", "user", {"id_user": str(user_id)}, idempotent=True))

    async def user_by_email(self, email: str) -> LetterUser:
        return self._user(await self._call("GET", "user", {"email": email}, idempotent=True))

    async def request_access(self, email: str) -> None:
        """AR24 emails the account holder, who must confirm; retried safely (a second email at worst)."""
        await self._call("POST", "user/request_access", {"email": email}, idempotent=True)

    async def payment_methods(self, user_id: str) -> list[PaymentMethod]:
        result = await self._call("GET", "user/payment_methods", {"id_user": str(user_id)}, idempotent=True)
        return [
            PaymentMethod(
                remote_id=str(m.get("id", "")), label=str(m.get("label", "")), kind=str(m.get("type", ""))
            )
            for m in (result or {}).get("payment_methods", [])
        ]

    # ---- consent ---------------------------------------------------------------------------------------

    async def consents(self, user_id: str) -> list[RemoteConsent]:
        result = await self._call("GET", "consent/list", {"id_user": str(user_id)}, idempotent=True)
        return [
            RemoteConsent(
                email=str(c.get("email", "")),
                status=str(c.get("status", "")),
                date=parse_ar24_date(c.get("date")),
                proof_url=str(c.get("proof_url") or ""),
            )
            for c in (result or {}).get("consents", [])
        ]

    async def request_consent(self, user_id: str, recipient: Recipient, delay_days: int = 15) -> None:
        """The sandbox ignores a repeated request for a waiting consent, so a retry sends no second email."""
        fields: Fields = {
            "id_user": str(user_id),
            "email": recipient.email,
            "firstname": recipient.first_name,
            "lastname": recipient.last_name,
            "delay_days": str(delay_days),
        }
        await self._call("POST", "consent/request", fields, idempotent=True)

    # ---- letters ---------------------------------------------------------------------------------------

    async def send(self, user_id: str, order: LetterOrder) -> RemoteLetter:
        """Upload the PDF then POST mail. Both retried on transport errors: an orphan upload is harmless and
        POST mail carries the reference the provider deduplicates on (exactly one letter per reference)."""
        fields = mail_fields(user_id, order)
        upload = await self._call(
            "POST",
            "attachment",
            {"id_user": str(user_id), "file_name": order.filename},
            files={"file": (order.filename, order.pdf, "application/pdf")},
            idempotent=True,
        )
        fields["attachment[]"] = [str(upload["file_id"])]
        return letter_from(await self._call("POST", "mail", fields, idempotent=True))

    async def letter(self, letter_id: str) -> RemoteLetter:
        return letter_from(await self._call("GET", "mail", {"id": str(letter_id)}, idempotent=True))

    async def letters(self, user_id: str, letter_ids: list[str] | None = None) -> list[RemoteLetter]:
        """GET user/mail: by ids (`mail[]`, pages of `page_size` fetched concurrently) or every letter."""
        if letter_ids is not None:
            chunks = balanced_chunks([str(i) for i in dict.fromkeys(letter_ids)], self.page_size)
            pages = await asyncio.gather(
                *(
                    self._call(
                        "GET",
                        "user/mail",
                        {"id_user": str(user_id), "mail[]": chunk, "max": str(len(chunk))},
                        idempotent=True,
                    )
                    for chunk in chunks
                )
            )
            return [letter_from(m) for page in pages for m in (page or [])]
        letters: list[RemoteLetter] = []
        start = 0
        while True:
            fields: Fields = {"id_user": str(user_id), "start": str(start), "max": str(self.page_size)}
            page = await self._call("GET", "user/mail", fields, idempotent=True) or []
            letters.extend(letter_from(m) for m in page)
            if len(page) < self.page_size:
                return letters
            start += len(page)

    async def proof(self, url: str) -> bytes:
        """Proofs are tokenized links on AR24's web host, not signed API routes (§9)."""
        response = await self._caller.request("GET", url, idempotent=True)
        if response.status_code == 404:
            raise NotFound("Preuve introuvable chez AR24 (lien expiré ?).", provider=self.name)
        if response.status_code != 200:
            raise ProviderUnavailable(detail=f"HTTP {response.status_code}", provider=self.name)
        return response.content

    # ---- OTP validation (MISSION L8) -----------------------------------------------------------------

    async def auth_otp(self, user_id: str, otp: str) -> OtpSession:
        """One typed TOTP → AR24's 1-hour hash. A wrong code raises Rejected (nothing validated)."""
        result = await self._call(
            "POST", "user/auth_otp", {"id_user": str(user_id), "otp": otp.strip()}, idempotent=True
        )
        expires = parse_ar24_date(result.get("expiration_date")) or self._clock() + timedelta(hours=1)
        register_secret(str(result["hash"]))
        return OtpSession(hash=str(result["hash"]), expires_at=expires)

    async def validate(
        self, user_id: str, letter_ids: list[str], session: OtpSession
    ) -> list[ValidationResult]:
        """Validate `to_valid` letters in balanced chunks, `concurrency` calls at a time; one result per letter.

        All-or-nothing on the code is AR24's (sandbox §15): if every chunk fails (wrong or expired session,
        AR24 down) the first error is raised and nothing was validated. If only some chunks fail (the hour
        ran out mid-batch), their letters carry the error and the others are validated. Retrying a chunk is
        safe: a letter already past `to_valid` is reported with its status and counts as validated.
        """
        ids = [str(i) for i in dict.fromkeys(letter_ids)]
        if not ids:
            return []
        chunks = balanced_chunks(ids, self.validate_chunk)
        outcomes = await asyncio.gather(
            *(self._validate_chunk(user_id, chunk, session) for chunk in chunks), return_exceptions=True
        )
        results: dict[str, ValidationResult] = {}
        failures: list[ProviderError] = []
        for chunk, outcome in zip(chunks, outcomes, strict=True):
            if isinstance(outcome, ProviderError):
                failures.append(outcome)
                results.update({i: ValidationResult(i, ok=False, error=outcome.message) for i in chunk})
            elif isinstance(outcome, BaseException):
                raise outcome
            else:
                results.update(outcome)
        if len(failures) == len(chunks):
            raise failures[0]
        return [results[i] for i in ids]

    async def _validate_chunk(
        self, user_id: str, ids: list[str], session: OtpSession
    ) -> dict[str, ValidationResult]:
        fields: Fields = {"id_user": str(user_id), "id[]": ids, "auth_otp_hash": session.hash}
        result = await self._call("POST", "mail/validate", fields, idempotent=True) or {}
        out: dict[str, ValidationResult] = {}
        for item in result.get("validated", []):
            remote_id = str(item.get("id", ""))
            status = STATUSES.get(str(item.get("status", "")), LetterStatus.WAITING)
            out[remote_id] = ValidationResult(remote_id, ok=True, status=status)
        for error in result.get("errors", []):
            remote_id = str(error.get("id", ""))
            current = STATUSES.get(str(error.get("mail_status", "")))
            if error.get("slug") == "mail_not_to_valid" and current in VALIDATED:
                out[remote_id] = ValidationResult(remote_id, ok=True, status=current)
            else:
                message = error_for(str(error.get("slug", "")), str(error.get("message", ""))).message
                out[remote_id] = ValidationResult(remote_id, ok=False, status=current, error=message)
        for remote_id in ids:
            out.setdefault(
                remote_id, ValidationResult(remote_id, ok=False, error="Réponse d'AR24 incomplète.")
            )
        return out

    async def aclose(self) -> None:
        await self._http.aclose()
