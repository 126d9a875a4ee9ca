"""Tiers (F3): filter, open a party's form, set or remove LRE consent on a selection (L1)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from lsc_tui.services import parties
from lsc_tui.services.errors import ServiceError
from lsc_tui.services.listing import Row
from lsc_tui.tui.screens.actions import ActionMenu, MenuAction
from lsc_tui.tui.screens.base import PaletteCommand
from lsc_tui.tui.screens.list_screen import ListScreen
from lsc_tui.tui.screens.party_form import PartyFormScreen
from lsc_tui.tui.widgets.record_list import Column


class PartiesScreen(ListScreen):
    TITLE_FR = "Tiers"
    NOUN = "tiers"
    COLUMNS = (
        Column("Nom", 5, 16),
        Column("Type", 2, 10),
        Column("Email", 5, 14),
        Column("Mobile", 3, 12),
        Column("Ville", 2, 8),
        Column("LRE", 1, 4),
    )

    def load_rows(self) -> Sequence[Row]:
        return parties.rows(self.lsc.ctx)

    def open_record(self, key: str) -> None:
        self.app.push_screen(PartyFormScreen(key), lambda _: self.reload())

    def action_actions(self) -> None:
        selected = self.record_list.selection()
        if not selected:
            return
        ro = self.lsc.ctx.readonly
        reason = "lecture seule" if ro else ""
        menu = [
            MenuAction("o", "Ouvrir la fiche", "open"),
            MenuAction("c", "Donner le consentement LRE", "consent", not ro, reason),
            MenuAction("x", "Retirer le consentement LRE", "unconsent", not ro, reason),
        ]
        self.app.push_screen(
            ActionMenu(f"{len(selected)} tiers", menu), lambda name: self._menu_done(name, selected)
        )

    def _menu_done(self, name: str | None, selected: list[str]) -> None:
        if name == "open" and self.record_list.current_key:
            self.open_record(self.record_list.current_key)
        elif name in {"consent", "unconsent"}:
            try:
                n = parties.set_consent(self.lsc.ctx, selected, name == "consent")
            except ServiceError as exc:
                self.notify_error(exc.message)
                return
            self.notify(f"Consentement LRE {'donné' if name == 'consent' else 'retiré'} pour {n} tiers.")
            self.record_list.forget_ticks()
            self.reload()

    def palette_commands(self) -> Iterable[PaletteCommand]:
        return [
            PaletteCommand("Tiers : filtrer", "/", self.action_filter),
            PaletteCommand("Tiers : actions (consentement LRE…)", "a", self.action_actions),
        ]
