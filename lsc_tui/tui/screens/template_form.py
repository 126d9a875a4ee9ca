"""A letter template: the letter itself, and its « Signature électronique » tab (T1–T6).

The role boxes apply the exclusivity rules as they are ticked (ticking Indivisaires unticks and disables
Propriétaire, with the reason on screen), so a template that would ask one person to sign twice cannot be
built. "+" offers only the ticked roles; a placement whose role is no longer ticked stays, flagged, until
the user removes it or ticks the role again — the service refuses to save it as it is.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Checkbox, Input, Label, Select, Static, TabbedContent, TabPane, TextArea

from lsc_tui.domain.mailmerge import VARIABLES, describe_unknown, unknown_variables
from lsc_tui.domain.models import Placement, Template
from lsc_tui.domain.roles import TICKABLE_ROLES, Role, disabled_roles, role_conflicts, toggle_role
from lsc_tui.services import templates
from lsc_tui.services.errors import ServiceError, ValidationFailed
from lsc_tui.services.listing import Row
from lsc_tui.tui import keys
from lsc_tui.tui.screens.actions import ActionMenu, MenuAction
from lsc_tui.tui.screens.base import BaseScreen
from lsc_tui.tui.screens.confirm import ConfirmScreen
from lsc_tui.tui.screens.placement import PlacementScreen
from lsc_tui.tui.text import safe
from lsc_tui.tui.widgets.record_list import Column, RecordList
from lsc_tui.tui.widgets.signature_options import SignatureOptions
from lsc_tui.tui.widgets.tick_box import TickBox as TickBox

LETTER_TAB = "tab-letter"
SIGNATURE_TAB = "tab-signature"
LETTER_FIELDS = ("name", "subject", "body")
SIGNATURE_FIELDS = ("roles", "free_slots", "placements", "signature_note", "reminders")
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


class SignaturePane(VerticalScroll):
    """The signature tab: "+" works from any of its fields, not only from the table."""

    BINDINGS = keys.bindings(keys.SIGNATURE_PANE)


class PlacementList(RecordList):
    """The placements table: Enter opens the placement tool on the row, Delete removes the row."""

    BINDINGS = keys.bindings(keys.PLACEMENT_LIST)


class TemplateFormScreen(BaseScreen):
    WATCHES = frozenset()
    TITLE_FR = "Modèle de courrier"
    BINDINGS = keys.bindings(keys.TEMPLATE_FORM)
    PALETTE = tuple(keys.palette_only(keys.TEMPLATE_FORM))

    def __init__(self, template_id: str | None = None) -> None:
        """`template_id` None: a new template."""
        super().__init__()
        self.template_id = template_id
        self.original: Template = templates.blank()
        self.initial: Template = self.original
        self.roles: frozenset[Role] = frozenset()
        self.placements: list[Placement] = []
        self.loaded = False
        """The template has been read (nothing to save or lose before)."""

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
                yield Static("", id="name-error", classes="template-error", markup=False)
                yield Static("", id="subject-error", classes="template-error", markup=False)
                yield Label("Texte — variables entre accolades :")
                yield TextArea(id="body", compact=True, soft_wrap=True)
                yield Static("", id="body-error", classes="template-error", markup=False)
                yield Static(" ".join("{" + name + "}" for name in VARIABLES), id="variables", classes="hint")
            with TabPane("Signature électronique", id=SIGNATURE_TAB), SignaturePane(classes="template-pane"):
                yield Label("Qui signe ?")
                with Grid(id="roles", classes="roles-grid"):
                    for role in TICKABLE_ROLES:
                        yield TickBox(role.label, id=f"role-{role.value}", compact=True)
                yield Static("", id="roles-reason", classes="template-warning", markup=False)
                with Horizontal(classes="template-options"):
                    yield TickBox("Empêcher la validation par SMS", id="skip_sms", compact=True)
                    yield TickBox("Signatures visibles", id="visible", compact=True)
                with Horizontal(classes="template-options"):
                    yield Label("Emplacements libres ")
                    yield Input(id="free_slots", restrict=r"[0-9]{0,2}", compact=True)
                yield Static("", id="free_slots-error", classes="template-error", markup=False)
                yield SignatureOptions()
                yield Label("Emplacements de signature — + ajouter · Entrée placer · Suppr retirer")
                yield PlacementList(PLACEMENT_COLUMNS, tickable=False, id="placements")
                yield Static("", id="placements-error", classes="template-error", markup=False)
        yield Static(
            "ctrl+s enregistrer · ctrl+t onglet · ctrl+o emplacements · Échap annuler",
            id="form-message",
            classes="status-line",
            markup=False,
        )

    def on_mount(self) -> None:
        banner = self.query_one("#template-banner", Static)
        banner.display = not templates.can_edit(self.ctx)
        banner.update("Consultation : seuls les administrateurs enregistrent les modèles.")
        if self.template_id is None:
            self._loaded(self.original)
        else:
            self.call_service(
                templates.get, self.ctx, self.template_id, on_result=self._loaded, on_error=self._unreadable
            )

    def _unreadable(self, error: ServiceError) -> None:
        self.notify_error(error.message)
        self.dismiss()

    def _loaded(self, template: Template) -> None:
        self.original = template
        self._fill(template)
        self.initial = self._current()
        self.loaded = True
        self.query_one("#name", Input).focus()

    def has_unsaved_changes(self) -> bool:
        return self.loaded and self._current() != self.initial

    def _fill(self, t: Template) -> None:
        self.query_one("#name", Input).value = t.name
        kind = self.query_one("#kind", Select)
        if t.kind not in templates.KINDS:
            # a kind typed elsewhere is user text: shown as typed, never as markup
            kind.set_options([*((v, k) for k, v in templates.KINDS.items()), (Content(safe(t.kind)), t.kind)])
        kind.value = t.kind
        self.query_one("#subject", Input).value = t.subject
        self.query_one("#body", TextArea).text = t.body
        self.query_one("#skip_sms", Checkbox).value = t.skip_sms
        self.query_one("#visible", Checkbox).value = t.visible_signatures
        self.query_one("#free_slots", Input).value = str(t.free_slots)
        self.query_one(SignatureOptions).fill(t)
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
            **self.query_one(SignatureOptions).values(),
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
        self.app.push_screen(PlacementScreen(self._current(), index), lambda p: self._placed(index, p))

    def action_place(self) -> None:
        self.open_placement_tool()

    def _placed(self, index: int, placement: Placement | None) -> None:
        """The tool's answer: the placed box, or None when the user cancelled."""
        if placement is not None:
            self.placements[index] = placement
            self._show_placements(cursor=index)

    # ---- tabs, save, cancel ------------------------------------------------------------------------------

    def action_show_tab(self, tab: str) -> None:
        self.show_tab(tab)

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
        """Straight to the table, past the thirteen role boxes (scrolled into view once the tab is laid out)."""
        self.query_one("#tabs", TabbedContent).active = SIGNATURE_TAB
        self.placement_list.focus()
        self.call_after_refresh(self.placement_list.scroll_visible, animate=False)

    def action_next_tab(self) -> None:
        active = self.query_one("#tabs", TabbedContent).active
        self.show_tab(SIGNATURE_TAB if active == LETTER_TAB else LETTER_TAB)

    def _set_error(self, name: str, message: str) -> None:
        error = self.query_one(f"#{name}-error", Static)
        error.update(message)
        error.display = bool(message)

    def action_save(self) -> None:
        if not self.loaded or self.service_busy("save"):
            return
        for name in (*LETTER_FIELDS, *SIGNATURE_FIELDS):
            if name != "roles":
                self._set_error(name, "")
        self.call_service(
            templates.save,
            self.ctx,
            self._current(),
            on_result=self._saved,
            on_error=self._refused,
            group="save",
        )

    def _refused(self, error: ServiceError) -> None:
        message = self.query_one("#form-message", Static)
        if not isinstance(error, ValidationFailed):
            message.update(error.message)
            self.notify_error(error.message)
            return
        for name, text in error.errors.items():
            if name == "roles":
                self.query_one("#roles-reason", Static).update(text)
            else:
                self._set_error(name, text)
        first = next(iter(error.errors))
        self.show_tab(LETTER_TAB if first in LETTER_FIELDS else SIGNATURE_TAB)
        text = "Corrigez ce qui est signalé : rien n'a été enregistré."
        message.update(text)
        self.notify(text, severity="error")

    def _saved(self, saved: Template) -> None:
        self.initial = self._current()
        self.notify(f"Modèle « {saved.name} » enregistré.")
        self.dismiss()

    def action_cancel(self) -> None:
        if not self.has_unsaved_changes():
            self.dismiss()
            return

        def done(discard: bool | None) -> None:
            if discard:
                self.dismiss()

        self.app.push_screen(ConfirmScreen("Abandonner les modifications du modèle ?", default=False), done)
