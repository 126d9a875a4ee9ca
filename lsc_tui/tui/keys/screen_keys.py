"""Keys of the lists, forms and dialogs shared by every module, and of the registered-letters screens."""

from __future__ import annotations

from lsc_tui.tui.keys.key import Key

RECORD_LIST = (
    Key("list.up", "up", "move(-1)", "Ligne précédente", show=False, palette=False),
    Key("list.down", "down", "move(1)", "Ligne suivante", show=False, palette=False),
    Key("list.pageup", "pageup", "page(-1)", "Page précédente", show=False, palette=False),
    Key("list.pagedown", "pagedown", "page(1)", "Page suivante", show=False, palette=False),
    Key("list.home", "home", "edge(0)", "Première ligne", show=False, palette=False),
    Key("list.end", "end", "edge(1)", "Dernière ligne", show=False, palette=False),
    Key("list.tick", "space", "toggle", "Cocher"),
    Key("list.tick_all", "ctrl+a", "toggle_all", "Tout cocher", show=False),
    Key("list.open", "enter", "open", "Ouvrir"),
)


LIST_SCREEN = (
    Key("list.filter", "slash", "filter", "Filtrer"),
    Key("list.clear", "escape", "clear_filter", "Effacer le filtre", show=False, palette=False),
    Key("list.actions", "a", "actions", "Actions"),
)


TEMPLATES = (
    Key("templates.new", "n", "new", "Nouveau"),
    Key("templates.delete", "delete", "delete", "Supprimer"),
)


PARTIES = (
    Key("parties.history", "h", "history", "Suivi", command="Tiers : suivi des signatures et lettres"),
)
"""The parties list: « Suivi des signatures électroniques » of the party under the cursor (O2)."""


HISTORY = (Key("history.back", "escape", "back", "Retour"),)


EVENT_DETAIL = (
    Key("detail.back", "escape", "back", "Retour"),
    Key("detail.party", "t", "open_party", "Fiche du 1er tiers"),
)


RECORD_DETAIL = (
    Key("record.back", "escape", "back", "Retour"),
    Key("record.actions", "a", "actions", "Actions"),
)


PARTY_FORM = (
    Key("form.save", "ctrl+s", "save", "Enregistrer"),
    Key("form.fix", "ctrl+r", "accept_fix", "Accepter la correction"),
    Key("form.cancel", "escape", "cancel", "Annuler"),
    Key(
        "form.history", "ctrl+o", "history", "Suivi", command="Fiche tiers : suivi des signatures et lettres"
    ),
    Key("form.sign", "ctrl+g", "sign", "Signer", command="Fiche tiers : signer électroniquement", show=False),
)


TEMPLATE_FORM = (
    Key("template.save", "ctrl+s", "save", "Enregistrer"),
    Key("template.next_tab", "ctrl+t", "next_tab", "Onglet"),
    Key("template.goto_placements", "ctrl+o", "goto_placements", "Emplacements", show=False),
    Key("template.cancel", "escape", "cancel", "Annuler", show=False),
    Key("template.tab_letter", "", "show_tab('tab-letter')", "Onglet Courrier"),
    Key("template.tab_signature", "", "show_tab('tab-signature')", "Onglet Signature électronique"),
    Key("template.add_placement_cmd", "", "add_placement", "Ajouter un emplacement"),
    Key("template.place_cmd", "", "place", "Outil de placement"),
    Key("template.delete_placement_cmd", "", "delete_placement", "Retirer l'emplacement"),
)


SIGNATURE_PANE = (
    Key(
        "template.add_placement",
        "plus",
        "screen.add_placement",
        "Ajouter",
        command="Modèle de courrier : ajouter un emplacement",
    ),
)


PLACEMENT_LIST = (
    Key("template.place", "enter", "open", "Placer", command="Modèle de courrier : outil de placement"),
    Key(
        "template.delete_placement",
        "delete",
        "screen.delete_placement",
        "Retirer",
        command="Modèle de courrier : retirer l'emplacement",
    ),
)


PLACEMENT = (
    Key("placement.left", "left", "move(-1, 0)", "Déplacer", palette=False),
    Key("placement.right", "right", "move(1, 0)", "Déplacer à droite", show=False, palette=False),
    Key("placement.up", "up", "move(0, -1)", "Déplacer en haut", show=False, palette=False),
    Key("placement.down", "down", "move(0, 1)", "Déplacer en bas", show=False, palette=False),
    Key("placement.fine_left", "shift+left,h", "nudge(-1, 0)", "1 pt à gauche", show=False, palette=False),
    Key("placement.fine_right", "shift+right,l", "nudge(1, 0)", "1 pt à droite", show=False, palette=False),
    Key("placement.fine_up", "shift+up,k", "nudge(0, -1)", "1 pt en haut", show=False, palette=False),
    Key("placement.fine_down", "shift+down,j", "nudge(0, 1)", "1 pt en bas", show=False, palette=False),
    Key("placement.grow", "plus,equals_sign", "resize(1)", "Agrandir", show=False),
    Key("placement.shrink", "minus", "resize(-1)", "Réduire", show=False),
    Key("placement.page_up", "pageup", "page(-1)", "Page préc.", command="Placement : page précédente"),
    Key("placement.page_down", "pagedown", "page(1)", "Page suiv.", command="Placement : page suivante"),
    Key("placement.accept", "enter", "accept", "Valider"),
    Key("placement.cancel", "escape", "cancel", "Annuler"),
)


