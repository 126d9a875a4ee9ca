"""Modèles de messages (O5): the firm's words in the invitation, cancellation, reminder and confirmation
emails, and at the top of the signing page. ↑↓ chooses the message, Tab goes to its text; the preview under it
is filled with sample values as you type, with its length against YouSign's 500 characters; an unknown
variable is named. ctrl+s saves every message changed; ctrl+r brings back lsc-tui's text. Editing is a right
(administrators, or a user given « messages »): others read. Reached from Accueil (`m`) or the palette."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static, TextArea

from lsc_tui.domain.messages import DEFAULTS, MAX_LENGTH, VARIABLES, MessageKind, preview
from lsc_tui.services import messages
from lsc_tui.services.errors import ServiceError, ValidationFailed
from lsc_tui.services.listing import Row, rows_of
from lsc_tui.tui import keys
from lsc_tui.tui.screens.base import BaseScreen
from lsc_tui.tui.screens.confirm import ConfirmScreen
from lsc_tui.tui.text import markup
from lsc_tui.tui.widgets.record_list import Column, RecordList

DISCARD = "Abandonner les modifications des messages ?"
READ_ONLY = (
    "Consultation : seuls les administrateurs et les utilisateurs ayant le droit « messages » modifient"
    " ces textes."
)


class MessagesScreen(BaseScreen):
    WATCHES = frozenset()
    TITLE_FR = "Modèles de messages"
    BINDINGS = keys.bindings(keys.MESSAGES)
    DEFAULT_CSS = """
    MessagesScreen #messages-banner { display: none; }
    MessagesScreen #messages { height: 1fr; }
    MessagesScreen #kinds { width: 29; height: 1fr; border-right: vkey $panel; }
    MessagesScreen #message-edit { width: 1fr; height: 1fr; padding: 0 1; }
    MessagesScreen #kind-title { height: auto; }
    MessagesScreen #text { height: 1fr; min-height: 4; }
    MessagesScreen #problems { height: auto; color: $error; }
    MessagesScreen #preview-title { height: 1; margin-top: 1; }
    MessagesScreen #preview { height: auto; max-height: 8; color: $text-muted; }
    MessagesScreen #variables { height: auto; padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.loaded: messages.Messages | None = None
        self.drafts: dict[MessageKind, str] = {}
        self.kind = MessageKind.INVITATION
        self._filling = False

    def compose_body(self) -> ComposeResult:
        yield Static(READ_ONLY, id="messages-banner", classes="banner", markup=False)
        with Horizontal(id="messages"):
            yield RecordList([Column("Message", 1, 17), Column("", 0, 7)], tickable=False, id="kinds")
            with Vertical(id="message-edit"):
                yield Static("", id="kind-title")
                yield TextArea(id="text", soft_wrap=True, compact=True)
                yield Static("", id="problems", markup=False)
                yield Static("", id="preview-title")
                yield Static("", id="preview", markup=False)
        yield Static(
            "Variables : " + " ".join("{" + name + "}" for name in VARIABLES), id="variables", markup=False
        )
        yield Static(
            "Entrée : au texte · Tab : texte / liste · rien n'est enregistré avant ctrl+s",
            classes="status-line",
            markup=False,
        )

    def on_mount(self) -> None:
        kinds = self.query_one("#kinds", RecordList)
        kinds.focus()
        self.watch(kinds, "cursor", self._cursor_moved, init=False)
        self.call_service(messages.load, self.ctx, on_result=self._loaded, group="messages-load")

    def reload(self) -> None:
        """F5 or a colleague's save: re-read, unless something typed here is not saved yet."""
        if self.loaded is not None and not self.has_unsaved_changes():
            self.call_service(messages.load, self.ctx, on_result=self._loaded, group="messages-load")

    # ---- state -------------------------------------------------------------------------------------

    def _loaded(self, loaded: messages.Messages) -> None:
        self.loaded = loaded
        self.drafts = {m.kind: m.text for m in loaded.messages}
        self.query_one("#messages-banner").display = not loaded.can_edit
        self.query_one("#text", TextArea).read_only = not loaded.can_edit
        self._show_kinds()
        self._show_kind()

    def _stored(self, kind: MessageKind) -> messages.Message:
        assert self.loaded is not None
        return next(m for m in self.loaded.messages if m.kind is kind)

    def _changed(self) -> dict[MessageKind, tuple[str, int | None]]:
        return {k: (t, self._stored(k).rev) for k, t in self.drafts.items() if t != self._stored(k).text}

    def has_unsaved_changes(self) -> bool:
        return self.loaded is not None and bool(self._changed())

    def _show_kinds(self) -> None:
        changed = self._changed()
        rows = [
            Row(
                k.value,
                (k.short, "modifié" if k in changed else ("défaut" if self._stored(k).is_default else "")),
            )
            for k in MessageKind
        ]
        self.query_one("#kinds", RecordList).set_rows(rows_of(rows), keep_key=self.kind.value)

    def _cursor_moved(self, _cursor: int = 0) -> None:
        key = self.query_one("#kinds", RecordList).current_key
        if key is not None and key != self.kind.value:
            self.kind = MessageKind(key)
            self._show_kind()

    def _show_kind(self) -> None:
        self.query_one("#kind-title", Static).update(
            markup("[b]$label[/b] — $where", label=self.kind.label, where=self.kind.provider_field)
        )
        self._filling = True
        self.query_one("#text", TextArea).text = self.drafts.get(self.kind, "")
        self._filling = False
        self._show_preview()

    def _show_preview(self, problems: str = "") -> None:
        assert self.loaded is not None
        shown = preview(self.drafts.get(self.kind, ""), self.loaded.sample)
        over = shown.length > MAX_LENGTH
        self.query_one("#preview-title", Static).update(
            markup(
                "[b]Aperçu[/b] (valeurs d'exemple) — [$style]$n / $max caractères[/]",
                style="bold $error" if over else "bold",
                n=shown.length,
                max=MAX_LENGTH,
            )
        )
        self.query_one("#preview", Static).update(shown.text)
        self.query_one("#problems", Static).update(problems or " ".join(shown.problems))

    @on(RecordList.Opened, "#kinds")
    def _to_text(self) -> None:
        self.query_one("#text", TextArea).focus()

    @on(TextArea.Changed, "#text")
    def _typed(self, event: TextArea.Changed) -> None:
        if self._filling or self.loaded is None:
            return
        self.drafts[self.kind] = event.text_area.text
        self._show_preview()
        self._show_kinds()

    # ---- keys --------------------------------------------------------------------------------------

    def action_save(self) -> None:
        edits = self._changed() if self.loaded is not None else {}
        if not edits:
            self.notify("Rien à enregistrer : aucun message modifié.")
            return
        if self.service_busy("messages-save"):
            return
        self.call_service(
            messages.save,
            self.ctx,
            edits,
            on_result=self._saved,
            on_error=self._refused,
            group="messages-save",
        )

    def _saved(self, loaded: messages.Messages) -> None:
        kept = {k: t for k, t in self.drafts.items()}
        self._loaded(loaded)
        self.drafts.update({k: t for k, t in kept.items() if t != self._stored(k).text})  # typed since
        self.notify("Modèles de messages enregistrés.")

    def _refused(self, error: ServiceError) -> None:
        """What was typed stays; the problems are said for each message concerned."""
        if isinstance(error, ValidationFailed):
            labels = ", ".join(MessageKind(k).label for k in error.errors)
            self.notify_error(f"Rien n'a été enregistré : à corriger dans {labels}.")
            self._show_preview(error.errors.get(self.kind.value, ""))
        else:
            self.notify_error(error.message)

    def action_restore_default(self) -> None:
        if self.loaded is None or not self.loaded.can_edit:
            self.notify_error(READ_ONLY)
            return
        stored = self._stored(self.kind)
        if stored.is_default:
            self.drafts[self.kind] = DEFAULTS[self.kind]
            self._show_kind()
            self._show_kinds()
            return

        def answered(yes: bool | None) -> None:
            if yes and stored.rev is not None:
                self.call_service(
                    messages.restore_default,
                    self.ctx,
                    self.kind,
                    stored.rev,
                    on_result=self._loaded,
                    group="messages-save",
                )

        question = f"Remettre le texte par défaut de « {self.kind.label} » ? Le texte du cabinet sera oublié."
        self.app.push_screen(ConfirmScreen(question, default=False), answered)

    def action_back(self) -> None:
        if not self.has_unsaved_changes():
            self.lsc.goto("accueil")
            return
        self.app.push_screen(
            ConfirmScreen(DISCARD, default=False), lambda yes: self._discard() if yes else None
        )

    def _discard(self) -> None:
        if self.loaded is not None:
            self._loaded(self.loaded)
        self.lsc.goto("accueil")
