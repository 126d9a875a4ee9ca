"""AR24 client (electronic registered letters, LRE) written to the real API — docs/providers/ar24.md.

Two ways to send an eIDAS letter, one client:
- *documented* (AR24's public API, the default path of §15): `upload()` (POST attachment) when the letter is
  prepared, then at validation `auth_otp()` (POST user/auth_otp, one typed TOTP → 1-hour hash) and
  `send_once()` → `send_mail(..., auth_otp_hash=…)` (POST mail with `eidas=1`);
- *queue* (our sandbox's §15 extension, for contracts offering it): `send_mail(..., queue=True)` (POST mail
  with `to_valid=1`) during the day, then `validate()` (POST mail/validate) at the end of the day.
Other §15 choices, each behind one method so it can follow the real route once AR24's Postman collection is
in hand: `consents()` / `request_consent()` (consent/*), `payment_methods()` (user/payment_methods), paper
letters (`paper=1`, only for an account with the paper extension: `supports_paper`).

Never a duplicate registered letter: AR24 documents no de-duplication of `ref_dossier`, so POST mail is never
retried blindly (it is not idempotent for the retry layer). `send_once()` is the one place that sends: after
an ambiguous failure (a timeout, an answer lost) it looks the letter up in `user/mail` by our reference and
sends again only if AR24 has none.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

import httpx

from lsc_tui.providers.ar24_crypto import parse_ar24_date
from lsc_tui.providers.ar24_errors import CONSENT_FR
from lsc_tui.providers.ar24_letters import Fields, balanced_chunks, letter_from, mail_fields, recipient_name
from lsc_tui.providers.ar24_otp import Ar24Otp
from lsc_tui.providers.ar24_transport import AR24_CONCURRENCY, AR24_TIMEOUT_S
from lsc_tui.providers.base import (
    LetterOrder,
    LetterUser,
    NotFound,
    PaymentMethod,
    ProviderUnavailable,
    Recipient,
    Rejected,
    RemoteConsent,
    RemoteLetter,
    Unsupported,
)
from lsc_tui.providers.http import RetryPolicy

log = logging.getLogger("lsc_tui.providers.ar24")

SEND_ROUNDS = 3  # POST mail attempts after ambiguous failures, each preceded by a look-up
CLOCK_MARGIN = timedelta(minutes=15)  # AR24 accepts dates ±10 min off: our clock and its may differ that much
PAPER_FR = (
    "Votre contrat AR24 n'inclut pas l'envoi de lettres papier : imprimez cette lettre et envoyez-la en "
    "recommandé par La Poste, ou choisissez un envoi électronique."
)


class Ar24Client(Ar24Otp):
    """LetterProvider for AR24."""

    def __init__(
        self,
        base_url: str,
        token: str,
        private_key: str,
        *,
        paper_extension: bool = False,
        validate_chunk: int = 25,
        page_size: int = 100,
        transport: httpx.AsyncBaseTransport | None = None,
        concurrency: int = AR24_CONCURRENCY,
        policy: RetryPolicy | None = None,
        clock: Callable[[], datetime] | None = None,
        sleep: Callable[[float], Awaitable[Any]] | None = None,
        timeout: float = AR24_TIMEOUT_S,
    ) -> None:
        """`paper_extension`: this account's contract lets AR24 print and post paper letters (§15). The rest
        is the transport's (ar24_transport.py): `clock` and `sleep` let tests run on the sandbox's clock."""
        super().__init__(
            base_url, token, private_key, transport=transport, concurrency=concurrency, policy=policy,
            clock=clock, sleep=sleep, timeout=timeout,
        )  # fmt: skip
        self.supports_paper = paper_extension
        self.validate_chunk = max(1, validate_chunk)
        self.page_size = max(1, page_size)

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
        return [_consent(c) for c in (result or {}).get("consents", [])]

    async def request_consent(
        self, user_id: str, recipient: Recipient, delay_days: int = 15
    ) -> RemoteConsent:
        """AR24 emails the recipient a consent request; the answer carries the link with which *this*
        recipient consents ({AR24_LienConsentement}). The sandbox ignores a repeated request for a waiting or
        accepted consent (same link back), so a retry sends no second email."""
        fields: Fields = {
            "id_user": str(user_id),
            "email": recipient.email,
            "firstname": recipient.first_name,
            "lastname": recipient.last_name,
            "delay_days": str(delay_days),
        }
        result = await self._call("POST", "consent/request", fields, idempotent=True)
        return _consent(
            result if isinstance(result, dict) else {"email": recipient.email, "status": "waiting"}
        )

    # ---- sending -------------------------------------------------------------------------------------

    async def upload(self, user_id: str, filename: str, pdf: bytes) -> str:
        """POST attachment (documented, §5) → AR24's attachment id, kept with the prepared letter. Retried
        freely: an attachment no letter uses costs nothing."""
        result = await self._call(
            "POST",
            "attachment",
            {"id_user": str(user_id), "file_name": filename},
            files={"file": (filename, pdf, "application/pdf")},
            idempotent=True,
        )
        return str(result["file_id"])

    async def send_mail(
        self,
        user_id: str,
        order: LetterOrder,
        attachment_ids: Sequence[str],
        *,
        auth_otp_hash: str | None = None,
        queue: bool = False,
        webhook: str | None = None,
    ) -> RemoteLetter:
        """POST mail (documented, §7): one attempt, never retried after an ambiguous failure (see send_once).
        eIDAS letters carry `auth_otp_hash` (documented) or go to the §15 queue with `queue=True`; `webhook`
        is called by AR24 after each status change of this letter (§11)."""
        self._check_kind(order)
        fields = mail_fields(
            user_id, order, attachment_ids, auth_otp_hash=auth_otp_hash, queue=queue, webhook=webhook
        )
        try:
            return letter_from(await self._call("POST", "mail", fields, idempotent=False))
        except Rejected as exc:
            raise self._explained(exc, order.recipient) from exc

    async def find_by_reference(
        self, user_id: str, reference: str, *, since: datetime | None = None
    ) -> RemoteLetter | None:
        """The newest letter of `user_id` whose `ref_dossier` is `reference`, or None.

        `user/mail` filters only on mail ids (§5), so the letters are read newest first (`sort=DESC`, `max` /
        `start` pages: our sandbox's choice where AR24 is silent) and matched here; reading stops at the first
        page older than `since` (when the first attempt may have started), else at the last page."""
        start = 0
        while True:
            fields: Fields = {
                "id_user": str(user_id),
                "sort": "DESC",
                "start": str(start),
                "max": str(self.page_size),
            }
            page = await self._call("GET", "user/mail", fields, idempotent=True) or []
            for mail in page:
                if str(mail.get("ref_dossier") or "") == reference:
                    return letter_from(mail)
            oldest = parse_ar24_date(page[-1].get("creation")) if page else None
            if len(page) < self.page_size or (since and oldest and oldest < since):
                return None
            start += len(page)

    async def send_once(
        self,
        user_id: str,
        order: LetterOrder,
        attachment_ids: Sequence[str],
        *,
        auth_otp_hash: str | None = None,
        queue: bool = False,
        webhook: str | None = None,
        check_first: bool = False,
        since: datetime | None = None,
    ) -> RemoteLetter:
        """Exactly one letter for `order.reference`, however often the connection fails.

        After an ambiguous failure (timeout, answer lost: `ProviderUnavailable`) the letter is looked up by
        reference before any new POST. `check_first` does the look-up before the first POST too: pass it when
        a previous run may have sent this letter (a batch resumed after a crash), with `since` = when that run
        wrote the letter as "sending". A refusal (`Rejected`, `AuthError`) is raised at once: nothing was sent.
        """
        started = self._clock()
        bound = since - CLOCK_MARGIN if since else None
        for attempt in range(SEND_ROUNDS):
            if attempt or check_first:
                found = await self.find_by_reference(user_id, order.reference, since=bound)
                if found is not None:
                    return found
            try:
                return await self.send_mail(
                    user_id, order, attachment_ids, auth_otp_hash=auth_otp_hash, queue=queue, webhook=webhook
                )
            except ProviderUnavailable:
                if attempt == SEND_ROUNDS - 1:
                    raise
                log.info("AR24: POST mail for a letter had no answer; looking it up before sending again")
                if bound is None or bound > started - CLOCK_MARGIN:  # what this call may have created
                    bound = started - CLOCK_MARGIN
                await self._sleep(self._policy.backoff(attempt, None))
        raise ProviderUnavailable(provider=self.name)

    async def send(self, user_id: str, order: LetterOrder, *, webhook: str | None = None) -> RemoteLetter:
        """Upload then send once: eIDAS letters to the §15 queue (validated later with one OTP), the other
        kinds straight away."""
        self._check_kind(order)
        attachment = await self.upload(user_id, order.filename, order.pdf)
        return await self.send_once(
            user_id, order, [attachment], queue=order.kind == "eidas", webhook=webhook
        )

    def _check_kind(self, order: LetterOrder) -> None:
        if order.kind == "paper" and not self.supports_paper:
            raise Unsupported(PAPER_FR, reason="paper_not_available", provider=self.name)

    def _explained(self, exc: Rejected, recipient: Recipient) -> Rejected:
        """AR24's refusal, with the recipient named where the sentence is about them."""
        if exc.reason == "consent_missing":
            return Rejected(CONSENT_FR.format(name=recipient_name(recipient)), reason=exc.reason,
                            detail=exc.detail, provider=self.name)  # fmt: skip
        if exc.reason == "paper_not_available":
            return Unsupported(PAPER_FR, reason=exc.reason, detail=exc.detail, provider=self.name)
        return exc

    # ---- reading -----------------------------------------------------------------------------------------

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


def _consent(c: dict[str, Any]) -> RemoteConsent:
    """One consent of `consent/list` or `consent/request` (§15; names and link are the sandbox's extras)."""
    return RemoteConsent(
        email=str(c.get("email", "")),
        status=str(c.get("status", "")),
        date=parse_ar24_date(c.get("date")),
        proof_url=str(c.get("proof_url") or ""),
        first_name=str(c.get("firstname") or ""),
        last_name=str(c.get("lastname") or ""),
        link=str(c.get("link") or ""),
    )
