"""The fake AR24's memory and rules: users, attachments, mails, consents, OTP sessions, the 15-day clock.

Written from docs/providers/ar24.md (§5–§12, §15), not from our client. Business failures raise `Ar24Error`
with AR24's slug; the HTTP layer (ar24.py) turns them into AR24's clear-JSON error envelope.

Times: API fields hold AR24's Paris wall-time strings; what the rules compute with (negligence due, expiries,
autopilot) is stored as epoch seconds of the *sandbox* clock, so that advancing `ctx.clock` drives them.
Private bookkeeping keys start with "_" and never reach the API.
"""

from __future__ import annotations

import copy
import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp

from lsc_tui.sandbox.ar24_crypto import paris_date
from lsc_tui.sandbox.ar24_proofs import check_pages
from lsc_tui.sandbox.context import SandboxContext

NEGLIGENCE_DAYS = 15  # R53-3: the recipient has 15 days from the day after notification
REMINDER_DAYS = (3, 6, 9, 12)  # AR24 emails reminders every 2–3 days during the window (AR24-NG)
OTP_SESSION = timedelta(hours=1)  # user/auth_otp hash lifetime (KB-EIDAS, CC)
PRICES_HT = {"lre": 3.99, "ere": 1.99, "lr": 5.49}  # sandbox figures for cost previews, not AR24's tariff
PAPER_COLOUR_SURCHARGE_HT = 0.30
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

MESSAGES = {
    "token_missing": "The token is missing in your request",
    "token_invalid": "Your token is not valid",
    "empty_date": "The date is missing in your request",
    "invalid_date": "Wrong date format (must be YYYY-MM-DD HH:mm:ss)",
    "expired_date": "Given datetime is older than current datetime",
    "date_in_future": "Given datetime must be set between call submission and +10 minutes",
    "empty_signature": "The signature header is missing",
    "invalid_signature": "The signature does not match the given date",
    "missing_user_id": "Please provide a user ID",
    "user_not_exist": "There is not a user with this address on AR24",
    "user_unavailable": "You tried to access a resource that is not related to your API",
    "user_account_not_confirmed": "The user account is not confirmed",
    "missing_email": "Please provide the recipient email",
    "invalid_email": "The recipient email is not valid",
    "same_sender_recipients_emails": "Sender and recipient must have different emails",
    "attachment_missing_file": "Please provide a file",
    "attachment_too_big": "The attachment is empty or too big",
    "attachment_not_exists": "The attachment does not exist",
    "attachment_not_a4": "Paper letters are printed on A4: some pages are not A4",
    "error_no_content_no_attachment": "Please provide a content or an attachment",
    "user_no_payment": "The user or his master has no payment method",
    "payment_method_not_exist": "Unknown payment method for this user",
    "consent_missing": "The recipient has not consented to receive electronic registered mail",
    "missing_address": "The recipient postal address is incomplete",
    "authentication_missing": "Invalid eidas identification (ssl or otp)",
    "authentication_otp_invalid": "Invalid otp code",
    "authentication_otp_hash_invalid": "Invalid or expired otp hash",
    "missing_erm_id": "Please provide a valid mail ID",
    "mail_not_to_valid": "This mail is not waiting for validation",
    "invalid_delay_days": "delay_days must be between 3 and 30",
    "invalid_transition": "This event is not possible in the mail's status",
}

# kind of proof → the mail field holding its date (§9)
PROOF_DATES = {
    "dp": "date",
    "ev": "ts_ev_date",
    "ar": "view_date",
    "rf": "refused_date",
    "ng": "negligence_date",
    "bc": "bounced_date",
}


class Ar24Error(Exception):
    """A business refusal, reported by AR24 as HTTP 200 + {"status": "ERROR", "slug", "message"}."""

    def __init__(self, slug: str, message: str | None = None) -> None:
        super().__init__(slug)
        self.slug = slug
        self.message = message or MESSAGES.get(slug, "An error occurred")


def _flag(value: Any) -> bool:
    """AR24 booleans travel as "0"/"1" (also accept true/false)."""
    return str(value).strip().lower() in {"1", "true", "on", "yes"}


