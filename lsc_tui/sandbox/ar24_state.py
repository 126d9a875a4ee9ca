"""The fake AR24's memory and rules: users, attachments, mails, consents, OTP sessions, the 15-day clock.

Written from docs/providers/ar24.md (§5–§12, §15), not from our client. Business failures raise `Ar24Error`
with AR24's slug; the HTTP layer (ar24.py) turns them into AR24's clear-JSON error envelope. The letters'
rules live in ar24_mails.py (a mixin of Ar24State).

Times: API fields hold AR24's Paris wall-time strings; what the rules compute with (negligence due, expiries,
autopilot) is stored as epoch seconds of the *sandbox* clock, so that advancing `ctx.clock` drives them.
Private bookkeeping keys start with "_" and never reach the API.
"""

from __future__ import annotations

import copy
import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp

from lsc_tui.sandbox.ar24_crypto import paris_date
from lsc_tui.sandbox.ar24_errors import Ar24Error
from lsc_tui.sandbox.ar24_mails import EMAIL_RE, MailRules
from lsc_tui.sandbox.ar24_proofs import check_pages
from lsc_tui.sandbox.context import SandboxContext

OTP_SESSION = timedelta(hours=1)  # user/auth_otp hash lifetime (KB-EIDAS, CC)


class Ar24State(MailRules):
    """Everything the fake AR24 remembers; registered with the context (dump / load / tick)."""

    def __init__(self, ctx: SandboxContext, accounts: dict[str, Any]) -> None:
        self.ctx = ctx
        self.token: str = accounts["token"]
        self.private_key: str = accounts["private_key"]
        self._initial_users = accounts.get("users", [])
        self.paper_extension = bool(accounts.get("paper_extension", False))  # §15: only some contracts
        self.reset()

    # ---- persistence ---------------------------------------------------------------------------------

    def reset(self) -> None:
        self.users: dict[int, dict[str, Any]] = {}
        self.attachments: dict[int, dict[str, Any]] = {}
        self.mails: dict[int, dict[str, Any]] = {}
        self.otp_hashes: dict[str, dict[str, Any]] = {}
        self.next_ids = {"mail": 1001, "attachment": 501, "consent": 1}
        self.maintenance = False
        for account in self._initial_users:
            user = copy.deepcopy(account)
            user["id"] = int(user["id"])
            user.setdefault("access_granted", True)
            user.setdefault("confirmed", True)
            user.setdefault("payment_methods", [])
            user["consents"] = [self._new_consent(c) for c in user.get("consents", [])]
            self.users[user["id"]] = user

    def dump(self) -> dict[str, Any]:
        return {
            "users": list(self.users.values()),
            "attachments": list(self.attachments.values()),
            "mails": list(self.mails.values()),
            "otp_hashes": self.otp_hashes,
            "next_ids": self.next_ids,
            "maintenance": self.maintenance,
        }

    def load(self, data: dict[str, Any]) -> None:
        self.users = {int(u["id"]): u for u in data.get("users", [])}
        self.attachments = {int(a["id"]): a for a in data.get("attachments", [])}
        self.mails = {int(m["id"]): m for m in data.get("mails", [])}
        self.otp_hashes = dict(data.get("otp_hashes", {}))
        self.next_ids = dict(data.get("next_ids", self.next_ids))
        self.maintenance = bool(data.get("maintenance", False))

    # ---- time ------------------------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.ctx.clock.now()

    def now_ts(self) -> float:
        return self.now().timestamp()

    def reference_times(self) -> list[datetime]:
        """Instants a request date / a TOTP is checked against: the sandbox clock, and also the wall clock
        once the sandbox clock has been pushed forward — so that a demo client on real time still gets in
        after "advance 15 days" (real AR24 and its clients share one clock; the sandbox jumps)."""
        times = [self.now()]
        if self.ctx.clock.offset_seconds:
            times.append(datetime.now(UTC))
        return times

    def _next(self, kind: str) -> int:
        value = int(self.next_ids[kind])
        self.next_ids[kind] = value + 1
        return value

    def _mail_out(self, to: str, subject: str, body: str, ref: str = "") -> None:
        self.ctx.outbox.send(self.ctx.clock, "ar24", "email", to, subject, body, ref)

    # ---- users -----------------------------------------------------------------------------------------

    def find_user(self, id_user: Any = None, email: Any = None) -> dict[str, Any]:
        if id_user not in (None, ""):
            try:
                user = self.users.get(int(str(id_user)))
            except ValueError:
                user = None
        elif email not in (None, ""):
            wanted = str(email).strip().lower()
            user = next((u for u in self.users.values() if u["email"].lower() == wanted), None)
        else:
            raise Ar24Error("missing_user_id")
        if user is None:
            raise Ar24Error("user_not_exist")
        return user

    def user_for_api(self, id_user: Any = None, email: Any = None) -> dict[str, Any]:
        """A user this API token may act for: it must have granted access (else `user_unavailable`)."""
        user = self.find_user(id_user, email)
        if not user.get("access_granted"):
            raise Ar24Error("user_unavailable")
        return user

    @staticmethod
    def public_user(user: dict[str, Any]) -> dict[str, Any]:
        has_payment = bool(user.get("payment_methods"))
        return {
            "id": user["id"],
            "firstname": user.get("firstname", ""),
            "lastname": user.get("lastname", ""),
            "name": f"{user.get('firstname', '')} {user.get('lastname', '')}".strip(),
            "email": user["email"],
            "statut": user.get("statut", "professionnel"),
            "company": user.get("company", ""),
            "country": user.get("country", "FR"),
            "confirmed": int(bool(user.get("confirmed"))),
            "cgu": 1,
            "payment_active": int(has_payment),
            "is_payment_possible": int(has_payment),
            "is_identity_verified": int(bool(user.get("otp_secret"))),
            "creation": user.get("creation", "2024-01-10 10:00:00"),
        }

    def request_access(self, user: dict[str, Any]) -> dict[str, Any]:
        """AR24 emails the account holder, who confirms; until then the account stays `user_unavailable`."""
        if not user.get("access_granted"):
            user["access_pending"] = True
            self._mail_out(
                user["email"],
                "Demande d'accès à votre compte AR24",
                "Un logiciel partenaire demande l'accès à votre compte AR24 pour envoyer des lettres "
                "recommandées en votre nom. Confirmez cette demande depuis votre espace AR24.",
                ref=f"user-{user['id']}",
            )
        return {"id_user": user["id"], "email": user["email"], "access_granted": int(user["access_granted"])}

    def grant_access(self, user: dict[str, Any]) -> None:
        user["access_granted"] = True
        user.pop("access_pending", None)
        user.pop("_access_at", None)

    # ---- OTP -------------------------------------------------------------------------------------------

    def totp_now(self, user: dict[str, Any]) -> str:
        return pyotp.TOTP(user["otp_secret"]).at(self.now())

    def otp_ok(self, user: dict[str, Any], otp: str) -> bool:
        secret = user.get("otp_secret")
        if not secret or not otp:
            return False
        totp = pyotp.TOTP(secret)
        return any(totp.verify(str(otp).strip(), for_time=t, valid_window=1) for t in self.reference_times())

    def auth_otp(self, user: dict[str, Any], otp: str) -> dict[str, Any]:
        if not self.otp_ok(user, otp):
            raise Ar24Error("authentication_otp_invalid")
        expires = self.now() + OTP_SESSION
        value = secrets.token_hex(32)
        self.otp_hashes[value] = {"id_user": user["id"], "expires_ts": expires.timestamp()}
        return {"hash": value, "expiration_date": paris_date(expires)}

    def hash_ok(self, user: dict[str, Any], value: str) -> bool:
        session = self.otp_hashes.get(str(value).strip())
        return bool(session and session["id_user"] == user["id"] and session["expires_ts"] > self.now_ts())

    def check_sender(self, user: dict[str, Any], otp: str | None, otp_hash: str | None) -> None:
        """Sender identification for eIDAS (§8): a TOTP, or the 1-hour hash; wrong → nothing happens."""
        if otp:
            if not self.otp_ok(user, otp):
                raise Ar24Error("authentication_otp_invalid")
        elif otp_hash:
            if not self.hash_ok(user, otp_hash):
                raise Ar24Error("authentication_otp_hash_invalid")
        else:
            raise Ar24Error("authentication_missing")

    # ---- consents (§15) --------------------------------------------------------------------------------

    def _new_consent(self, data: dict[str, Any]) -> dict[str, Any]:
        consent = {
            "id": self._next("consent"),
            "email": str(data["email"]).strip(),
            "firstname": data.get("firstname", ""),
            "lastname": data.get("lastname", ""),
            "status": data.get("status", "waiting"),
            "date": data.get("date"),
            "_token": secrets.token_hex(8),
        }
        if "_expires_ts" in data:
            consent["_expires_ts"] = data["_expires_ts"]
        return consent

    def consent_for(self, user: dict[str, Any], email: str) -> dict[str, Any] | None:
        wanted = email.strip().lower()
        return next((c for c in user["consents"] if c["email"].lower() == wanted), None)

    def has_consent(self, user: dict[str, Any], email: str) -> bool:
        consent = self.consent_for(user, email)
        return bool(consent and consent["status"] == "accepted")

    def request_consent(
        self, user: dict[str, Any], email: str, firstname: str, lastname: str, delay_days: int, origin: str
    ) -> dict[str, Any]:
        """Ask a recipient for consent; a repeated request for a waiting or accepted one changes nothing."""
        if not 3 <= delay_days <= 30:
            raise Ar24Error("invalid_delay_days")
        if not EMAIL_RE.match(email or ""):
            raise Ar24Error("invalid_email")
        consent = self.consent_for(user, email)
        if consent is None or consent["status"] == "refused":
            if consent is not None:
                user["consents"].remove(consent)
            consent = self._new_consent(
                {
                    "email": email,
                    "firstname": firstname,
                    "lastname": lastname,
                    "_expires_ts": self.now_ts() + delay_days * 86400,
                }
            )
            user["consents"].append(consent)
            sender = f"{user.get('firstname', '')} {user.get('lastname', '')}".strip()
            self._mail_out(
                email,
                "Consentement à recevoir des lettres recommandées électroniques",
                f"{sender} ({user.get('company', '')}) souhaite vous adresser ses courriers recommandés par voie "
                f"électronique. Donnez ou refusez votre accord ici : {origin}/consent/{consent['_token']} "
                f"(sans réponse sous {delay_days} jours, la demande vaut refus).",
                ref=f"consent-{consent['id']}",
            )
        return self.public_consent(consent, origin)

    def answer_consent(self, consent: dict[str, Any], accepted: bool) -> None:
        consent["status"] = "accepted" if accepted else "refused"
        consent["date"] = paris_date(self.now())
        consent.pop("_expires_ts", None)
        consent.pop("_auto_at", None)

    def consent_by_token(self, token: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        for user in self.users.values():
            for consent in user["consents"]:
                if secrets.compare_digest(consent["_token"].encode(), token.encode()):
                    return user, consent
        return None

    @staticmethod
    def public_consent(consent: dict[str, Any], origin: str) -> dict[str, Any]:
        accepted = consent["status"] == "accepted"
        return {
            "id_consent": consent["id"],
            "email": consent["email"],
            "firstname": consent.get("firstname", ""),
            "lastname": consent.get("lastname", ""),
            "status": consent["status"],
            "date": consent.get("date"),
            "proof_url": f"{origin}/get/proof/cs-{consent['id']}?token={consent['_token']}"
            if accepted
            else None,
            "link": f"{origin}/consent/{consent['_token']}",
        }

    # ---- attachments -----------------------------------------------------------------------------------

    def add_attachment(self, user: dict[str, Any], filename: str, data: bytes) -> dict[str, Any]:
        if not data or len(data) > 256 * 1024 * 1024:
            raise Ar24Error("attachment_too_big")
        pages = check_pages(data)
        attachment = {
            "id": self._next("attachment"),
            "id_user": user["id"],
            "filename": filename or "document.pdf",
            "filesize": len(data),
            "hash": hashlib.sha1(data).hexdigest(),
            "sha256": hashlib.sha256(data).hexdigest(),
            "upload_date": paris_date(self.now()),
            "is_pdf": pages.is_pdf,
            "non_a4_pages": pages.non_a4_pages if pages.is_pdf else [],
            "page_count": len(pages.pages),
        }
        self.attachments[attachment["id"]] = attachment
        return attachment
