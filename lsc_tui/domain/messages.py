"""Message templates of the signature workflow (O5): the words the firm adds to the provider's emails —
invitation, cancellation, reminder, confirmation — and the text at the top of the signing page.

They are mail-merged like letters, with their own list of variables (the signature file's title, its
deadline, its signers…), and what reaches YouSign is at most 500 characters (`email_custom_note`, the
cancellation's `custom_note`): a text that would be cut is refused when saved, measured with sample values,
and cut at a word with « … » if real names are longer still, never refused at sending time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from lsc_tui.domain.mailmerge import VARIABLES as LETTER_VARIABLES
from lsc_tui.domain.mailmerge import describe_unknown, merge, unknown_variables

MAX_LENGTH = 500
"""YouSign's limit for `email_custom_note` and for a cancellation's `custom_note`."""
MAX_TYPED = 2000
"""Longest text kept as typed (variables may make it shorter once merged)."""


class MessageKind(StrEnum):
    INVITATION = "invitation"
    CANCELLATION = "cancellation"
    REMINDER = "reminder"
    CONFIRMATION = "confirmation"
    SIGNING_PAGE = "signing_page"

    @property
    def label(self) -> str:
        return {
            "invitation": "Invitation à signer",
            "cancellation": "Annulation",
            "reminder": "Relance",
            "confirmation": "Confirmation de signature",
            "signing_page": "Texte de la page de signature",
        }[self.value]

    @property
    def short(self) -> str:
        """For a narrow list."""
        return {
            "invitation": "Invitation",
            "cancellation": "Annulation",
            "reminder": "Relance",
            "confirmation": "Confirmation",
            "signing_page": "Page de signature",
        }[self.value]

    @property
    def provider_field(self) -> str:
        """Where the text goes at the provider (what the screen tells the person editing it)."""
        return {
            "invitation": "YouSign : email_custom_note de la demande, à l'envoi",
            "cancellation": "YouSign : custom_note de l'annulation",
            "reminder": "ajouté aux relances faites depuis lsc-tui",
            "confirmation": "ajouté à la confirmation envoyée une fois le document signé",
            "signing_page": "en tête de la page de signature (ESign, signature en présentiel)",
        }[self.value]


_SHARED = (
    "entite.nom",
    "tiers.nom",
    "gerant.nom",
    "gerant.email",
    "administration.nom",
    "date",
    "chrono",
    "lot",
)
VARIABLES: dict[str, str] = {
    "document.titre": "Objet de la fiche signature (titre du document)",
    "signataires": "Prénom et nom de chaque signataire",
    "echeance": "Date limite de signature",
    "expediteur.nom": "Nom de l'utilisateur qui envoie (ou relance, annule)",
    **{name: LETTER_VARIABLES[name] for name in _SHARED},
}
"""What a message may use: the signature file's own variables, and those of letters that make sense here."""

SAMPLE: dict[str, str] = {
    "document.titre": "Bail d'habitation — lot 12",
    "signataires": "Jean Dupont, Sophie Martin",
    "echeance": "8 décembre 2026",
    "expediteur.nom": "Claire Martin",
    "entite.nom": "Résidence Les Exemples",
    "tiers.nom": "M. DUPONT Jean, Mme MARTIN Sophie",
    "gerant.nom": "Claire Martin",
    "gerant.email": "gerant@exemple.fr",
    "administration.nom": "Cabinet Exemple",
    "date": "23 novembre 2026",
    "chrono": "2026-000123",
    "lot": "12",
}
"""Plausible values for the live preview: as long as real ones, so the 500-character count is honest."""

DEFAULTS: dict[MessageKind, str] = {
    MessageKind.INVITATION: (
        "Bonjour,\n{administration.nom} vous invite à signer électroniquement « {document.titre} »"
        " avant le {echeance}. Pour toute question : {gerant.nom} ({gerant.email})."
    ),
    MessageKind.CANCELLATION: (
        "Bonjour,\nla demande de signature « {document.titre} » est annulée : vous n'avez plus rien à signer."
        " {gerant.nom}, {administration.nom}."
    ),
    MessageKind.REMINDER: (
        "Bonjour,\nnous attendons encore votre signature de « {document.titre} », possible jusqu'au {echeance}."
    ),
    MessageKind.CONFIRMATION: "Merci : « {document.titre} » est signé par tous. {administration.nom}.",
    MessageKind.SIGNING_PAGE: "{administration.nom} — « {document.titre} » : lisez le document jusqu'au bout avant de signer.",
}


@dataclass(frozen=True)
class MessagePreview:
    text: str
    """The message as the signer would read it (sample values), cut to `MAX_LENGTH` at most."""
    length: int
    """Characters once merged, before any cut."""
    problems: tuple[str, ...]
    """Why it cannot be saved as is: unknown variables (by name), too long."""


def fit(text: str, limit: int = MAX_LENGTH) -> str:
    """`text` within `limit` characters: cut after the last whole word that fits, with « … »."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:") + "…"


def problems_of(text: str, merged_length: int) -> tuple[str, ...]:
    found = []
    unknown = unknown_variables(text, catalogue=VARIABLES)
    if unknown:
        found.append(describe_unknown(unknown))
    if len(text) > MAX_TYPED:
        found.append(f"Texte trop long : {MAX_TYPED} caractères au plus.")
    elif merged_length > MAX_LENGTH:
        found.append(
            f"Avec des valeurs d'exemple, le message fait {merged_length} caractères : le prestataire en accepte"
            f" {MAX_LENGTH} au plus ; raccourcissez-le."
        )
    return tuple(found)


def render(text: str, values: Mapping[str, str]) -> str:
    """The message with `values`, within the provider's limit."""
    return fit(merge(text, values, VARIABLES).text)


def preview(text: str, values: Mapping[str, str] = SAMPLE) -> MessagePreview:
    merged = merge(text, values, VARIABLES).text.strip()
    return MessagePreview(fit(merged), len(merged), problems_of(text, len(merged)))
