"""The one key registry (KEYS.md): every binding of the app, with its id, key, action and French words.

Screens build their `BINDINGS` from here, F1 help builds its lists from here, the palette builds its
`"groupe : action"` commands from here, and a user keymap rebinds by the ids listed here. Before, keys were
written three times (bindings, help, palette) and drifted apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Key:
    """One binding. `key` is Textual's key list ("f1", "n,escape"); an empty key is a palette-only command."""

    id: str
    key: str
    action: str
    label: str
    """What the key does, as the footer and F1 say it (« Filtrer »)."""
    group: str = ""
    """Palette group and F1 section (« Aller »); empty: the screen's own title (« Événements »)."""
    show: bool = True
    """In the footer (global keys live in the F-key bar instead)."""
    priority: bool = False
    short: str = ""
    """Label in the F-key bar when the terminal is narrow (80 columns)."""
    command: str = ""
    """Palette title when « groupe : label » does not read well."""
    palette: bool = True
    demo: bool = False
    """Only in a demo folder (the palette leaves it out elsewhere)."""
    help: bool = True
    """Listed by F1 (movement keys of a list are, internal no-ops are not)."""

    def binding(self) -> Binding:
        return Binding(self.key, self.action, self.label, show=self.show, priority=self.priority, id=self.id)

    def bound(self, keymap: dict[str, str]) -> Binding:
        """The binding with the user's key when the keymap rebinds it (for display: first key only)."""
        key = keymap.get(self.id, self.key).split(",")[0]
        return Binding(key, self.action, self.label, show=self.show, priority=self.priority, id=self.id)

    def title(self, screen_title: str) -> str:
        """The palette entry: « Événements : filtrer »."""
        if self.command:
            return self.command
        group = self.group or screen_title
        return f"{group} : {self.label[:1].lower()}{self.label[1:]}"


def _nav(key: str, mode: str, label: str, short: str = "") -> Key:
    return Key(
        f"app.{mode}",
        key,
        f"app.goto('{mode}')",
        label,
        "Aller",
        show=False,
        priority=True,
        short=short or label,
        command=f"Aller : {label}",
    )


APP = (
    Key(
        "app.help",
        "f1",
        "app.help",
        "Aide",
        "Aide",
        show=False,
        priority=True,
        command="Aide : touches de l'écran",
    ),
    Key("app.help_alt", "question_mark", "app.help", "Aide", "Aide", show=False, palette=False, help=False),
    _nav("f2", "accueil", "Accueil"),
    _nav("f3", "tiers", "Tiers"),
    _nav("f4", "modeles", "Modèles"),
    Key(
        "app.refresh",
        "f5",
        "app.refresh",
        "Actualiser",
        "Écran",
        show=False,
        priority=True,
        short="Actu.",
        command="Écran : actualiser",
    ),
    _nav("f6", "signatures", "Signatures", "Signat."),
    _nav("f7", "evenements", "Événements", "Événem."),
    _nav("f8", "lettres", "Lettres recommandées", "Lettres"),
    Key(
        "app.otp",
        "f9",
        "app.otp",
        "Validation OTP",
        "Aller",
        show=False,
        priority=True,
        short="OTP",
        command="Aller : Validation OTP",
    ),
    Key(
        "app.demo_clock",
        "",
        "app.demo_clock",
        "Avancer l'horloge de 15 jours",
        "Démo",
        show=False,
        demo=True,
        help=False,
        command="Démo : avancer l'horloge de 15 jours",
    ),
    Key(
        "app.ar24_account",
        "",
        "app.ar24_account",
        "Compte AR24 et moyens de paiement",
        "Réglages",
        show=False,
        help=False,
        command="Réglages : compte AR24 et moyens de paiement",
    ),
    Key(
        "app.palette",
        "ctrl+p",
        "app.command_palette",
        "Palette",
        "Application",
        show=False,
        priority=True,
        palette=False,
    ),
    Key(
        "app.quit",
        "ctrl+q",
        "app.quit",
        "Quitter",
        "Application",
        show=False,
        priority=True,
        command="Application : quitter",
    ),
)
"""Everywhere. The F-key bar shows them in this order."""

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

