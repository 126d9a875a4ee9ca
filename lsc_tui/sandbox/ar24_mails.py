"""The fake AR24's letters: POST mail rules, the OTP validation queue, events, reminders and negligence.

A mixin of `Ar24State` (ar24_state.py), split out to keep each module readable; it works on the state's
dictionaries and speaks AR24's field names (§7, §9, §10, §15). Events follow §10's machine:
to_valid → waiting → sent → AR | refused | negligence, and waiting | sent → bounced.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from lsc_tui.sandbox.ar24_callbacks import announce
from lsc_tui.sandbox.ar24_crypto import paris_date
from lsc_tui.sandbox.ar24_errors import MESSAGES, Ar24Error

if TYPE_CHECKING:
    from lsc_tui.sandbox.context import SandboxContext

NEGLIGENCE_DAYS = 15  # R53-3: the recipient has 15 days from the day after notification
REMINDER_DAYS = (3, 6, 9, 12)  # AR24 emails reminders every 2–3 days during the window (AR24-NG)
PRICES_HT = {"lre": 3.99, "ere": 1.99, "lr": 5.49}  # sandbox figures for cost previews, not AR24's tariff
PAPER_COLOUR_SURCHARGE_HT = 0.30
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DEST_STATUTS = {"particulier", "professionnel"}  # French spelling (§7, §13.6); anything else is refused
ADDRESS_FIELDS = ("to_address1", "to_address2", "to_zipcode", "to_city", "to_country")

# kind of proof → the mail field holding its date (§9)
PROOF_DATES = {
    "dp": "date",
    "ev": "ts_ev_date",
    "ar": "view_date",
    "rf": "refused_date",
    "ng": "negligence_date",
    "bc": "bounced_date",
}


def _flag(value: Any) -> bool:
    """AR24 booleans travel as "0"/"1" (also accept true/false)."""
    return str(value).strip().lower() in {"1", "true", "on", "yes"}


class MailRules:
    """Letters' rules; `Ar24State` provides the storage and the helpers declared below."""

    ctx: SandboxContext
    users: dict[int, dict[str, Any]]
    attachments: dict[int, dict[str, Any]]
    mails: dict[int, dict[str, Any]]
    paper_extension: bool

    if TYPE_CHECKING:

        def now(self) -> datetime: ...

        def now_ts(self) -> float: ...

        def _next(self, kind: str) -> int: ...

        def _mail_out(self, to: str, subject: str, body: str, ref: str = "") -> None: ...

        def has_consent(self, user: dict[str, Any], email: str) -> bool: ...

        def check_sender(self, user: dict[str, Any], otp: str | None, otp_hash: str | None) -> None: ...

        def user_for_api(self, id_user: Any = None, email: Any = None) -> dict[str, Any]: ...

        def grant_access(self, user: dict[str, Any]) -> None: ...

        def answer_consent(self, consent: dict[str, Any], accepted: bool) -> None: ...

    # ---- mails -----------------------------------------------------------------------------------------

    def create_mail(self, user: dict[str, Any], form: dict[str, Any]) -> dict[str, Any]:
        """POST mail (§7 + §15). Checks run in a fixed order; the first failure is reported."""
        if not user.get("confirmed"):
            raise Ar24Error("user_account_not_confirmed")
        ref = str(form.get("ref_dossier") or "").strip()  # AR24 does not deduplicate on it: neither do we
        paper = _flag(form.get("paper", "0"))
        if paper and not self.paper_extension:
            raise Ar24Error("paper_not_available")
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
        if dest_statut not in DEST_STATUTS:
            raise Ar24Error("invalid_dest_statut")
        address = {k: str(form.get(k) or "").strip() for k in ADDRESS_FIELDS}
        if paper:
            if not (address["to_address1"] and address["to_zipcode"] and address["to_city"]):
                raise Ar24Error("missing_address")
            bad = [
                f"{a['filename']} p. {', '.join(map(str, a['non_a4_pages']))}"
                for a in attachments
                if a["non_a4_pages"]
            ]
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
        webhook = str(form.get("webhook") or "").strip()
        if webhook.startswith(("http://", "https://")):
            mail["_webhook"] = webhook
        mail["_origin"] = str(form.get("_origin") or "")
        self.mails[mail_id] = mail
        if status == "waiting":
            self.deposit(mail)
        return mail

    def deposit(self, mail: dict[str, Any]) -> None:
        mail["status"] = "waiting"
        mail["date"] = paris_date(self.now())
        self._changed(mail)

    def _changed(self, mail: dict[str, Any]) -> None:
        """After every status change: the letter's `webhook`, if it was given one, is called (§11). The public
        view is built only then: it was a quarter of the sandbox's CPU per `mail/validate` of 25 letters."""
        if mail.get("_webhook"):
            announce(self.ctx, mail, self.public_mail(mail, mail.get("_origin", "")))

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
                self._changed(mail)
            else:
                mail.update(status="refused", refused_date=now)
                self._tell_sender(mail, "Refus", "a été refusée par son destinataire")
                self._changed(mail)
        elif event == "bounce" and status in {"waiting", "sent"}:
            mail.update(status="bounced", bounced_date=paris_date(self.now()))
            self._tell_sender(mail, "Non distribuable", "n'a pas pu être notifiée (adresse invalide)")
            self._changed(mail)
        else:
            raise Ar24Error("invalid_transition", f"Cannot {event} a mail in status {status}")
        mail.pop("_auto_at", None)
        return mail

    def _notify(self, mail: dict[str, Any]) -> None:
        """waiting → sent: the recipient is told a letter awaits — never who sent it (R53-3)."""
        mail.update(status="sent", ts_ev_date=paris_date(self.now()))
        mail["_ev_ts"] = self.now_ts()
        mail["_reminders"] = 0
        self._changed(mail)
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
            if (
                autopilot.enabled
                and autopilot.recipient_days
                and mail["status"] == "sent"
                and "_ev_ts" in mail
            ):
                self._answer_in_days(mail, now_ts)
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
                    self._changed(mail)
                    continue
            if autopilot.enabled and mail["status"] in {"waiting", "sent"}:
                if "_auto_at" not in mail:
                    mail["_auto_at"] = now_ts + autopilot.delay()
                elif now_ts >= mail["_auto_at"]:
                    if mail["status"] == "waiting":
                        self.apply_event(mail, "send")
                        mail["_auto_at"] = now_ts + autopilot.delay()
                    elif autopilot.recipient_days:
                        mail.pop("_auto_at", None)  # answered by _answer_in_days, on the recipient's day
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

    def _answer_in_days(self, mail: dict[str, Any], now_ts: float) -> None:
        """The recipient's answer on its day (demo autopilot): ids ending in 0 refuse on day 4, in 1 never answer
        (negligence), the others accept on day 1 + id % 5; the proof carries that day, not the tick's."""
        outcome = int(mail["id"]) % 10
        if outcome == 1:
            return
        day = 4 if outcome == 0 else 1 + int(mail["id"]) % 5
        at = mail["_ev_ts"] + day * 86400
        if now_ts < at:
            return
        self.apply_event(mail, "refuse" if outcome == 0 else "accept")
        mail["refused_date" if outcome == 0 else "view_date"] = paris_date(datetime.fromtimestamp(at, UTC))

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
