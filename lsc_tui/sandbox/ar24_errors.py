"""AR24's error slugs and their (English) messages, as the fake server answers them (spec §4, §15).

AR24 reports business refusals as HTTP 200 + clear JSON {"status": "ERROR", "slug", "message"}; the messages
below are AR24's where the spec prints them, ours for the slugs of §15.
"""

from __future__ import annotations

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
    "invalid_dest_statut": "dest_statut must be particulier or professionnel",
    "paper_not_available": "Paper registered letters are not part of this account's AR24 contract",
}


class Ar24Error(Exception):
    """A business refusal, reported by AR24 as HTTP 200 + {"status": "ERROR", "slug", "message"}."""

    def __init__(self, slug: str, message: str | None = None) -> None:
        super().__init__(slug)
        self.slug = slug
        self.message = message or MESSAGES.get(slug, "An error occurred")
