"""The fake ESign's memory and the signer's journey (email, SMS code unless skipped, consent, acceptance,
or withdrawal), each step an audit entry that moves `updated_at`."""

from __future__ import annotations

import secrets
from typing import Any

from lsc_tui.sandbox.pdfinfo import Stamp, stamp_pdf
from lsc_tui.sandbox.signing import (
    PlannedState,
    Refusal,
    autopilot_plan,
    b64decode,
    b64encode,
    iso,
)
from lsc_tui.sandbox.webhooks import ESIGN, new_event_id, subscription

PROVIDER = "esign"
SIGNER_IP = "198.51.100.23"  # TEST-NET-2: where the simulated signers sign from
# audit step → webhook event: one per change of the envelope's status
WEBHOOK_EVENTS = {
    "envelope.created": "envelope.sent",
    "envelope.completed": "envelope.signed",
    "withdrawn": "envelope.refused",
    "envelope.expired": "envelope.expired",
    "envelope.cancelled": "envelope.cancelled",
}


class ESignState(PlannedState):
    """Envelopes of every account, with their PDFs (base64), audit steps and autopilot plans."""

    records_key = "envelopes"
    live_status = "sent"
    expires_key = "expires_at"

    @property
    def envelopes(self) -> dict[str, dict[str, Any]]:
        return self.records

    def perform(self, envelope: dict[str, Any], plan: dict[str, Any]) -> None:
        signer = self.signer(envelope, plan["actor"])
        if signer["status"] == "signed":
            return
        if plan["action"] == "sign":
            self.sign(envelope, signer)
        else:
            self.withdraw(envelope, signer, plan["reason"])

    # -- lookups

    def get(self, envelope_id: str, account_key: str | None = None) -> dict[str, Any]:
        envelope = self.envelopes.get(envelope_id)
        if envelope is None or (account_key is not None and envelope["_account"] != account_key):
            raise Refusal(404, {"error": "not_found", "message": "Enveloppe introuvable.", "field": None})
        return envelope

    def signer(self, envelope: dict[str, Any], signer_id: str) -> dict[str, Any]:
        for signer in envelope["signers"]:
            if signer["id"] == signer_id:
                return signer
        raise Refusal(404, {"error": "not_found", "message": "Signataire introuvable.", "field": None})

    def by_reference(self, account_key: str, reference: str) -> dict[str, Any] | None:
        for envelope in self.envelopes.values():
            if envelope["_account"] == account_key and envelope["reference"] == reference:
                return envelope
        return None

    # -- what happens to an envelope

    def touch(self, envelope: dict[str, Any], step: str, signer_id: str | None = None, ip: str = "") -> None:
        """Every change is an audit step and moves `updated_at` (what `updated_since` lists on); a change of the
        envelope's status is also sent to the account's webhook subscription."""
        now = self.now()
        envelope["updated_at"] = iso(now, precise=True)
        envelope["_audit"].append(
            {"at": iso(now, precise=True), "step": step, "signer_id": signer_id, "ip": ip}
        )
        if step in WEBHOOK_EVENTS:
            self.announce(envelope, WEBHOOK_EVENTS[step])

    def announce(self, envelope: dict[str, Any], event: str) -> None:
        """Our contract's webhook (esign.md has none yet): YouSign's shape, so one receiver reads both —
        `{"event_id", "event_name", "event_time", "data": {"envelope": …}}`, signed `X-ESign-Signature-256`."""
        hook = subscription(self.ctx.accounts, PROVIDER)
        if not hook["url"]:
            return
        payload = {
            "event_id": new_event_id(),
            "event_name": event,
            "event_time": str(int(self.now().timestamp())),
            "data": {"envelope": envelope_view(envelope)},
        }
        self.ctx.webhooks.emit_json(PROVIDER, hook["url"], payload, hook["secret"], ESIGN, "X-ESign")

    def mail(self, envelope: dict[str, Any], signer: dict[str, Any], subject: str, body: str) -> None:
        self.ctx.outbox.send(
            self.ctx.clock, PROVIDER, "email", signer["email"], subject, body, ref=envelope["id"]
        )

    def open(self, envelope: dict[str, Any], caller_ip: str) -> None:
        self.touch(envelope, "envelope.created", ip=caller_ip)
        for signer in envelope["signers"]:
            link = f"https://esign.example/sign/{envelope['id']}/{signer['id']}"
            self.mail(envelope, signer, f"Document à signer : {envelope['title']}",
                      f"Bonjour {signer['first_name']},\n\nMerci de signer « {envelope['title']} » : {link}")  # fmt: skip
            self.touch(envelope, "email.sent", signer["id"])
            plan = autopilot_plan(self.ctx, signer["id"])
            if plan:
                envelope["_plans"].append(plan)
        self.schedule(envelope)

    def sign(self, envelope: dict[str, Any], signer: dict[str, Any]) -> None:
        """The whole journey at once: SMS code (if asked), consent, acceptance."""
        if envelope["sms_check"] and signer["status"] == "waiting":
            code = f"{secrets.randbelow(10**6):06d}"
            self.ctx.outbox.send(self.ctx.clock, PROVIDER, "sms", signer["phone"], "Code de signature",
                                 f"Votre code ESign : {code}", ref=envelope["id"])  # fmt: skip
            signer["status"] = "code_sent"
            self.touch(envelope, "code_sent", signer["id"], SIGNER_IP)
        signer["status"] = "consented"
        self.touch(envelope, "consented", signer["id"], SIGNER_IP)
        signer["status"] = "signed"
        signer["signed_at"] = iso(self.now())
        self.touch(envelope, "signed", signer["id"], SIGNER_IP)
        if all(s["status"] == "signed" for s in envelope["signers"]):
            self.complete(envelope)

    def complete(self, envelope: dict[str, Any]) -> None:
        envelope["status"] = "signed"
        envelope["completed_at"] = iso(self.now())
        stamps = [
            Stamp(box["page"], box["x"], box["y"], box["width"], box["height"],
                  ("Signé électroniquement par", f"{s['first_name']} {s['last_name']}", f"le {s['signed_at']}"))
            for s in envelope["signers"]
            for box in s["boxes"]
        ] if envelope["visible_signatures"] else []  # fmt: skip
        envelope["_signed"] = b64encode(stamp_pdf(b64decode(envelope["_pdf"]), stamps))
        envelope["_plans"] = []
        self.touch(envelope, "envelope.completed")

    def withdraw(self, envelope: dict[str, Any], signer: dict[str, Any], reason: str) -> None:
        signer["status"] = "withdrawn"
        signer["refusal_reason"] = reason
        envelope["status"] = "refused"
        envelope["refusal_reason"] = reason
        envelope["_plans"] = []
        self.touch(envelope, "withdrawn", signer["id"], SIGNER_IP)

    def expire(self, envelope: dict[str, Any]) -> None:
        envelope["status"] = "expired"
        envelope["_plans"] = []
        self.touch(envelope, "envelope.expired")

    def cancel(self, envelope: dict[str, Any], reason: str, caller_ip: str) -> None:
        envelope["status"] = "cancelled"
        envelope["cancel_reason"] = reason
        envelope["_plans"] = []
        self.touch(envelope, "envelope.cancelled", ip=caller_ip)

    def remind(self, envelope: dict[str, Any], caller_ip: str) -> None:
        for signer in envelope["signers"]:
            if signer["status"] != "signed":
                self.mail(envelope, signer, f"Rappel : document à signer : {envelope['title']}",
                          f"Bonjour {signer['first_name']},\n\n« {envelope['title']} » attend votre signature.")  # fmt: skip
        self.touch(envelope, "reminder.sent", ip=caller_ip)


def public(record: dict[str, Any]) -> dict[str, Any]:
    """Internal keys start with `_` (PDF bytes, plans, audit steps, owner) and never leave the fake."""
    return {k: v for k, v in record.items() if not k.startswith("_")}


def envelope_view(envelope: dict[str, Any]) -> dict[str, Any]:
    return public(envelope)


def created_view(envelope: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": envelope["id"],
        "status": envelope["status"],
        "created_at": envelope["created_at"],
        "signers": [{"id": s["id"], "status": s["status"]} for s in envelope["signers"]],
    }
