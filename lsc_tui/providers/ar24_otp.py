"""AR24's OTP validation (MISSION L8): one typed TOTP opens a 1-hour session (`user/auth_otp`, documented §8),
and, in queue mode (our sandbox's §15 extension), `mail/validate` moves `to_valid` letters on in batches."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.providers.ar24_crypto import parse_ar24_date
from lsc_tui.providers.ar24_errors import error_for
from lsc_tui.providers.ar24_letters import STATUSES, VALIDATED, Fields, balanced_chunks
from lsc_tui.providers.ar24_transport import Ar24Transport
from lsc_tui.providers.base import OtpSession, ProviderError, ValidationResult
from lsc_tui.providers.logs import register_secret

ChunkDone = Callable[[list[ValidationResult]], Awaitable[None]]


class Ar24Otp(Ar24Transport):
    """The sender's identification for eIDAS letters, and the §15 validation queue."""

    validate_chunk = 25

    async def auth_otp(self, user_id: str, otp: str) -> OtpSession:
        """One typed TOTP → AR24's 1-hour hash. A wrong code raises Rejected (nothing validated)."""
        result = await self._call(
            "POST", "user/auth_otp", {"id_user": str(user_id), "otp": otp.strip()}, idempotent=True
        )
        expires = parse_ar24_date(result.get("expiration_date")) or self._clock() + timedelta(hours=1)
        register_secret(str(result["hash"]))
        return OtpSession(hash=str(result["hash"]), expires_at=expires)

    async def validate(  # §15: mail/validate
        self, user_id: str, letter_ids: list[str], session: OtpSession, on_chunk: ChunkDone | None = None
    ) -> list[ValidationResult]:
        """Validate `to_valid` letters in balanced chunks, `concurrency` calls at a time; one result per letter.

        All-or-nothing on the code is AR24's (sandbox §15): if every chunk fails (wrong or expired session,
        AR24 down) the first error is raised and nothing was validated. If only some chunks fail (the hour
        ran out mid-batch), their letters carry the error and the others are validated. Retrying a chunk is
        safe: a letter already past `to_valid` is reported with its status and counts as validated.
        `on_chunk`: awaited with each answered chunk's results as it comes, so the caller records them while
        the other chunks are still in flight.
        """
        ids = [str(i) for i in dict.fromkeys(letter_ids)]
        if not ids:
            return []
        chunks = balanced_chunks(ids, self.validate_chunk)

        async def one(chunk: list[str]) -> dict[str, ValidationResult]:
            found = await self._validate_chunk(user_id, chunk, session)
            if on_chunk is not None:
                await on_chunk(list(found.values()))
            return found

        outcomes = await asyncio.gather(*(one(chunk) for chunk in chunks), return_exceptions=True)
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
