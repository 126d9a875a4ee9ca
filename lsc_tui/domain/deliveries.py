"""How the messages to signers read in the « Rapport des envois » (O3): their kinds and outcomes.

The rule of the report is that nothing reads « envoyé » on a guess. A message is « envoyé » only when the
provider said so — in its answer (a YouSign signer `notified` after activation: YouSign emailed the link) or in
a notification naming it (`signer.notified`, `signature_request.reminder_executed`); « échec » only when the
provider said the email could not be delivered (`signer.notification_delivery_failed`, yousign.md §8, a name
seen in integrations and not on an official page) or refused to send it. Asked for and not (yet) reported is
« non confirmé »; what a provider never reports (ESign's emails, YouSign's email of the signed document) is
« inconnu »; a signature in person sends no email at all.
"""

from __future__ import annotations

KIND_LABELS: dict[str, str] = {
    "invitation": "Invitation",
    "reminder": "Relance",
    "confirmation": "Confirmation",
}
OUTCOME_LABELS: dict[str, str] = {
    "pending": "Non confirmé",
    "sent": "Envoyé",
    "failed": "Échec",
    "none": "Aucun email",
    "unknown": "Inconnu",
}
OUTCOME_HELP: dict[str, str] = {
    "pending": "demandé au prestataire, qui n'a pas encore confirmé l'envoi",
    "sent": "le prestataire a confirmé l'envoi",
    "failed": "le prestataire signale que l'email n'a pas pu être remis",
    "none": "signature en présentiel : le lien a été montré à l'écran, aucun email",
    "unknown": "le prestataire ne rend pas compte de cet email",
}
ALERT = {"failed"}
AUTO = "auto"
"""`requested_by` of what the provider sent on its own (automatic reminders, the signed document)."""


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def outcome_label(outcome: str) -> str:
    return OUTCOME_LABELS.get(outcome, outcome)


def requester_label(login: str) -> str:
    return "automatique" if login == AUTO else login
