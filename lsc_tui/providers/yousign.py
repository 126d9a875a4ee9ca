"""YouSign API v3 client (docs/providers/yousign.md), behind the provider-neutral `SignatureProvider`.

Sending is five calls (look-up, create, upload, signer per person, activate) and none of the writes is
idempotent at the HTTP level. So `send` is made idempotent as a whole: the signature request carries our
reference as `external_id`, and every attempt starts by looking it up. An active request found for the
reference is the answer (a previous attempt got through but its answer was lost); a draft found is the
debris of an interrupted attempt and is deleted before a clean restart. However many times a dropped
response is retried, or an answer comes after the timeout, at most one request for a reference is activated.

Beyond sending (yousign.md §4–§8): `changes(cursor)` for "Récupérer les signatures du nuage" (what changed
since the last sync, at the cost of the listing pages plus the declined requests read again), `cancel` with
YouSign's reason enum and a note, `remind`, `reactivate`, `signed_pdf`, `proof` (merged audit trail). The
quota (60 a minute, 1,200 an hour in production) is kept by a pacer; a 429 is waited out all the same.
Webhooks are checked and parsed in providers/webhooks.py.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Collection
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.providers.base import (
    AccountInfo,
    AuthError,
    CancelReason,
    NotFound,
    OnChange,
    ProviderError,
    ProviderUnavailable,
    Rejected,
    RemoteSignature,
    RemoteSigner,
    SignatureOrder,
)
from lsc_tui.providers.signing import SignatureApi, reason_from_path, rejection
from lsc_tui.providers.sync import SyncCursor, day_before, is_new, newest
from lsc_tui.providers.yousign_bodies import signer_body

STATUSES: dict[str, SignatureStatus] = {
    "draft": SignatureStatus.PENDING,
    "approval": SignatureStatus.PENDING,
    "ongoing": SignatureStatus.PENDING,
    "done": SignatureStatus.SIGNED,
    "declined": SignatureStatus.DECLINED,
    "rejected": SignatureStatus.DECLINED,
    "canceled": SignatureStatus.CANCELLED,
    "deleted": SignatureStatus.CANCELLED,
    "expired": SignatureStatus.EXPIRED,
}
SENT = "approval,ongoing,done,declined,expired,canceled"  # everything but drafts and deleted requests
OPEN = {"approval", "ongoing"}  # what can still change on its own
REUSABLE = "draft,approval,ongoing,done"  # what a new send for the same reference must not duplicate
CANCEL_REASONS = {"contractualization_aborted", "errors_in_document", "other"}
SEND_ROUNDS = 3  # whole-send attempts after an outage (each call already retried by the Caller)
LIFETIME = timedelta(days=366)  # a request expires within a year, so older ones cannot have changed
TIMEZONE = "Europe/Paris"
READ_ONLY = "Clé d'API YouSign en lecture seule : créez une clé « Full access » pour pouvoir envoyer."


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _moment_key(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if not isinstance(body, dict):
        return ""
    return str(body.get("detail") or body.get("message") or "")


class YouSignClient(SignatureApi):
    name = "yousign"
    page_size = 100  # YouSign's largest page
    capabilities = frozenset({"email_note", "reminders", "reactivate", "webhooks", "in_person"})

    @staticmethod
    def auth_headers(api_key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {api_key}"}

    def _error(self, response: httpx.Response) -> ProviderError:
        status, detail = response.status_code, _detail(response)
        common = self._common_error(status, detail)
        if common is not None:
            return common
        if status == 403:
            return AuthError(READ_ONLY, detail=detail, provider=self.name)
        if status == 415:
            return rejection("document", detail=detail, provider=self.name)
        path, colon, _ = detail.partition(":")
        return rejection(reason_from_path(path) if colon else "invalid", detail=detail, provider=self.name)

    # ---- SignatureProvider

    async def test_access(self) -> AccountInfo:
        """A read (the key works) then an empty create, refused 403 by a read-only key and 400 otherwise:
        nothing is created either way, and the user learns before a batch that the key cannot send."""
        response = await self._call("GET", "/signature_requests", idempotent=True, params={"limit": 1})
        probe = await self._caller.request("POST", "/signature_requests", idempotent=False, json={})
        if probe.status_code in (401, 403):
            raise self._error(probe)
        remaining = response.headers.get("x-ratelimit-remaining-minute")
        detail = f"{remaining} requêtes encore permises cette minute" if remaining else ""
        return AccountInfo(name="YouSign", detail=detail)

    async def send(self, order: SignatureOrder) -> RemoteSignature:
        """Create, upload, add the signers, activate — idempotent as a whole (see the module's docstring).
        Authentication: `otp_sms` when the order asks for the SMS check, else `otp_email` (T3); a signer marked
        `email_code` confirms by email code whatever the order says."""
        if order.reminders is not None and not order.reminders.valid:
            raise rejection("reminders", detail=str(order.reminders), provider=self.name)
        if len(order.email_note.strip()) > 500:
            raise rejection("note", detail="email_custom_note > 500", provider=self.name)
        for attempt in range(SEND_ROUNDS):
            try:
                return await self._send_once(order, look_up=attempt > 0 or not order.first_attempt)
            except ProviderUnavailable:
                if attempt == SEND_ROUNDS - 1:
                    raise
                await self._sleep(self._policy.backoff(attempt, None))
        raise ProviderUnavailable(provider=self.name)

    async def status(self, remote_id: str) -> RemoteSignature:
        sr, signers = await asyncio.gather(
            self._json("GET", f"/signature_requests/{remote_id}", idempotent=True),
            self._json("GET", f"/signature_requests/{remote_id}/signers", idempotent=True),
        )
        return self._remote(sr, {s["id"]: s["info"]["email"] for s in signers})

    async def changed_since(self, since: datetime | None) -> list[RemoteSignature]:
        """YouSign has no "updated since" filter: this lists every sent request that may have changed
        (created less than a year before `since`); the caller compares statuses with what it holds."""
        params: dict[str, Any] = {"status[in]": SENT, "limit": self.page_size}
        if since is not None:
            params["created_at[after]"] = (since - LIFETIME).date().isoformat()
        found: list[RemoteSignature] = []
        while True:
            page = await self._json("GET", "/signature_requests", idempotent=True, params=params)
            found += [self._remote(sr) for sr in page["data"]]
            cursor = (page.get("meta") or {}).get("next_cursor")
            if not cursor:
                return found
            params["after"] = cursor

    async def changes(
        self, cursor: str | None, *, watch: Collection[str] = (), on_change: OnChange | None = None
    ) -> tuple[list[RemoteSignature], str]:
        """What changed since the sync that returned `cursor` (providers/sync.py), and the next cursor.

        One listing (`status[in]`, `created_at[after]`, cursor pages of 100) covers every request that can
        have changed; only the requests that did are reported. A declined one is read again (1 call): list
        items carry no `decline_information`. `watch`: ids the caller holds as pending that the listing may
        not cover (a request reactivated long after its creation) — read one by one when not listed. Cost:
        listing pages + declined changes + watched ids not listed; the pacer keeps it within YouSign's quota.
        """
        previous = SyncCursor.decode(cursor)
        params: dict[str, Any] = {"status[in]": SENT, "limit": self.page_size}
        if previous is not None and previous.floor:
            params["created_at[after]"] = previous.floor
        listed: list[dict[str, Any]] = []
        known = (previous.open if previous else frozenset()) | set(watch)
        reading: list[asyncio.Task[RemoteSignature]] = []

        def report(sr: dict[str, Any]) -> None:
            """Each change is read (a refusal's reason) and told while the next page is on its way."""
            reading.append(asyncio.ensure_future(self._told(sr, on_change)))

        try:
            while True:
                page = await self._json(
                    "GET", "/signature_requests", idempotent=True, urgent=True, params=params
                )
                listed += page["data"]
                for sr in page["data"]:
                    if (sr["id"] in known and sr["status"] not in OPEN) or is_new(
                        sr["id"], sr["created_at"], previous
                    ):
                        report(sr)
                next_cursor = (page.get("meta") or {}).get("next_cursor")
                if not next_cursor:
                    break
                params["after"] = next_cursor
            listed_ids = {sr["id"] for sr in listed}
            unlisted = await asyncio.gather(*(self._lookup(i) for i in sorted(set(watch) - listed_ids)))
            for sr in unlisted:
                if sr["status"] not in OPEN:
                    report(sr)
            reported = await asyncio.gather(*reading)
        except BaseException:
            for task in reading:  # a page that failed: the reads already started are dropped with it
                task.cancel()
            await asyncio.gather(*reading, return_exceptions=True)
            raise
        still_open = [sr for sr in (*listed, *unlisted) if sr["status"] in OPEN]
        seen, edge = newest({sr["id"]: sr["created_at"] for sr in listed}, previous)
        oldest = min((sr["created_at"] for sr in still_open), default=seen, key=_moment_key)
        floor = day_before(oldest) if oldest else None
        following = SyncCursor(frozenset(sr["id"] for sr in still_open), floor, seen, edge)
        return list(reported), following.encode()

    async def _lookup(self, remote_id: str) -> dict[str, Any]:
        try:
            return await self._json("GET", f"/signature_requests/{remote_id}", idempotent=True)
        except NotFound:  # deleted for good at YouSign: the caller's file can only end in error
            return {"id": remote_id, "status": "deleted", "external_id": None, "_gone": True}

    async def _told(self, sr: dict[str, Any], on_change: OnChange | None) -> RemoteSignature:
        remote = await self._with_reason(sr)
        if on_change is not None:
            on_change(remote)
        return remote

    async def _with_reason(self, sr: dict[str, Any]) -> RemoteSignature:
        if sr["status"] == "declined" and "decline_information" not in sr:
            sr = await self._json("GET", f"/signature_requests/{sr['id']}", idempotent=True)
        if sr.get("_gone"):
            return RemoteSignature(
                sr["id"], SignatureStatus.ERROR, reason="Demande introuvable chez YouSign."
            )
        return self._remote(sr)

    async def cancel(
        self, remote_id: str, reason: CancelReason | str = CancelReason.OTHER, custom_note: str = ""
    ) -> RemoteSignature:
        """YouSign's `reason` is an enum (§5.7); free text travels as `custom_note` (≤ 500). A free-text
        `reason` (older callers) is sent as `other` with the text as the note."""
        if reason in CANCEL_REASONS:
            body: dict[str, Any] = {"reason": str(reason)}
            note = custom_note.strip()
        else:
            body = {"reason": CancelReason.OTHER.value}
            note = custom_note.strip() or str(reason).strip()
        if note:
            body["custom_note"] = note[:500]
        sr = await self._json(
            "POST", f"/signature_requests/{remote_id}/cancel", idempotent=False, ok=(201,), json=body
        )
        return self._remote(sr)

    async def reactivate(self, remote_id: str, expiration_date: date) -> RemoteSignature:
        """An expired request starts again until `expiration_date` (§4: POST …/reactivate, 201)."""
        body = {"expiration_date": expiration_date.isoformat()}
        sr = await self._json(
            "POST", f"/signature_requests/{remote_id}/reactivate", idempotent=False, ok=(201,), json=body
        )
        return self._remote(sr)

    async def remind(self, remote_id: str) -> tuple[str, ...]:
        """`send_reminder` for each signer still `notified` (the only ones YouSign reminds, §5.8)."""
        signers = await self._json("GET", f"/signature_requests/{remote_id}/signers", idempotent=True)
        waiting = [s["id"] for s in signers if s["status"] == "notified"]
        if not waiting:
            raise rejection("state", detail="no notified signer to remind", provider=self.name)
        urls = [f"/signature_requests/{remote_id}/signers/{signer_id}/send_reminder" for signer_id in waiting]
        await asyncio.gather(*(self._call("POST", url, idempotent=False, ok=(201,)) for url in urls))
        return tuple(waiting)

    async def signing_links(self, remote_id: str) -> tuple[RemoteSigner, ...]:
        """Each signer still to sign with their `signature_link` (in person: the user shows it, §5.5)."""
        signers = await self._json("GET", f"/signature_requests/{remote_id}/signers", idempotent=True)
        return tuple(
            RemoteSigner(
                s["id"], s["info"]["email"], s["status"], signature_link=s.get("signature_link") or ""
            )
            for s in signers
            if s["status"] == "notified"
        )

    async def signed_pdf(self, remote_id: str) -> bytes:
        params = {"version": "completed", "archive": "false"}
        url = f"/signature_requests/{remote_id}/documents/download"
        return (await self._call("GET", url, idempotent=True, params=params)).content

    async def proof(self, remote_id: str) -> bytes:
        """The merged audit trail PDF of every signer (YouSign's proof file)."""
        url = f"/signature_requests/{remote_id}/audit_trails/download"
        return (await self._call("GET", url, idempotent=True, params={"merge": "true"})).content

    # ---- sending, step by step

    async def _send_once(self, order: SignatureOrder, *, look_up: bool = True) -> RemoteSignature:
        """`look_up` False: the caller knows no earlier attempt exists (`first_attempt`): one call saved."""
        found = await self._find(order.reference) if look_up else []
        live = next((sr for sr in found if sr["status"] != "draft"), None)
        if live is not None:
            return self._remote(live)
        await asyncio.gather(*(self._discard(sr["id"]) for sr in found))
        sr_id = (await self._create(order))["id"]
        try:
            return await self._complete(sr_id, order)
        except Rejected:
            with contextlib.suppress(ProviderError):
                await self._discard(sr_id)
            raise

    async def _find(self, reference: str) -> list[dict[str, Any]]:
        params = {"external_id[eq]": reference, "status[in]": REUSABLE, "limit": 100}
        page = await self._json("GET", "/signature_requests", idempotent=True, params=params)
        return [sr for sr in page["data"] if sr.get("external_id") == reference]

    async def _discard(self, sr_id: str) -> None:
        """Drop an unfinished draft for good (a plain delete would leave a `deleted` request behind)."""
        await self._call(
            "DELETE",
            f"/signature_requests/{sr_id}",
            idempotent=True,
            ok=(204, 404),
            params={"permanent_delete": "true"},
        )

    async def _create(self, order: SignatureOrder) -> dict[str, Any]:
        today = datetime.now(ZoneInfo(TIMEZONE)).date()
        until = order.expires_on or today + timedelta(days=order.expires_in_days)
        body: dict[str, Any] = {
            "name": order.title.strip()[:128],
            "delivery_mode": "none" if order.delivery_mode == "none" else "email",
            "timezone": TIMEZONE,
            "expiration_date": until.isoformat(),
            "external_id": order.reference,
            "signers_allowed_to_decline": True,
            "audit_trail_locale": "fr",
        }
        if order.email_note.strip():
            body["email_custom_note"] = order.email_note.strip()
        if order.reminders is not None:
            body["reminder_settings"] = {
                "interval_in_days": order.reminders.interval_in_days,
                "max_occurrences": order.reminders.max_occurrences,
            }
        return await self._json("POST", "/signature_requests", idempotent=False, ok=(201,), json=body)

    async def _complete(self, sr_id: str, order: SignatureOrder) -> RemoteSignature:
        base = f"/signature_requests/{sr_id}"
        document = await self._json(
            "POST",
            f"{base}/documents",
            idempotent=False,
            ok=(201,),
            files={"file": (order.filename, order.pdf, "application/pdf")},
            data={"nature": "signable_document", "parse_anchors": "false"},
        )
        emails: dict[str, str] = {}
        for spec in order.signers:
            body = signer_body(spec, document["id"], order.sms_check)
            signer = await self._json("POST", f"{base}/signers", idempotent=False, ok=(201,), json=body)
            emails[signer["id"]] = spec.email
        activated = await self._json("POST", f"{base}/activate", idempotent=False, ok=(201,))
        return self._remote(activated, emails)

    # ---- mapping

    def _remote(self, sr: dict[str, Any], emails: dict[str, str] | None = None) -> RemoteSignature:
        emails = emails or {}
        declined = sr.get("decline_information") or {}
        signers = tuple(
            RemoteSigner(
                remote_id=s["id"],
                email=emails.get(s["id"], ""),
                status=s["status"],
                signature_link=s.get("signature_link") or "",
            )
            for s in sr.get("signers", [])
        )
        return RemoteSignature(
            remote_id=sr["id"],
            status=STATUSES.get(sr["status"], SignatureStatus.ERROR),
            reference=sr.get("external_id") or "",
            updated_at=_moment(declined.get("declined_at")),
            reason=declined.get("reason") or "",
            signers=signers,
        )
