"""Keys of the signature screens (#9, #11): Accueil's own, the Signatures list, a fiche, the pre-flight, the
settings, the dialogs of cancel and of signing from a party."""

from __future__ import annotations

from lsc_tui.tui.keys.app_keys import EVERYWHERE
from lsc_tui.tui.keys.key import Key

HOME = (
    Key(
        "home.signature_settings",
        "s",
        "signature_settings",
        "Réglages signature",
        command=EVERYWHERE[0].command,
    ),
)


SIGNATURE_LIST = (
    Key("signatures.status", "t", "choose_status", "Statut", command="Signatures : filtrer par statut"),
    Key("signatures.entity", "e", "choose_entity", "Entité", command="Signatures : filtrer par entité"),
)


SIGNER_LIST = (Key("file.edit", "enter", "open", "Modifier"),)


SIGNATURE_FILE = (
    Key("file.back", "escape", "back", "Retour", show=False),
    Key("file.add", "plus", "add_signer", "Ajouter", command="Fiche signature : ajouter un signataire"),
    Key(
        "file.delete",
        "delete",
        "delete_signer",
        "Supprimer",
        command="Fiche signature : supprimer le signataire",
    ),
    Key("file.boxes", "p", "boxes", "Emplacements", command="Fiche signature : emplacements du signataire"),
    Key(
        "file.fix",
        "ctrl+r",
        "accept_fix",
        "Accepter la correction",
        show=False,
        command="Fiche signature : accepter la correction",
    ),
    Key("file.note", "m", "note", "Message", show=False, command="Fiche signature : message aux signataires"),
    Key("file.actions", "a", "actions", "Actions"),
)


PREFLIGHT = (
    Key("recap.open", "enter", "open", "Corriger"),
    Key("recap.fix", "ctrl+r", "accept_fix", "Accepter la correction"),
    Key("recap.send", "ctrl+s", "send_ready", "Envoyer les fiches prêtes"),
    Key("recap.close", "escape", "close", "Fermer"),
)


SIGNATURE_SETTINGS = (
    Key("settings.save", "ctrl+s", "save", "Enregistrer"),
    Key("settings.test", "ctrl+t", "test_access", "Tester l'accès au service"),
    Key("settings.cancel", "escape", "cancel", "Annuler"),
)


PDF_VIEW = (
    Key("pdf.previous", "pageup", "page(-1)", "Page préc.", command="Document : page précédente"),
    Key("pdf.next", "pagedown", "page(1)", "Page suiv.", command="Document : page suivante"),
    Key("pdf.close", "escape", "close", "Fermer"),
)


TEXT_DIALOG = (Key("text.cancel", "escape", "cancel", "Annuler"),)


CANCEL_DIALOG = (
    Key("cancel.confirm", "ctrl+s", "confirm", "Annuler les fiches"),
    Key("cancel.close", "escape", "close", "Ne rien annuler"),
)
"""« Annuler la demande » (S9): one reason and one note for the whole selection."""


SEND_REPORT = (
    Key(
        "report.outcome",
        "t",
        "choose_outcome",
        "Résultat",
        command="Rapport des envois : filtrer par résultat",
    ),
    Key("report.export", "e", "export", "Exporter", command="Rapport des envois : exporter en CSV"),
)
"""« Rapport des envois » (O3)."""


LINKS = (Key("links.close", "escape,enter", "close", "Fermer"),)


SIGN_DIRECT = (
    Key("direct.send", "ctrl+s", "send", "Envoyer"),
    Key(
        "direct.add",
        "ctrl+n",
        "add_signer",
        "Signataire",
        command="Signer électroniquement : autre signataire",
    ),
    Key(
        "direct.drop",
        "ctrl+k",
        "drop_file",
        "Retirer",
        command="Signer électroniquement : retirer le dernier PDF",
    ),
    Key("direct.cancel", "escape", "cancel", "Annuler", show=False),
)
"""« Signer électroniquement » from a party (S11)."""


DIRECT_SIGNER = (
    Key("signer.save", "ctrl+s", "save", "Valider"),
    Key("signer.cancel", "escape", "cancel", "Annuler"),
)
