"""Keys of the whole app: the F-key row, quitting, the palette, and the palette-only doors to other screens."""

from __future__ import annotations

from lsc_tui.tui.keys.key import Key, nav

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
    nav("f2", "accueil", "Accueil"),
    nav("f3", "tiers", "Tiers"),
    nav("f4", "modeles", "Modèles"),
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
    nav("f6", "signatures", "Signatures", "Signat."),
    nav("f7", "evenements", "Événements", "Événem."),
    nav("f8", "lettres", "Lettres recommandées", "Lettres"),
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
