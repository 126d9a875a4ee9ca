"""Modèles (F4): the letter templates, filtered as you type; administrators create, duplicate and delete.

Staff see the same keys: the service refuses their changes with a message saying why (C5), so that what is
allowed is decided in one place and not by what the screen happens to hide.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.binding import Binding

from lsc_tui.services import templates
from lsc_tui.services.errors import ServiceError
from lsc_tui.services.listing import Row
from lsc_tui.tui.screens.actions import ActionMenu, MenuAction
from lsc_tui.tui.screens.base import PaletteCommand
from lsc_tui.tui.screens.confirm import ConfirmScreen
from lsc_tui.tui.screens.list_screen import ListScreen
from lsc_tui.tui.screens.template_form import TemplateFormScreen
from lsc_tui.tui.widgets.record_list import Column


class TemplatesScreen(ListScreen):
    TITLE_FR = "Modèles"
    NOUN = "modèles"
    COLUMNS = (
        Column("Modèle", 5, 18),
        Column("Type", 2, 8),
        Column("Signataires", 6, 18),
        Column("Sans SMS", 1, 8),
        Column("Empl.", 1, 5),
    )
    BINDINGS = [
        Binding("n", "new", "Nouveau", id="templates.new"),
        Binding("delete", "delete", "Supprimer", id="templates.delete"),
    ]

    def load_rows(self) -> Sequence[Row]:
        return templates.rows(self.lsc.ctx)

    def open_record(self, key: str) -> None:
        self.app.push_screen(TemplateFormScreen(key), lambda _: self.reload())

    def action_new(self) -> None:
        self.app.push_screen(TemplateFormScreen(None), lambda _: self.reload())

    def action_duplicate(self) -> None:
        key = self.record_list.current_key
        if key is None:
            return
        try:
            copy = templates.duplicate(self.lsc.ctx, key)
        except ServiceError as exc:
            self.notify_error(exc.message)
            return
        self.notify(f"Copie créée : « {copy.name} ».", markup=False)
        self.reload()
        self.app.push_screen(TemplateFormScreen(copy.id), lambda _: self.reload())

    def action_delete(self) -> None:
        key = self.record_list.current_key
        if key is None:
            return
        try:
            template = templates.get(self.lsc.ctx, key)
        except ServiceError as exc:
            self.notify_error(exc.message)
            return

        def done(yes: bool | None) -> None:
            if not yes:
                return
            try:
                templates.delete(self.lsc.ctx, template.id, expect_rev=template.rev)
            except ServiceError as exc:
                self.notify_error(exc.message)
                return
            self.notify(f"Modèle « {template.name} » supprimé.", markup=False)
            self.reload()

        self.app.push_screen(ConfirmScreen(f"Supprimer le modèle « {template.name} » ?", default=False), done)

    def action_actions(self) -> None:
        if self.record_list.current_key is None:
            return
        menu = [
            MenuAction("o", "Ouvrir le modèle", "open"),
            MenuAction("n", "Nouveau modèle", "new"),
            MenuAction("d", "Dupliquer le modèle", "duplicate"),
            MenuAction("s", "Supprimer le modèle", "delete"),
        ]
        self.app.push_screen(ActionMenu("Modèle", menu), self._menu_done)

    def _menu_done(self, name: str | None) -> None:
        key = self.record_list.current_key
        if name == "open" and key:
            self.open_record(key)
        elif name == "new":
            self.action_new()
        elif name == "duplicate":
            self.action_duplicate()
        elif name == "delete":
            self.action_delete()

    def palette_commands(self) -> Iterable[PaletteCommand]:
        return [
            PaletteCommand("Modèles : filtrer", "/", self.action_filter),
            PaletteCommand("Modèles : nouveau", "n", self.action_new),
            PaletteCommand("Modèles : dupliquer", "a puis d", self.action_duplicate),
            PaletteCommand("Modèles : supprimer", "Suppr", self.action_delete),
        ]