MORE_SCREENS = (
    Key(
        "app.journal",
        "",
        "app.goto('journal')",
        "Journal",
        "Aller",
        short="Accueil, j",
        command="Aller : Journal",
    ),
    Key(
        "app.consommation",
        "",
        "app.goto('consommation')",
        "Consommation",
        "Aller",
        short="Accueil, c",
        command="Aller : Consommation",
    ),
    Key(
        "app.messages",
        "",
        "app.goto('messages')",
        "Modèles de messages",
        "Aller",
        short="Accueil, m",
        command="Aller : Modèles de messages",
    ),
    Key(
        "app.send_report",
        "",
        "app.goto('envois')",
        "Rapport des envois",
        "Aller",
        short="Accueil, r",
        command="Aller : Rapport des envois",
    ),
)
"""The same doors from any screen, in the palette only (the F-keys are all taken)."""

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

# ---- signatures (#9) -----------------------------------------------------------------------------------------

EVERYWHERE = (
    Key(
        "app.signature_settings",
        "",
        "app.signature_settings",
        "Réglages signature",
        "Réglages",
        show=False,
        help=False,
        command="Réglages : signature électronique",
    ),
)
"""Palette-only commands of the whole app (not in the F-key row)."""

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

ALL: tuple[Key, ...] = (
    *APP,
    *ACCUEIL,
    *MORE_SCREENS,
    *HOME_PREFERENCES,
    *JOURNAL,
    *CONSUMPTION,
    *MESSAGES,
    *EXPORT,
    *EVERYWHERE,
    *HOME,
    *SIGNATURE_LIST,
    *SIGNER_LIST,
    *SIGNATURE_FILE,
    *PREFLIGHT,
    *SIGNATURE_SETTINGS,
    *PDF_VIEW,
    *TEXT_DIALOG,
    *CANCEL_DIALOG,
    *SEND_REPORT,
    *LINKS,
    *SIGN_DIRECT,
    *DIRECT_SIGNER,
    *RECORD_LIST,
    *LIST_SCREEN,
    *TEMPLATES,
    *PARTIES,
    *HISTORY,
    *EVENT_DETAIL,
    *RECORD_DETAIL,
    *PARTY_FORM,
    *TEMPLATE_FORM,
    *SIGNATURE_PANE,
    *PLACEMENT_LIST,
    *PLACEMENT,
    *CONFIRM,
    *HELP,
    *MENU,
    *OTP,
    *SENDING,
    *INFO,
    *SEARCH,
    *AR24_ACCOUNT,
)
BY_ID: dict[str, Key] = {k.id: k for k in ALL}
TOGETHER: tuple[tuple[Key, ...], ...] = (
    (*RECORD_LIST, *LIST_SCREEN, *TEMPLATES),
    (*RECORD_LIST, *ACCUEIL),
    (*RECORD_LIST, *LIST_SCREEN, *PARTIES),
    (*RECORD_LIST, *HISTORY),
    (*RECORD_LIST, *LIST_SCREEN, *JOURNAL),
    (*RECORD_LIST, *CONSUMPTION),
    (*RECORD_LIST, *MESSAGES),
    (*RECORD_LIST, *LIST_SCREEN, *SEND_REPORT),
    EVENT_DETAIL,
    RECORD_DETAIL,
    PARTY_FORM,
    (*TEMPLATE_FORM, *SIGNATURE_PANE, *PLACEMENT_LIST),
    (*RECORD_LIST, *OTP),
    (*RECORD_LIST, *SENDING),
    (*RECORD_LIST, *AR24_ACCOUNT),
    (*RECORD_LIST, *HOME),
    (*RECORD_LIST, *LIST_SCREEN, *SIGNATURE_LIST),
    (*(k for k in RECORD_LIST if k.id != "list.open"), *SIGNER_LIST, *SIGNATURE_FILE),
    SIGNATURE_SETTINGS,
    (*RECORD_LIST, *SIGN_DIRECT),
)
"""Keys active at once on a screen, besides the global ones: a keymap may not give a key two meanings there."""
DIALOGS: tuple[tuple[Key, ...], ...] = (
    PLACEMENT,
    CONFIRM,
    HELP,
    MENU,
    INFO,
    SEARCH,
    HOME_PREFERENCES,
    EXPORT,
    (*(k for k in RECORD_LIST if k.id != "list.open"), *PREFLIGHT),
    PDF_VIEW,
    TEXT_DIALOG,
    CANCEL_DIALOG,
    LINKS,
    DIRECT_SIGNER,
)
"""Modal screens: only the priority global keys (F-keys, ctrl+p, ctrl+q) reach past them."""


def bindings(keys: Iterable[Key]) -> list[Binding]:
    """`BINDINGS` of a screen or widget: every key of the table (palette-only entries have no binding)."""
    return [k.binding() for k in keys if k.key]


def palette_only(keys: Iterable[Key]) -> list[Key]:
    return [k for k in keys if not k.key and k.palette]
