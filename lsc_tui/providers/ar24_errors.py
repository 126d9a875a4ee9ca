"""AR24's error slugs (docs/providers/ar24.md §4, §15) as typed errors with a French sentence a property
manager can act on. AR24 answers every refusal as HTTP 200 + clear JSON `{"status": "ERROR", "slug"}`."""

from __future__ import annotations

from lsc_tui.providers.base import AuthError, NotFound, ProviderError, Rejected

_CLOCK_FR = (
    "L'horloge de ce poste est décalée de plus de 10 minutes : AR24 refuse la requête. "
    "Remettez le serveur à l'heure (NTP) puis réessayez."
)
_SIGNATURE_FR = "Signature refusée par AR24 : vérifiez la clé privée d'API dans la configuration."

CONSENT_FR = (
    "{name} n'a pas consenti aux lettres recommandées électroniques : demandez son consentement "
    "(« MAJ accord de consentement LRE ») ou envoyez la lettre en papier."
)

# slug → (error type, French sentence). Slugs from §4 (AR24) and §15 (our sandbox's additions).
ERRORS: dict[str, tuple[type[ProviderError], str]] = {
    "token_invalid": (AuthError, "Jeton d'API AR24 refusé : vérifiez le jeton dans la configuration."),
    "token_missing": (AuthError, "Jeton d'API AR24 absent : renseignez-le dans la configuration."),
    "empty_signature": (AuthError, _SIGNATURE_FR),
    "invalid_signature": (AuthError, _SIGNATURE_FR),
    "empty_date": (AuthError, _CLOCK_FR),
    "invalid_date": (AuthError, _CLOCK_FR),
    "expired_date": (AuthError, _CLOCK_FR),
    "date_in_future": (AuthError, _CLOCK_FR),
    "user_not_exist": (NotFound, "Aucun compte AR24 ne correspond à cette adresse électronique."),
    "missing_user_id": (Rejected, "Compte AR24 de l'expéditeur non renseigné."),
    "user_unavailable": (
        Rejected,
        "Le compte AR24 n'a pas autorisé l'accès : cliquez sur « Autoriser le compte » et confirmez le "
        "courriel reçu.",
    ),
    "user_account_not_confirmed": (
        Rejected,
        "Le compte AR24 n'est pas confirmé : son titulaire doit valider le courriel d'inscription.",
    ),
    "user_eula_not_accepted": (
        Rejected,
        "Le titulaire du compte AR24 n'a pas accepté les conditions générales d'utilisation.",
    ),
    "user_no_payment": (
        Rejected,
        "Aucun moyen de paiement sur le compte AR24 : ajoutez un prélèvement SEPA ou une carte avant d'envoyer.",
    ),
    "payment_method_not_exist": (
        Rejected,
        "Moyen de paiement inconnu chez AR24 : vérifiez celui de l'immeuble dans la configuration.",
    ),
    "missing_email": (Rejected, "Adresse électronique du destinataire manquante."),
    "invalid_email": (Rejected, "Adresse électronique du destinataire invalide."),
    "invalid_recipient": (
        Rejected,
        "Destinataire refusé par AR24 : vérifiez ses nom et adresse électronique.",
    ),
    "same_sender_recipients_emails": (Rejected, "Le destinataire ne peut pas être l'expéditeur lui-même."),
    "consent_missing": (Rejected, CONSENT_FR.format(name="Le destinataire")),
    "paper_not_available": (
        Rejected,
        "Votre contrat AR24 n'inclut pas l'envoi de lettres papier : imprimez cette lettre et envoyez-la par "
        "La Poste.",
    ),
    "invalid_dest_statut": (
        Rejected,
        "Statut du destinataire refusé par AR24 (particulier ou professionnel).",
    ),
    "missing_address": (
        Rejected,
        "Adresse postale du destinataire incomplète (adresse, code postal, ville) : lettre papier impossible.",
    ),
    "attachment_not_a4": (
        Rejected,
        "Lettre papier : toutes les pages doivent être au format A4 (une page est d'un autre format).",
    ),
    "attachment_too_big": (Rejected, "Pièce jointe vide ou trop volumineuse (256 Mo au plus par envoi)."),
    "attachment_missing_file": (Rejected, "Pièce jointe absente de l'envoi."),
    "attachment_empty_name": (Rejected, "Pièce jointe sans nom de fichier."),
    "attachment_not_exists": (Rejected, "Pièce jointe introuvable chez AR24 : renvoyez la lettre."),
    "attachment_unavailable": (Rejected, "Pièce jointe indisponible chez AR24 : renvoyez la lettre."),
    "error_no_content_no_attachment": (Rejected, "La lettre n'a ni texte ni pièce jointe."),
    "content_exceeds_limit": (Rejected, "Le texte de la lettre est trop long pour AR24."),
    "forbidden_html": (Rejected, "Le texte de la lettre contient une mise en forme refusée par AR24."),
    "authentication_otp_invalid": (Rejected, "Code OTP incorrect ou expiré : aucune lettre n'a été validée."),
    "authentication_otp_hash_invalid": (
        Rejected,
        "Session OTP expirée (elle dure une heure) : saisissez un nouveau code. Aucune lettre n'a été validée.",
    ),
    "authentication_missing": (
        Rejected,
        "Une LRE qualifiée eIDAS exige l'identification de l'expéditeur par code OTP.",
    ),
    "missing_erm_id": (NotFound, "Lettre introuvable chez AR24."),
    "mail_not_to_valid": (Rejected, "Cette lettre n'attend pas de validation OTP."),
    "invalid_delay_days": (Rejected, "Le délai de réponse au consentement doit être de 3 à 30 jours."),
}


def error_for(slug: str, message: str = "") -> ProviderError:
    """The typed error for an AR24 slug; unknown slugs stay readable (`Rejected` with the slug as reason)."""
    kind, text = ERRORS.get(slug, (Rejected, f"AR24 a refusé la demande ({slug or 'erreur inconnue'})."))
    if kind is Rejected:
        return Rejected(text, reason=slug, detail=slug, provider="ar24")
    return kind(text, detail=slug, provider="ar24")
