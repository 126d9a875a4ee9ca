"""Modèles (F4): the letter templates, filtered as you type; administrators create, duplicate and delete.

Staff see the same keys: the service refuses their changes with a message saying why (C5), so that what is
allowed is decided in one place and not by what the screen happens to hide.
"""

from __future__ import annotations

from lsc_tui.domain.models import Template
from lsc_tui.services import session, templates
from lsc_tui.tui import keys
from lsc_tui.tui.screens.actions import MenuAction
from lsc_tui.tui.screens.confirm import ConfirmScreen
from lsc_tui.tui.screens.list_screen import ListScreen
from lsc_tui.tui.screens.template_form import TemplateFormScreen
from lsc_tui.tui.widgets.record_list import Column


class TemplatesScreen(ListScreen):
    WATCHES = session.TEMPLATES
    TITLE_FR = "Modèles"
    NOUN = "modèles"
    ROWS = staticmethod(templates.rows)
    COLUMNS = (
        Column("Modèle", 5, 18),
        Column("Type", 2, 8),
        Column("Signataires", 6, 18),
        Column("Sans SMS", 0, 8, drop=1),
        Column("Empl.", 0, 5),
    )
    BINDINGS = keys.bindings(keys.TEMPLATES)

    def open_record(self, key: str) -> None:
        self.app.push_screen(TemplateFormScreen(key), lambda _: self.reload())

    def action_new(self) -> None:
        self.app.push_screen(TemplateFormScreen(None), lambda _: self.reload())

    def action_duplicate(self) -> None:
        key = self.record_list.current_key
        if key is not None:
            self.call_service(templates.duplicate, self.ctx, key, on_result=self._duplicated, group="write")

    def _duplicated(self, copy: Template) -> None:
        self.notify(f"Copie créée : « {copy.name} ».")
        self.reload()
        self.app.push_screen(TemplateFormScreen(copy.id), lambda _: self.reload())

    def action_delete(self) -> None:
        key = self.record_list.current_key
        if key is not None:
            self.call_service(templates.get, self.ctx, key, on_result=self._confirm_delete, group="read")

    def _confirm_delete(self, template: Template) -> None:
        def done(yes: bool | None) -> None:
            if yes:
                self.call_service(
                    templates.delete,
                    self.ctx,
                    template.id,
                    expect_rev=template.rev,
                    on_result=lambda _: self._deleted(template),
                    group="write",
                )

        self.app.push_screen(ConfirmScreen(f"Supprimer le modèle « {template.name} » ?", default=False), done)

    def _deleted(self, template: Template) -> None:
        self.notify(f"Modèle « {template.name} » supprimé.")
        self.reload()

    def menu_actions(self) -> list[MenuAction]:
        return [
            MenuAction("o", "Ouvrir le modèle", "open"),
            MenuAction("n", "Nouveau modèle", "new"),
            MenuAction("d", "Dupliquer le modèle", "duplicate"),
            MenuAction("s", "Supprimer le modèle", "delete"),
        ]

    def run_menu(self, name: str) -> None:
        actions = {"new": self.action_new, "duplicate": self.action_duplicate, "delete": self.action_delete}
        if name in actions:
            actions[name]()
        else:
            super().run_menu(name)