CONFIRM = (
    Key("confirm.yes", "o", "answer(True)", "Oui"),
    Key("confirm.no", "n,escape", "answer(False)", "Non"),
    Key("confirm.default", "enter", "default", "Par défaut"),
)


ACCUEIL = (
    Key("home.preferences", "p", "preferences", "Préférences", command="Accueil : statuts affichés"),
    Key("home.journal", "j", "app.goto('journal')", "Journal", command="Aller : Journal"),
    # shown in F1 and the palette; the footer keeps the doors used daily (it must fit 80 columns)
    Key(
        "home.consumption",
        "c",
        "app.goto('consommation')",
        "Consommation",
        command="Aller : Consommation",
        show=False,
    ),
    Key(
        "home.messages",
        "m",
        "app.goto('messages')",
        "Messages",
        command="Aller : Modèles de messages",
        show=False,
    ),
    Key(
        "home.send_report",
        "r",
        "app.goto('envois')",
        "Rapport des envois",
        command="Aller : Rapport des envois",
        show=False,
    ),
)
"""Accueil is the door to the follow-up screens (O1–O5, X6): one letter each."""


HOME_PREFERENCES = (
    Key("prefs.save", "ctrl+s", "save", "Enregistrer"),
    Key("prefs.cancel", "escape", "cancel", "Annuler"),
)


JOURNAL = (
    Key(
        "journal.filters", "u", "filters", "Filtres", command="Journal : filtres (utilisateur, action, dates)"
    ),
    Key(
        "journal.record",
        "r",
        "record",
        "Cet enregistrement",
        command="Journal : filtrer sur cet enregistrement",
    ),
    Key("journal.export", "e", "export", "Exporter", command="Journal : exporter en CSV"),
    Key(
        "journal.reset",
        "x",
        "reset",
        "Tout effacer",
        show=False,
        command="Journal : effacer tous les filtres",
    ),
)


CONSUMPTION = (
    Key("consumption.by", "p", "next_dimension", "Regrouper", command="Consommation : regrouper autrement"),
    Key("consumption.measure", "m", "next_measure", "Mesure", command="Consommation : changer de mesure"),
    Key("consumption.period", "f", "filters", "Période"),
    Key("consumption.export", "e", "export", "Exporter", command="Consommation : exporter en CSV"),
    Key("consumption.back", "escape", "back", "Retour", show=False, palette=False),
)


MESSAGES = (
    Key("messages.save", "ctrl+s", "save", "Enregistrer"),
    Key("messages.default", "ctrl+r", "restore_default", "Texte par défaut"),
    Key("messages.back", "escape", "back", "Retour"),
)


EXPORT = (Key("export.cancel", "escape", "cancel", "Annuler"),)


HELP = (Key("help.close", "escape,question_mark,q", "close", "Fermer"),)


MENU = (Key("menu.close", "escape", "cancel", "Fermer"),)


INFO = (Key("info.close", "escape,enter", "close", "Fermer"),)


SEARCH = (Key("search.cancel", "escape", "cancel", "Annuler"),)


AR24_ACCOUNT = (
    Key("ar24.save", "ctrl+s", "save", "Enregistrer"),
    Key("ar24.authorize", "ctrl+l", "authorize", "Autoriser le compte"),
    # named with their keys on the screen itself: the footer fits 80 columns without them
    Key("ar24.mode", "ctrl+k", "next_mode", "Mode de validation", show=False),
    Key("ar24.methods", "ctrl+r", "load_methods", "Moyens de paiement AR24", show=False),
    Key("ar24.back", "escape", "back", "Retour"),
)


OTP = (
    Key("otp.back", "escape", "back", "Retour"),
    Key("otp.code", "ctrl+o", "focus_code", "Code OTP"),
    Key("otp.validate", "", "validate", "Valider les lettres cochées", command="Validation OTP : valider"),
)


SENDING = (
    # the footer keeps the daily four (80 columns); the kind is named with its key above the list
    Key("sending.prepare", "ctrl+s", "prepare", "Préparer"),
    Key("sending.paper", "p", "to_paper", "Papier"),
    Key("sending.recompute", "ctrl+r", "recompute", "Recalculer"),
    Key("sending.kind", "ctrl+k", "next_kind", "Type d'envoi", show=False),
    Key("sending.back", "escape", "back", "Retour"),
    Key("sending.errors", "ctrl+l", "only_errors", "Lister les événements en erreur", show=False),
    Key("sending.tab", "ctrl+t", "next_tab", "Onglet suivant", show=False),
    Key("sending.ar24_email", "e", "take_ar24_email", "Prendre l'email connu d'AR24", show=False),
    Key("sending.consent_link", "l", "send_consent_link", "Envoyer le lien de consentement", show=False),
    Key(
        "sending.color", "", "toggle_color", "Couleur / N&B", command="Validation des envois : couleur ou N&B"
    ),
    Key(
        "sending.duplex",
        "",
        "toggle_duplex",
        "Recto / recto-verso",
        command="Validation des envois : recto-verso",
    ),
)


BATCH = (
    Key("batch.stop", "escape", "stop_or_close", "Arrêter / fermer", priority=True, palette=False),
    Key("batch.close", "enter", "close", "Fermer", show=False, priority=True, palette=False),
)
