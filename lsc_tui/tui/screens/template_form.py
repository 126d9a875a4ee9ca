"""A letter template: the letter itself, and its « Signature électronique » tab (T1–T6).

The role boxes apply the exclusivity rules as they are ticked (ticking Indivisaires unticks and disables
Propriétaire, with the reason on screen), so a template that would ask one person to sign twice cannot be
built. "+" offers only the ticked roles; a placement whose role is no longer ticked stays, flagged, until
the user removes it or ticks the role again — the service refuses to save it as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Checkbox, Input, Label, Select, Static, TabbedContent, TabPane, TextArea

from lsc_tui.domain.mailmerge import VARIABLES, describe_unknown, unknown_variables
from lsc_tui.domain.models import Placement, Template
from lsc_tui.domain.roles import TICKABLE_ROLES, Role, disabled_roles, role_conflicts, toggle_role
from lsc_tui.services import templates
from lsc_tui.services.errors import ServiceError, ValidationFailed
from lsc_tui.services.listing import Row
from lsc_tui.tui.screens.actions import ActionMenu, MenuAction
from lsc_tui.tui.screens.base import BaseScreen, PaletteCommand
from lsc_tui.tui.screens.confirm import ConfirmScreen
from lsc_tui.tui.screens.placement import PlacementScreen
from lsc_tui.tui.widgets.record_list import Column, RecordList

LETTER_TAB = "tab-letter"
SIGNATURE_TAB = "tab-signature"
LETTER_FIELDS = ("name", "subject", "body")
SIGNATURE_FIELDS = ("roles", "free_slots", "placements")
MENU_KEYS = "123456789abcdefg"
PLACEMENT_COLUMNS = (
    Column("Rôle", 4, 14),
    Column("Page", 1, 4),
    Column("x", 1, 4),
    Column("y", 1, 4),
    Column("Larg.", 1, 5),
    Column("Haut.", 1, 5),
    Column("Remarque", 4, 10),
)


class TickBox(Checkbox):
    """A checkbox that reads without colour — [x] / [ ] — on 16-colour consoles and in screen captures."""

    @property
    def _button(self) -> Content:
        return Content.assemble(("[x]" if self.value else "[ ]", self.get_visual_style("toggle--button")))


class SignaturePane(VerticalScroll):
    """The signature tab: "+" works from any of its fields, not only from the table."""

    BINDINGS = [Binding("plus", "screen.add_placement", "Ajouter emplacement", id="template.add_placement")]


class PlacementList(RecordList):
    """The placements table: Enter opens the placement tool on the row, Delete removes the row."""

    BINDINGS = [
        Binding("enter", "open", "Placer", id="template.place"),
        Binding("space", "toggle", "", show=False, id="template.no_tick"),
        Binding("ctrl+a", "toggle_all", "", show=False, id="template.no_tick_all"),
        Binding("delete", "screen.delete_placement", "Retirer la ligne", id="template.delete_placement"),
    ]


class TemplateFormScreen(BaseScreen):
    TITLE_FR = "Modèle de courrier"
    BINDINGS = [
        Binding("ctrl+s", "save", "Enregistrer", id="template.save"),
        Binding("ctrl+t", "next_tab", "Onglet", id="template.next_tab"),
        Binding("ctrl+o", "goto_placements", "Emplacements", id="template.goto_placements"),
        Binding("escape", "cancel", "Annuler", id="template.cancel"),
    ]

    def __init__(self, template_id: str | None = None) -> None:
        """`template_id` None: a new template."""
        super().__init__()
        self.template_id = template_id
        self.original: Template = templates.blank()
        self.initial: Template = self.original
        self.roles: frozenset[Role] = frozenset()
        self.placements: list[Placement] = []

    # ---- layout ----------------------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield Static("", id="template-banner", classes="banner")
        with TabbedContent(id="tabs", initial=LETTER_TAB):
            with TabPane("Courrier", id=LETTER_TAB), VerticalScroll(classes="template-pane"):
                with Grid(classes="template-grid"):
                    yield Label("Nom")
                    yield Input(id="name", compact=True)
                    yield Label("Type")
                    yield Select(
                        [(v, k) for k, v in templates.KINDS.items()],
                        id="kind",
                        allow_blank=False,
                        compact=True,
                    )
                    yield Label("Objet")
                    yield Input(id="subject", compact=True)
                yield Static("", id="name-error", classes="template-error")
                yield Static("", id="subject-error", classes="template-error")
                yield Label("Texte — variables entre accolades :")
                yield TextArea(id="body", compact=True, soft_wrap=True)
                yield Static("", id="body-error", classes="template-error")
                yield Static(" ".join("{" + name + "}" for name in VARIABLES), id="variables", classes="hint")
            with TabPane("Signature électronique", id=SIGNATURE_TAB), SignaturePane(classes="template-pane"):
                yield Label("Qui signe ?")
                with Grid(id="roles", classes="roles-grid"):
                    for role in TICKABLE_ROLES:
                        yield TickBox(role.label, id=f"role-{role.value}", compact=True)
                yield Static("", id="roles-reason", classes="template-warning")
                with Horizontal(classes="template-options"):
                    yield TickBox("Empêcher la validation par SMS", id="skip_sms", compact=True)
                    yield TickBox("Signatures visibles", id="visible", compact=True)
                with Horizontal(classes="template-options"):
                    yield Label("Emplacements libres ")
                    yield Input(id="free_slots", restrict=r"[0-9]{0,2}", compact=True)
                yield Static("", id="free_slots-error", classes="template-error")
                yield Label("Emplacements de signature — + ajouter · Entrée placer · Suppr retirer")
                yield PlacementList(PLACEMENT_COLUMNS, tickable=False, id="placements")
                yield Static("", id="placements-error", classes="template-error")
        yield Static(
            "ctrl+s enregistrer · ctrl+t onglet · ctrl+o emplacements · Échap annuler",
            id="form-message",
            classes="status-line",
        )

    def on_mount(self) -> None:
        if self.template_id is not None:
            try:
                self.original = templates.get(self.lsc.ctx, self.template_id)
            except ServiceError as exc:
                self.notify_error(exc.message)
                self.dismiss()
                return
        self._fill(self.original)
        self.initial = self._current()
        banner = self.query_one("#template-banner", Static)
        banner.display = not templates.can_edit(self.lsc.ctx)
        banner.update("Consultation : seuls les administrateurs enregistrent les modèles.")
        self.query_one("#name", Input).focus()

    def _fill(self, t: Template) -> None:
        self.query_one("#name", Input).value = t.name
        kind = self.query_one("#kind", Select)
        if t.kind not in templates.KINDS:
            kind.set_options([(v, k) for k, v in {**templates.KINDS, t.kind: t.kind}.items()])
        kind.value = t.kind
        self.query_one("#subject", Input).value = t.subject
        self.query_one("#body", TextArea).text = t.body
        self.query_one("#skip_sms", Checkbox).value = t.skip_sms
        self.query_one("#visible", Checkbox).value = t.visible_signatures
        self.query_one("#free_slots", Input).value = str(t.free_slots)
        self.roles = t.roles
        self.placements = list(t.placements)
        self._sync_roles()
        self._show_placements()
        self._check_variables()

    def reload(self) -> None:
        """F5 on a form does not overwrite what is being typed."""

    # ---- the template as typed ---------------------------------------------------------------------------

    def _free_slots(self) -> int:
        return int(self.query_one("#free_slots", Input).value or 0)

    def _current(self) -> Template:
        return self.original.evolve(
            name=self.query_one("#name", Input).value,
            kind=str(self.query_one("#kind", Select).value),
            subject=self.query_one("#subject", Input).value,
            body=self.query_one("#body", TextArea).text,
            roles=self.roles,
            skip_sms=self.query_one("#skip_sms", Checkbox).value,
            free_slots=self._free_slots(),
            visible_signatures=self.query_one("#visible", Checkbox).value,
            placements=tuple(self.placements),
        )

    # ---- roles -------------------------------------------------------------------------------------------

    def _sync_roles(self) -> None:
        """Boxes show `self.roles`; an excluded role is disabled (unless a stored template ticks it, so the
        user can untick it) and the reason is shown under the boxes."""
        disabled = disabled_roles(self.roles)
        with self.prevent(Checkbox.Changed):
            for role in TICKABLE_ROLES:
                box = self.query_one(f"#role-{role.value}", Checkbox)
                box.value = role in self.roles
                box.disabled = role in disabled and role not in self.roles
        reasons = [
            *role_conflicts(self.roles),
            *(r for role, r in disabled.items() if role not in self.roles),
        ]
        self.query_one("#roles-reason", Static).update("\n".join(reasons))

    @on(Checkbox.Changed)
    def _role_ticked(self, event: Checkbox.Changed) -> None:
        box_id = str(event.checkbox.id)
        if not box_id.startswith("role-"):
            return
        role = Role(box_id.removeprefix("role-"))
        if event.value != (role in self.roles):
            self.roles = toggle_role(self.roles, role)
        self._sync_roles()
        self._show_placements()

    # ---- variables ---------------------------------------------------------------------------------------

    def _check_variables(self) -> None:
        subject = self.query_one("#subject", Input).value
        body = self.query_one("#body", TextArea).text
        self._set_error("subject", describe_unknown(unknown_variables(subject)))
        self._set_error("body", describe_unknown(unknown_variables(body)))

    @on(Input.Changed, "#subject")
    @on(TextArea.Changed, "#body")
    def _text_changed(self) -> None:
        self._check_variables()

    @on(Input.Changed, "#free_slots")
    def _slots_changed(self) -> None:
        self._set_error("free_slots", "")
        self._show_placements()

    # ---- placements --------------------------------------------------------------------------------------

    @property
    def placement_list(self) -> PlacementList:
        return self.query_one("#placements", PlacementList)

    def _show_placements(self, cursor: int | None = None) -> None:
        slots = self._free_slots()
        rows = []
        for i, p in enumerate(self.placements):
            issue = templates.placement_issue(p, self.roles, slots)
            cells = (
                p.role.label,
                str(p.page),
                f"{p.x:.0f}",
                f"{p.y:.0f}",
                f"{p.width:.0f}",
                f"{p.height:.0f}",
                f"⚠ {issue}" if issue else "",
            )
            rows.append(Row(str(i), cells, "", "warning" if issue else ""))
        keep = str(cursor) if cursor is not None else None
        self.placement_list.set_rows(rows, keep_key=keep)

    def offered_roles(self) -> list[Role]:
        """What "+" proposes: the ticked roles only, and free slots when some are planned."""
        offered = [r for r in TICKABLE_ROLES if r in self.roles]
        if self._free_slots() > 0:
            offered.append(Role.FREE_SLOT)
        return offered

    def action_add_placement(self) -> None:
        offered = self.offered_roles()
        if not offered:
            self.notify(
                "Cochez d'abord un signataire : « + » ne propose que les rôles cochés.", severity="warning"
            )
            return
        menu = [MenuAction(MENU_KEYS[i], role.label, role.value) for i, role in enumerate(offered)]
        self.app.push_screen(ActionMenu("Ajouter un emplacement pour…", menu), self._add_done)

    def _add_done(self, name: str | None) -> None:
        if name is None:
            return
        role = Role(name)
        pages = [p.page for p in self.placements if p.role is role]
        self.placements.append(Placement(role=role, page=max(pages) + 1 if pages else 1))
        self._show_placements(cursor=len(self.placements) - 1)
        self._set_error("placements", "")
        self.placement_list.focus()

    def action_delete_placement(self) -> None:
        index = self.placement_list.cursor
        if not 0 <= index < len(self.placements):
            return
        del self.placements[index]
        self._show_placements(cursor=min(index, len(self.placements) - 1))

    @on(RecordList.Opened, "#placements")
    def _row_opened(self, message: RecordList.Opened) -> None:
        self.open_placement_tool(int(message.key))

    def open_placement_tool(self, index: int | None = None) -> None:
        index = self.placement_list.cursor if index is None else index
        if not 0 <= index < len(self.placements):
            self.notify("Ajoutez d'abord une ligne avec « + ».", severity="warning")
            return
        self.app.push_screen(PlacementScreen(self._current(), index, partial(self._placed, index)))

    def _placed(self, index: int, placement: Placement) -> None:
        self.placements[index] = placement
        self._show_placements(cursor=index)

    # ---- tabs, save, cancel ------------------------------------------------------------------------------

    def show_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab
        if tab == LETTER_TAB:
            self.query_one("#name", Input).focus()
            return
        # The first box that can take the focus: focusing a disabled one would leave the focus in the
        # other tab, and the tabs would switch back to it.
        boxes = [self.query_one(f"#role-{role.value}", TickBox) for role in TICKABLE_ROLES]
        next(b for b in boxes if not b.disabled).focus()

    def action_goto_placements(self) -> None:
        """Straight to the table, past the thirteen role boxes."""
        self.query_one("#tabs", TabbedContent).active = SIGNATURE_TAB
        self.placement_list.focus()

    def action_next_tab(self) -> None:
        active = self.query_one("#tabs", TabbedContent).active
        self.show_tab(SIGNATURE_TAB if active == LETTER_TAB else LETTER_TAB)

    def _set_error(self, name: str, message: str) -> None:
        error = self.query_one(f"#{name}-error", Static)
        error.update(message)
        error.display = bool(message)

    def action_save(self) -> None:
        for name in (*LETTER_FIELDS, *SIGNATURE_FIELDS):
            if name != "roles":
                self._set_error(name, "")
        message = self.query_one("#form-message", Static)
        try:
            saved = templates.save(self.lsc.ctx, self._current())
        except ValidationFailed as exc:
            for name, text in exc.errors.items():
                if name == "roles":
                    self.query_one("#roles-reason", Static).update(text)
                else:
                    self._set_error(name, text)
            first = next(iter(exc.errors))
            self.show_tab(LETTER_TAB if first in LETTER_FIELDS else SIGNATURE_TAB)
            text = "Corrigez ce qui est signalé : rien n'a été enregistré."
            message.update(text)
            self.notify(text, severity="error", markup=False)
            return
        except ServiceError as exc:
            message.update(exc.message)
            self.notify_error(exc.message)
            return
        self.notify(f"Modèle « {saved.name} » enregistré.", markup=False)
        self.dismiss()

    def action_cancel(self) -> None:
        if self._current() == self.initial:
            self.dismiss()
            return

        def done(discard: bool | None) -> None:
            if discard:
                self.dismiss()

        self.app.push_screen(ConfirmScreen("Abandonner les modifications du modèle ?", default=False), done)

    def palette_commands(self) -> Iterable[PaletteCommand]:
        return [
            PaletteCommand("Modèle : enregistrer", "ctrl+s", self.action_save),
            PaletteCommand("Modèle : onglet Courrier", "ctrl+t", lambda: self.show_tab(LETTER_TAB)),
            PaletteCommand(
                "Modèle : onglet Signature électronique", "ctrl+t", lambda: self.show_tab(SIGNATURE_TAB)
            ),
            PaletteCommand("Modèle : ajouter un emplacement", "+", self.action_add_placement),
            PaletteCommand("Modèle : aller aux emplacements", "ctrl+o", self.action_goto_placements),
            PaletteCommand("Modèle : outil de placement", "Entrée sur la ligne", self.open_placement_tool),
            PaletteCommand("Modèle : retirer l'emplacement", "Suppr", self.action_delete_placement),
        ]
