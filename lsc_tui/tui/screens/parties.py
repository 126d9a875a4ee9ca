"""Tiers (F3): filter, open a party's form, set or remove LRE consent on a selection (L1)."""

from __future__ import annotations

from lsc_tui.services import consents, parties, session
from lsc_tui.services.consents import ConsentImport
from lsc_tui.tui import keys
from lsc_tui.tui.screens.actions import MenuAction
from lsc_tui.tui.screens.info_list import InfoListScreen
from lsc_tui.tui.screens.list_screen import ListScreen
from lsc_tui.tui.screens.party_form import PartyFormScreen
from lsc_tui.tui.screens.party_history import PartyHistoryScreen
from lsc_tui.tui.widgets.record_list import Column


class PartiesScreen(ListScreen):
    WATCHES = session.PARTIES
    TITLE_FR = "Tiers"
    NOUN = "tiers"
    ROWS = staticmethod(parties.rows)
    COLUMNS = (
        Column("Nom", 5, 16),
        Column("Type", 2, 8, drop=1),
        Column("Email", 5, 14),
        Column("Mobile", 0, 14),
        Column("Ville", 2, 8, drop=2),
        Column("LRE", 0, 4),
    )
    BINDINGS = [*ListScreen.BINDINGS, *keys.bindings(keys.PARTIES)]

    def open_record(self, key: str) -> None:
        self.app.push_screen(PartyFormScreen(key), lambda _: self.reload())

    def action_history(self) -> None:
        key = self.record_list.current_key
        if key is not None:
            self.app.push_screen(PartyHistoryScreen(key))

    def menu_actions(self) -> list[MenuAction]:
        reason = "lecture seule" if self.ctx.readonly else ""
        return [
            MenuAction("o", "Ouvrir la fiche", "open"),
            MenuAction("h", "Suivi des signatures et lettres", "history"),
            MenuAction("s", "Signer électroniquement (PDF du disque)", "sign", not reason, reason),
            MenuAction("c", "Donner le consentement LRE", "consent", not reason, reason),
            MenuAction("x", "Retirer le consentement LRE", "unconsent", not reason, reason),
            MenuAction("m", "MAJ accord de consentement LRE (AR24)", "import", not reason, reason),
        ]

    def run_menu(self, name: str) -> None:
        if name == "import":
            self.call_service(consents.import_from_ar24, self.ctx, on_result=self._imported, group="consent")
        elif name == "history":
            self.action_history()
        elif name == "sign" and self.record_list.current_key is not None:
            from lsc_tui.tui.screens.sign_from_party import SignFromPartyScreen

            self.app.push_screen(SignFromPartyScreen(self.record_list.current_key))
        elif name in {"consent", "unconsent"}:
            given = name == "consent"
            self.call_service(
                consents.set_consent,
                self.ctx,
                self.record_list.selection(),
                given,
                on_result=lambda n: self._consent_set(n, given),
                group="consent",
            )
        else:
            super().run_menu(name)

    def _imported(self, result: ConsentImport) -> None:
        """The parties that changed, listed (L1)."""
        lines = [f"{c.name} : {c.what}" for c in result.changes]
        self.app.push_screen(InfoListScreen(f"MAJ accord de consentement LRE — {result.summary()}", lines))
        self.reload()

    def _consent_set(self, count: int, given: bool) -> None:
        self.notify(f"Consentement LRE {'donné' if given else 'retiré'} pour {count} tiers.")
        self.record_list.forget_ticks()
        self.reload()
