"""ESign client for the contract in docs/providers/esign.md, behind the provider-neutral `SignatureProvider`.

ESign deduplicates envelopes on `reference`, so creating one is idempotent at the HTTP level: a dropped
answer is simply retried and the provider hands back the first envelope. When the real vendor is named,
only this module should change.

The contract has no note for the signers, no automatic reminders and no reactivation: `capabilities` says
so, `send` leaves `email_note` / `reminders` out and `reactivate` raises `Unsupported`. `changes(cursor)`
uses the contract's `updated_since`. Webhooks are our extension of the contract, in YouSign's shape
(`X-ESign-Signature-256`, `event_name` envelope.sent|signed|refused|expired|cancelled): esign.md should get
that section (providers/webhooks.py and sandbox/esign_state.py hold it meanwhile).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import date, datetime
from typing import Any

import httpx

from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.providers.base import (
    AccountInfo,
    CancelReason,
    OnChange,
    ProviderError,
    RemoteSignature,
    RemoteSigner,
    SignatureOrder,
    SignerSpec,
    Unsupported,
)
from lsc_tui.providers.signing import SignatureApi, reason_from_path, rejection
from lsc_tui.providers.sync import SyncCursor, is_new, newest

STATUSES: dict[str, SignatureStatus] = {
    "sent": SignatureStatus.PENDING,
    "signed": SignatureStatus.SIGNED,
    "refused": SignatureStatus.DECLINED,
    "expired": SignatureStatus.EXPIRED,
    "cancelled": SignatureStatus.CANCELLED,
}
CONFLICTS = {"no_credits": "credits"}  # 409 slugs that are not "wrong state"
REACTIVATE_FR = "ESign ne permet pas de relancer une demande expirée : envoyez le document de nouveau."
IN_PERSON_FR = (
    "ESign ne propose pas la signature en présentiel : choisissez « à distance », ou YouSign dans Réglages"
    " signature."
)


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _error_body(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {"message": response.text[:200]}
    return body if isinstance(body, dict) else {}


class ESignClient(SignatureApi):
    name = "esign"
    page_size = 200  # the contract's largest page
    capabilities = frozenset({"webhooks"})  # no custom note, reminders nor reactivation in the contract

    @staticmethod
    def auth_headers(api_key: str) -> dict[str, str]:
        return {"X-Api-Key": api_key}

    def _error(self, response: httpx.Response) -> ProviderError:
        status, body = response.status_code, _error_body(response)
        detail = str(body.get("message") or "")
        common = self._common_error(status, detail)
        if common is not None:
            return common
        if status == 409:
            reason = CONFLICTS.get(str(body.get("error")), "state")
        else:
            reason = reason_from_path(str(body.get("field") or body.get("error") or "invalid"))
        return rejection(reason, detail=detail, provider=self.name)

    # ---- SignatureProvider

    async def test_access(self) -> AccountInfo:
        account = await self._json("GET", "/v1/account", idempotent=True)
        return AccountInfo(name=account["name"], detail=f"{account['credits_left']} crédits restants")

    async def send(self, order: SignatureOrder) -> RemoteSignature:
        if order.delivery_mode == "none":
            raise Unsupported(IN_PERSON_FR, reason="in_person", provider=self.name)
        meta = {
            "title": order.title.strip()[:200],
            "reference": order.reference,
            "sms_check": order.sms_check,
            "visible_signatures": any(s.boxes for s in order.signers),
            "expires_in_days": order.expires_in_days,
            "signers": [_signer_meta(s) for s in order.signers],
        }
        envelope = await self._json(
            "POST",
            "/v1/envelopes",
            idempotent=True,  # `reference` makes a replay return the first envelope
            ok=(200, 201),
            files={"file": (order.filename, order.pdf, "application/pdf")},
            data={"meta": json.dumps(meta, ensure_ascii=False)},
        )
        emails = [s.email for s in order.signers]
        return self._remote(envelope, reference=order.reference, emails=emails)

    async def status(self, remote_id: str) -> RemoteSignature:
        return self._remote(await self._json("GET", f"/v1/envelopes/{remote_id}", idempotent=True))

    async def changed_since(self, since: datetime | None) -> list[RemoteSignature]:
        params: dict[str, Any] = {"limit": self.page_size}
        if since is not None:
            params["updated_since"] = since.isoformat()
        found: list[RemoteSignature] = []
        while True:
            page = await self._json("GET", "/v1/envelopes", idempotent=True, params=params)
            found += [self._remote(envelope) for envelope in page["items"]]
            if not page.get("next"):
                return found
            params["cursor"] = page["next"]

    async def changes(
        self, cursor: str | None, *, watch: Collection[str] = (), on_change: OnChange | None = None
    ) -> tuple[list[RemoteSignature], str]:
        """Every envelope updated since the last sync (`updated_since`, pages of 200), and the next cursor.
        ESign's list items carry the refusal reason: nothing is read twice. `watch` is accepted for the
        common contract; ESign's filter already covers every change, so it costs nothing."""
        previous = SyncCursor.decode(cursor)
        params: dict[str, Any] = {"limit": self.page_size}
        if previous is not None and previous.seen:
            params["updated_since"] = previous.seen
        listed: list[dict[str, Any]] = []
        while True:
            page = await self._json("GET", "/v1/envelopes", idempotent=True, params=params)
            listed += page["items"]
            if on_change is not None:
                for item in page["items"]:
                    if is_new(item["id"], item["updated_at"], previous):
                        on_change(self._remote(item))
            if not page.get("next"):
                break
            params["cursor"] = page["next"]
        changed = [e for e in listed if is_new(e["id"], e["updated_at"], previous)]
        seen, edge = newest({e["id"]: e["updated_at"] for e in listed}, previous)
        return [self._remote(e) for e in changed], SyncCursor(seen=seen, edge=edge).encode()

    async def cancel(
        self, remote_id: str, reason: CancelReason | str = CancelReason.OTHER, custom_note: str = ""
    ) -> RemoteSignature:
        """ESign takes one free-text reason: the note, else the reason's French label (or the text given)."""
        label = CancelReason(reason).label if reason in set(CancelReason) else str(reason)
        text = custom_note.strip() or label.strip() or "Annulation demandée par le gestionnaire."
        envelope = await self._json(
            "POST", f"/v1/envelopes/{remote_id}/cancel", idempotent=False, json={"reason": text[:500]}
        )
        return self._remote(envelope)

    async def reactivate(self, remote_id: str, expiration_date: date) -> RemoteSignature:
        raise Unsupported(REACTIVATE_FR, reason="reactivate", provider=self.name)

    async def remind(self, remote_id: str) -> tuple[str, ...]:
        """ESign reminds every signer still waiting and does not say whom (204, no body)."""
        await self._call("POST", f"/v1/envelopes/{remote_id}/remind", idempotent=False, ok=(204,))
        return ()

    async def signing_links(self, remote_id: str) -> tuple[RemoteSigner, ...]:
        raise Unsupported(IN_PERSON_FR, reason="in_person", provider=self.name)

    async def signed_pdf(self, remote_id: str) -> bytes:
        return (await self._call("GET", f"/v1/envelopes/{remote_id}/document", idempotent=True)).content

    async def proof(self, remote_id: str) -> bytes:
        """ZIP: audit.json, the signed PDF, hashes.txt (SHA-256 of the original and signed PDFs)."""
        return (await self._call("GET", f"/v1/envelopes/{remote_id}/proof", idempotent=True)).content

    # ---- mapping

    def _remote(
        self, envelope: dict[str, Any], *, reference: str = "", emails: list[str] | None = None
    ) -> RemoteSignature:
        """`emails` fills in the signers of the short creation answer, which carries only ids and statuses."""
        raw_signers = envelope.get("signers", [])
        known = emails or []
        signers = tuple(
            RemoteSigner(
                remote_id=s["id"],
                email=s.get("email") or (known[i] if i < len(known) else ""),
                status=s["status"],
                signed_at=_moment(s.get("signed_at")),
            )
            for i, s in enumerate(raw_signers)
        )
        return RemoteSignature(
            remote_id=envelope["id"],
            status=STATUSES.get(envelope["status"], SignatureStatus.ERROR),
            reference=envelope.get("reference") or reference,
            updated_at=_moment(envelope.get("updated_at") or envelope.get("created_at")),
            completed_at=_moment(envelope.get("completed_at")),
            reason=envelope.get("refusal_reason") or envelope.get("cancel_reason") or "",
            signers=signers,
        )


def _signer_meta(spec: SignerSpec) -> dict[str, Any]:
    signer: dict[str, Any] = {
        "first_name": spec.first_name,
        "last_name": spec.last_name,
        "email": spec.email,
        "boxes": [
            {"page": b.page, "x": b.x, "y": b.y, "width": b.width, "height": b.height} for b in spec.boxes
        ],
    }
    if spec.phone:
        signer["phone"] = spec.phone
    return signer
