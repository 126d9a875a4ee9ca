"""The fake YouSign's memory and what happens to a signature request: activation, signing, declining,
cancelling, expiry, reminders — each logged as an audit event, mailed through the outbox and, for the events
YouSign documents (yousign.md §8), sent to the account's webhook subscription."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from lsc_tui.sandbox.pdfinfo import Stamp, stamp_pdf
from lsc_tui.sandbox.signing import (
    PlannedState,
    autopilot_plan,
    b64decode,
    b64encode,
    iso,
)
from lsc_tui.sandbox.webhooks import YOUSIGN, new_event_id, subscription
from lsc_tui.sandbox.yousign_rules import not_found
from lsc_tui.sandbox.yousign_views import signer_view, sr_view

PROVIDER = "yousign"
SIGNER_IP = "203.0.113.7"  # TEST-NET-3: where the simulated signers sign from
WEBHOOK_EVENTS = {
    "signature_request.activated", "signature_request.done", "signature_request.declined",
    "signature_request.expired", "signature_request.canceled", "signature_request.reminder_executed",
    "signature_request.reactivated", "signature_request.deleted", "signer.notified", "signer.done",
    "signer.declined", "signer.notification_delivery_failed",
}  # fmt: skip


class YouSignState(PlannedState):
    """Signature requests of every workspace, with their PDFs (base64), audit events and autopilot plans."""

    records_key = "requests"
    live_status = "ongoing"
    expires_key = "expiration_date"

    @property
    def requests(self) -> dict[str, dict[str, Any]]:
        return self.records

    def perform(self, sr: dict[str, Any], plan: dict[str, Any]) -> None:
        signer = self.signer(sr, plan["actor"])
        if signer["status"] != "notified":
            return
        if plan["action"] == "decline" and sr["signers_allowed_to_decline"]:
            self.decline(sr, signer, plan["reason"])
        else:
            self.sign(sr, signer)

    def chores_due(self, sr: dict[str, Any]) -> datetime | None:
        """Automatic reminders of `reminder_settings`, counted from activation."""
        settings = sr.get("reminder_settings")
        if not settings or sr["_auto_reminders"] >= settings["max_occurrences"]:
            return None
        interval = timedelta(days=settings["interval_in_days"])
        return datetime.fromisoformat(sr["_activated_at"]) + interval * (sr["_auto_reminders"] + 1)

    def chores(self, sr: dict[str, Any], now: datetime) -> None:
        due = self.chores_due(sr)
        if due is not None and now >= due:
            sr["_auto_reminders"] += 1
            for signer in sr["signers"]:
                if signer["status"] == "notified":
                    self.remind(sr, signer, automatic=True)

    # -- lookups

    def get(self, sr_id: str, workspace: str) -> dict[str, Any]:
        sr = self.requests.get(sr_id)
        if sr is None or sr["workspace_id"] != workspace:
            raise not_found("Signature request")
        return sr

    def signer(self, sr: dict[str, Any], signer_id: str) -> dict[str, Any]:
        for signer in sr["signers"]:
            if signer["id"] == signer_id:
                return signer
        raise not_found("Signer")

    def document(self, sr: dict[str, Any], document_id: str) -> dict[str, Any]:
        for document in sr["_documents"]:
            if document["id"] == document_id:
                return document
        raise not_found("Document")

    # -- events the outside world causes

    def log(self, sr: dict[str, Any], event: str, signer_id: str | None = None, ip: str = "") -> None:
        sr["_events"].append({"at": iso(self.now()), "event": event, "signer_id": signer_id, "ip": ip})
        if event in WEBHOOK_EVENTS:
            self.announce(sr, event, signer_id)

    def announce(self, sr: dict[str, Any], event: str, signer_id: str | None) -> None:
        """The webhook body YouSign documents: flat root, `event_time` a string of Unix seconds, `data` holding
        the request (and the signer for signer events) as they are now."""
        hook = subscription(self.ctx.accounts, PROVIDER)
        if not hook["url"]:
            return
        data: dict[str, Any] = {"signature_request": sr_view(sr)}
        if signer_id is not None:
            data["signer"] = signer_view(self.signer(sr, signer_id))
        payload = {
            "event_id": new_event_id(),
            "event_name": event,
            "event_time": str(int(self.now().timestamp())),
            "subscription_id": hook["id"],
            "subscription_description": hook["description"],
            "sandbox": True,
            "data": data,
        }
        self.ctx.webhooks.emit_json(PROVIDER, hook["url"], payload, hook["secret"], YOUSIGN, "X-Yousign")

    def mail(
        self, sr: dict[str, Any], to: str, subject: str, body: str, signer_id: str | None = None
    ) -> None:
        """Email through the outbox; an undeliverable address is reported as YouSign integrations see it
        (`signer.notification_delivery_failed`, yousign.md §8)."""
        delivered = self.ctx.outbox.send(self.ctx.clock, PROVIDER, "email", to, subject, body, ref=sr["id"])
        if not delivered and signer_id is not None:
            self.log(sr, "signer.notification_delivery_failed", signer_id)

    def activate(self, sr: dict[str, Any]) -> None:
        sr["status"] = "ongoing"
        sr["_activated_at"] = iso(self.now())
        self.log(sr, "signature_request.activated")
        waiting = sr["signers"][:1] if sr["ordered_signers"] else sr["signers"]
        for signer in waiting:
            self.notify(sr, signer)
        self.schedule(sr)

    def notify(self, sr: dict[str, Any], signer: dict[str, Any]) -> None:
        signer["status"] = "notified"
        signer["signature_link"] = f"https://yousign.app/signatures/{sr['id']}?s={secrets.token_urlsafe(12)}"
        signer["signature_link_expiration_date"] = iso(self.now() + timedelta(hours=48))
        self.log(sr, "signer.notified", signer["id"])
        if sr["delivery_mode"] == "email" and signer.get("delivery_mode") != "none":
            note = f"\n\n{sr['email_custom_note']}" if sr.get("email_custom_note") else ""
            self.mail(
                sr,
                signer["info"]["email"],
                f"Document à signer : {sr['name']}",
                f"Bonjour {signer['info']['first_name']},\n\nMerci de signer « {sr['name']} » : "
                f"{signer['signature_link']}{note}",
                signer["id"],
            )
        plan = autopilot_plan(self.ctx, signer["id"])
        if plan:
            sr["_plans"].append(plan)
            self.schedule(sr)

    def remind(self, sr: dict[str, Any], signer: dict[str, Any], *, automatic: bool = False) -> None:
        self.log(sr, "signature_request.reminder_executed", signer["id"])
        self.mail(
            sr,
            signer["info"]["email"],
            f"Rappel : document à signer : {sr['name']}",
            f"Bonjour {signer['info']['first_name']},\n\n« {sr['name']} » attend toujours votre signature : "
            f"{signer['signature_link']}" + ("\n\n(rappel automatique)" if automatic else ""),
            signer["id"],
        )

    def sign(self, sr: dict[str, Any], signer: dict[str, Any]) -> None:
        if signer["signature_authentication_mode"] == "otp_sms":
            code = f"{secrets.randbelow(10**6):06d}"
            self.ctx.outbox.send(
                self.ctx.clock, PROVIDER, "sms", signer["info"]["phone_number"],
                "Code de signature", f"Votre code Yousign : {code}", ref=sr["id"],
            )  # fmt: skip
        self.log(sr, "signer.verified", signer["id"], SIGNER_IP)
        signer["status"] = "signed"
        signer["_signed_at"] = iso(self.now())
        self.log(sr, "signer.done", signer["id"], SIGNER_IP)
        following = [s for s in sr["signers"] if s["status"] == "initiated"]
        if sr["ordered_signers"] and following:
            self.notify(sr, following[0])
        elif all(s["status"] == "signed" for s in sr["signers"]):
            self.complete(sr)

    def complete(self, sr: dict[str, Any]) -> None:
        sr["status"] = "done"
        for document in sr["_documents"]:
            if document["nature"] == "signable_document":
                signed = stamp_pdf(b64decode(document["_pdf"]), self._stamps(sr, document["id"]))
                document["_signed"] = b64encode(signed)
                document["is_signed"] = True
        self.log(sr, "signature_request.done")
        for signer in sr["signers"]:
            self.mail(sr, signer["info"]["email"], f"Document signé : {sr['name']}",
                      f"Bonjour {signer['info']['first_name']},\n\nTous les signataires ont signé.")  # fmt: skip

    def _stamps(self, sr: dict[str, Any], document_id: str) -> list[Stamp]:
        stamps = []
        for signer in sr["signers"]:
            name = f"{signer['info']['first_name']} {signer['info']['last_name']}"
            when = datetime.fromisoformat(signer["_signed_at"]).strftime("%d/%m/%Y %H:%M UTC")
            for field in signer["fields"]:
                if field["document_id"] == document_id and field["type"] == "signature":
                    lines = ("Signé électroniquement par", name, f"le {when} (sandbox)")
                    stamps.append(
                        Stamp(field["page"], field["x"], field["y"], field["width"], field["height"], lines)
                    )
        return stamps

    def decline(self, sr: dict[str, Any], signer: dict[str, Any], reason: str) -> None:
        signer["status"] = "declined"
        sr["status"] = "declined"
        sr["decline_information"] = {
            "signer_id": signer["id"],
            "reason": reason,
            "declined_at": iso(self.now()),
        }
        self._abort_others(sr)
        self.log(sr, "signer.declined", signer["id"], SIGNER_IP)
        self.log(sr, "signature_request.declined")

    def cancel(self, sr: dict[str, Any], reason: str, note: str | None) -> None:
        sr["status"] = "canceled"
        sr["_cancel"] = {"reason": reason, "custom_note": note, "at": iso(self.now())}
        self._abort_others(sr)
        self.log(sr, "signature_request.canceled")

    def expire(self, sr: dict[str, Any]) -> None:
        sr["status"] = "expired"
        sr["_plans"] = []
        self.log(sr, "signature_request.expired")

    def reactivate(self, sr: dict[str, Any], expiration_date: str) -> None:
        sr["status"] = "ongoing"
        sr["expiration_date"] = expiration_date
        self.log(sr, "signature_request.reactivated")
        for signer in sr["signers"]:
            if signer["status"] == "notified":
                self.notify(sr, signer)
        self.schedule(sr)

    def _abort_others(self, sr: dict[str, Any]) -> None:
        sr["_plans"] = []
        for other in sr["signers"]:
            if other["status"] in {"initiated", "notified"}:
                other["status"] = "aborted"