class Ar24State:
    """Everything the fake AR24 remembers; registered with the context (dump / load / tick)."""

    def __init__(self, ctx: SandboxContext, accounts: dict[str, Any]) -> None:
        self.ctx = ctx
        self.token: str = accounts["token"]
        self.private_key: str = accounts["private_key"]
        self._initial_users = accounts.get("users", [])
        self.reset()

    # ---- persistence ---------------------------------------------------------------------------------

    def reset(self) -> None:
        self.users: dict[int, dict[str, Any]] = {}
        self.attachments: dict[int, dict[str, Any]] = {}
        self.mails: dict[int, dict[str, Any]] = {}
        self.otp_hashes: dict[str, dict[str, Any]] = {}
        self.refs: dict[str, int] = {}  # "id_user:ref_dossier" → mail id (idempotency)
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
            "refs": self.refs,
            "next_ids": self.next_ids,
            "maintenance": self.maintenance,
        }

    def load(self, data: dict[str, Any]) -> None:
        self.users = {int(u["id"]): u for u in data.get("users", [])}
        self.attachments = {int(a["id"]): a for a in data.get("attachments", [])}
        self.mails = {int(m["id"]): m for m in data.get("mails", [])}
        self.otp_hashes = dict(data.get("otp_hashes", {}))
        self.refs = {k: int(v) for k, v in data.get("refs", {}).items()}
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
            "proof_url": f"{origin}/get/proof/cs-{consent['id']}?token={consent['_token']}" if accepted else None,
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

    # ---- mails -----------------------------------------------------------------------------------------

    def create_mail(self, user: dict[str, Any], form: dict[str, Any]) -> dict[str, Any]:
        """POST mail (§7 + §15). Checks run in a fixed order; the first failure is reported."""
        if not user.get("confirmed"):
            raise Ar24Error("user_account_not_confirmed")
        ref = str(form.get("ref_dossier") or "").strip()
        if ref and f"{user['id']}:{ref}" in self.refs:  # idempotency: same reference → the same letter
            return self.mails[self.refs[f"{user['id']}:{ref}"]]
        paper = _flag(form.get("paper", "0"))
        eidas = _flag(form.get("eidas", "0")) and not paper
        to_email = str(form.get("to_email") or "").strip()
        if to_email or not paper:
            if not to_email:
                raise Ar24Error("missing_email")
            if not EMAIL_RE.match(to_email):
                raise Ar24Error("invalid_email")
            if to_email.lower() == user["email"].lower():
                raise Ar24Error("same_sender_recipients_emails")
        attachments = []
        for raw in form.get("attachments", []):
            try:
                attachment = self.attachments.get(int(raw))
            except ValueError:
                attachment = None
            if attachment is None or attachment["id_user"] != user["id"]:
                raise Ar24Error("attachment_not_exists")
            attachments.append(attachment)
        content = str(form.get("content") or "")
        if not content.strip() and not attachments:
            raise Ar24Error("error_no_content_no_attachment")
        dest_statut = str(form.get("dest_statut") or "particulier").strip()
        address = {k: str(form.get(k) or "").strip() for k in ADDRESS_FIELDS}
        if paper:
            if not (address["to_address1"] and address["to_zipcode"] and address["to_city"]):
                raise Ar24Error("missing_address")
            bad = [f"{a['filename']} p. {', '.join(map(str, a['non_a4_pages']))}" for a in attachments if a["non_a4_pages"]]
            bad += [f"{a['filename']} (pas un PDF)" for a in attachments if not a["is_pdf"]]
            if bad:
                raise Ar24Error("attachment_not_a4", f"{MESSAGES['attachment_not_a4']}: {'; '.join(bad)}")
        elif (not eidas or dest_statut == "particulier") and not self.has_consent(user, to_email):
            # LRE to a non-professional needs consent (L100); Avis électronique needs it from everyone (§1)
            raise Ar24Error("consent_missing")
        methods = user.get("payment_methods") or []
        if not methods:
            raise Ar24Error("user_no_payment")
        wanted_method = str(form.get("id_payment_method") or "").strip()
        method = methods[0]
        if wanted_method:
            method = next((m for m in methods if str(m["id"]) == wanted_method), None)
            if method is None:
                raise Ar24Error("payment_method_not_exist")
        status = "waiting"
        if eidas:
            otp, otp_hash = form.get("otp"), form.get("auth_otp_hash")
            if not otp and not otp_hash and _flag(form.get("to_valid", "0")):
                status = "to_valid"
            else:
                self.check_sender(user, otp, otp_hash)
        kind = "lr" if paper else "lre" if eidas else "ere"
        price = PRICES_HT[kind] + (PAPER_COLOUR_SURCHARGE_HT if paper and _flag(form.get("color")) else 0.0)
        mail_id = self._next("mail")
        content_hash = hashlib.sha256((content + "".join(a["sha256"] for a in attachments)).encode())
        first, last = str(form.get("to_firstname") or ""), str(form.get("to_lastname") or "")
        company = str(form.get("to_company") or "")
        mail: dict[str, Any] = {
            "id": mail_id,
            "type": kind,
            "status": status,
            "custom_ref": None,
            "creation": paris_date(self.now()),
            "from_name": f"{user.get('lastname', '')} {user.get('firstname', '')}".strip(),
            "from_email": user["email"],
            "to_name": " ".join(x for x in (company, first, last) if x),
            "to_firstname": first,
            "to_lastname": last,
            "to_company": company,
            "to_email": to_email,
            "dest_statut": dest_statut,
            **address,
            "id_sender": user["id"],
            "id_creator": user["id"],
            "price_ht": round(price, 2),
            "payment_slug": f"sepa-{method['id']}",
            "id_payment_method": method["id"],
            "ref_dossier": ref or None,
            "ref_client": form.get("ref_client") or None,
            "ref_facturation": form.get("ref_facturation") or None,
            "content": content,
            "date": None,
            "full_hash_sha256": content_hash.hexdigest().upper(),
            "send_fail": 0,
            "is_eidas": int(eidas),
            "is_paper": int(paper),
            "color": int(paper and _flag(form.get("color"))),
            "duplex": int(paper and _flag(form.get("duplex"))),
            "ts_ev_date": None,
            "view_date": None,
            "refused_date": None,
            "negligence_date": None,
            "bounced_date": None,
            "attachments": [a["id"] for a in attachments],
            "attachments_details": [
                {"id": a["id"], "name": a["filename"], "hash_sha1": a["hash"], "file_size": a["filesize"]}
                for a in attachments
            ],
            "_token": secrets.token_hex(8),
        }
        self.mails[mail_id] = mail
        if ref:
            self.refs[f"{user['id']}:{ref}"] = mail_id
        if status == "waiting":
            self.deposit(mail)
        return mail

    def deposit(self, mail: dict[str, Any]) -> None:
        mail["status"] = "waiting"
        mail["date"] = paris_date(self.now())

    def validate(
        self, user: dict[str, Any], ids: list[str], otp: str | None, otp_hash: str | None
    ) -> dict[str, Any]:
        """mail/validate (§15): all-or-nothing on the code, then one outcome per mail id."""
        if not ids:
            raise Ar24Error("missing_erm_id")
        self.check_sender(user, otp, otp_hash)
        done, errors = [], []
        for raw in ids:
            try:
                mail = self.mails.get(int(raw))
            except ValueError:
                mail = None
            if mail is None or mail["id_sender"] != user["id"]:
                errors.append({"id": raw, "slug": "missing_erm_id", "message": MESSAGES["missing_erm_id"]})
            elif mail["status"] != "to_valid":
                errors.append(
                    {
                        "id": mail["id"],
                        "slug": "mail_not_to_valid",
                        "message": MESSAGES["mail_not_to_valid"],
                        "mail_status": mail["status"],
                    }
                )
            else:
                self.deposit(mail)
                done.append(mail)
        return {"mails": done, "errors": errors}

    def mail_for_api(self, mail_id: Any, id_user: Any = None) -> dict[str, Any]:
        try:
            mail = self.mails.get(int(str(mail_id)))
        except ValueError:
            mail = None
        if mail is None or (id_user not in (None, "") and str(mail["id_sender"]) != str(id_user)):
            raise Ar24Error("missing_erm_id")
        self.user_for_api(mail["id_sender"])
        return mail

    def public_mail(self, mail: dict[str, Any], origin: str) -> dict[str, Any]:
        out = {k: v for k, v in mail.items() if not k.startswith("_")}
        token = mail["_token"]
        for kind, date_field in PROOF_DATES.items():
            out[f"proof_{kind}_url"] = (
                f"{origin}/get/proof/{kind}-{mail['id']}?token={token}" if mail.get(date_field) else None
            )
        out["pdf_content"] = f"{origin}/get/content/{mail['id']}?token={token}" if mail.get("date") else None
        return out

    # ---- events (control routes, autopilot, clock) -----------------------------------------------------

    def apply_event(self, mail: dict[str, Any], event: str) -> dict[str, Any]:
        """send | accept | refuse | bounce, following §10's machine; anything else → invalid_transition."""
        status = mail["status"]
        if event == "send" and status == "waiting":
            self._notify(mail)
        elif event in {"accept", "refuse"} and status in {"waiting", "sent"}:
            if status == "waiting":
                self._notify(mail)
            now = paris_date(self.now())
            if event == "accept":
                mail.update(status="AR", view_date=now)
                self._tell_sender(mail, "Accusé de réception", "a été acceptée par son destinataire")
            else:
                mail.update(status="refused", refused_date=now)
                self._tell_sender(mail, "Refus", "a été refusée par son destinataire")
        elif event == "bounce" and status in {"waiting", "sent"}:
            mail.update(status="bounced", bounced_date=paris_date(self.now()))
            self._tell_sender(mail, "Non distribuable", "n'a pas pu être notifiée (adresse invalide)")
        else:
            raise Ar24Error("invalid_transition", f"Cannot {event} a mail in status {status}")
        mail.pop("_auto_at", None)
        return mail

    def _notify(self, mail: dict[str, Any]) -> None:
        """waiting → sent: the recipient is told a letter awaits — never who sent it (R53-3)."""
        mail.update(status="sent", ts_ev_date=paris_date(self.now()))
        mail["_ev_ts"] = self.now_ts()
        mail["_reminders"] = 0
        if mail.get("to_email") and not mail.get("is_paper"):
            self._mail_out(
                mail["to_email"],
                "Vous avez reçu une lettre recommandée électronique",
                "Un envoi recommandé électronique vous attend (n° "
                f"{mail['id']}). Vous disposez de {NEGLIGENCE_DAYS} jours à compter de demain pour "
                "l'accepter ou le refuser. L'identité de l'expéditeur vous sera communiquée à l'acceptation.",
                ref=f"mail-{mail['id']}",
            )

    def _tell_sender(self, mail: dict[str, Any], subject: str, what: str) -> None:
        self._mail_out(
            mail["from_email"],
            f"AR24 — {subject} (envoi n° {mail['id']})",
            f"Votre envoi n° {mail['id']} à {mail.get('to_email') or mail.get('to_name')} {what}.",
            ref=f"mail-{mail['id']}",
        )

    def tick(self) -> None:
        """Apply what is due at the sandbox clock: reminders, negligence, consent expiry, autopilot."""
        now_ts = self.now_ts()
        autopilot = self.ctx.autopilot
        for mail in self.mails.values():
            if mail["status"] == "sent" and "_ev_ts" in mail:
                self._remind(mail, now_ts)
                due = mail["_ev_ts"] + NEGLIGENCE_DAYS * 86400
                if now_ts >= due:
                    mail.update(
                        status="negligence",
                        negligence_date=paris_date(datetime.fromtimestamp(due, UTC)),
                    )
                    mail.pop("_auto_at", None)
                    self._tell_sender(mail, "Négligence", "n'a pas été réclamée dans le délai de 15 jours")
                    continue
            if autopilot.enabled and mail["status"] in {"waiting", "sent"}:
                if "_auto_at" not in mail:
                    mail["_auto_at"] = now_ts + autopilot.delay()
                elif now_ts >= mail["_auto_at"]:
                    if mail["status"] == "waiting":
                        self.apply_event(mail, "send")
                        mail["_auto_at"] = now_ts + autopilot.delay()
                    else:
                        self.apply_event(mail, "accept" if autopilot.signs() else "refuse")
        for user in self.users.values():
            if autopilot.enabled and user.get("access_pending"):
                user.setdefault("_access_at", now_ts + autopilot.delay())
                if now_ts >= user["_access_at"]:
                    self.grant_access(user)
            for consent in user["consents"]:
                if consent["status"] != "waiting":
                    continue
                if now_ts >= consent.get("_expires_ts", float("inf")):
                    self.answer_consent(consent, accepted=False)
                elif autopilot.enabled:
                    consent.setdefault("_auto_at", now_ts + autopilot.delay())
                    if now_ts >= consent["_auto_at"]:
                        self.answer_consent(consent, accepted=autopilot.signs())

    def _remind(self, mail: dict[str, Any], now_ts: float) -> None:
        for number, day in enumerate(REMINDER_DAYS, start=1):
            if mail["_reminders"] < number <= len(REMINDER_DAYS) and now_ts >= mail["_ev_ts"] + day * 86400:
                mail["_reminders"] = number
                if mail.get("to_email") and not mail.get("is_paper"):
                    self._mail_out(
                        mail["to_email"],
                        "Rappel : une lettre recommandée électronique vous attend",
                        f"L'envoi recommandé électronique n° {mail['id']} attend toujours votre réponse.",
                        ref=f"mail-{mail['id']}",
                    )


ADDRESS_FIELDS = ("to_address1", "to_address2", "to_zipcode", "to_city", "to_country")
