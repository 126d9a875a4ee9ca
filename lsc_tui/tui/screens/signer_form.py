"""One signer of a fiche signature (S3): nom, prénom, email, téléphone, with the E.164 fix on ctrl+r as in the
party form; and the one-line dialog the fiche uses for its message and for where to save a PDF."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from lsc_tui.domain.contact import check_phone
from lsc_tui.domain.models import SignatureRequest
from lsc_tui.services import signature_files
from lsc_tui.services.errors import ServiceError, ValidationFailed
from lsc_tui.tui import keys
from lsc_tui.tui.screens.base import ScreenBasics
from lsc_tui.tui.text import markup

FIELDS = (("last_name", "Nom"), ("first_name", "Prénom"), ("email", "Email"), ("phone", "Mobile (+33…)"))


class SignerFormScreen(ScreenBasics, ModalScreen[SignatureRequest | None]):
    """Answers the saved file by `dismiss`, or None when cancelled."""

    TITLE_FR = "Signataire"
    BINDINGS = keys.bindings(keys.PARTY_FORM)
    DEFAULT_CSS = """
    SignerFormScreen { align: center middle; }
    SignerFormScreen > Vertical { width: 96; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1; }
    SignerFormScreen .form-grid { grid-columns: 14 2fr 3fr; }
    """

    def __init__(self, request: SignatureRequest, index: int | None) -> None:
        """`index` None: a new signer (« + »)."""
        super().__init__()
        self.request = request
        self.index = index

    def compose(self) -> ComposeResult:
        signer = self.request.signers[self.index] if self.index is not None else None
        title = f"{signer.role.label}" if signer else "Nouveau signataire (ajouté sur la fiche)"
        with Vertical():
            yield Static(
                markup("[b]$title[/b] — $file", title=title, file=self.request.title), id="signer-title"
            )
            with Grid(classes="form-grid"):
                for name, label in FIELDS:
                    yield Label(label)
                    yield Input(getattr(signer, name) if signer else "", id=name)
                    yield Static("", id=f"{name}-error", classes="field-error", markup=False)
            yield Static("ctrl+s enregistrer · ctrl+r accepter la correction · Échap annuler", markup=False)

    def on_mount(self) -> None:
        self.query_one("#last_name", Input).focus()
        self._phone_hint()

    def _set_error(self, name: str, message: str) -> None:
        self.query_one(f"#{name}-error", Static).update(message)
        self.query_one(f"#{name}", Input).set_class(bool(message), "-invalid")

    def _phone_hint(self) -> None:
        raw = self.query_one("#phone", Input).value
        check = check_phone(raw) if raw.strip() else None
        hint = ""
        if check is not None and not check.ok:
            hint = check.message + ("  (ctrl+r : accepter)" if check.e164 and check.is_mobile else "")
        self._set_error("phone", hint)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "phone":
            self._phone_hint()
        elif event.input.id:
            self._set_error(event.input.id, "")

    def action_accept_fix(self) -> None:
        box = self.query_one("#phone", Input)
        check = check_phone(box.value)
        if check.e164 and check.is_mobile:
            box.value = check.e164

    def action_save(self) -> None:
        if self.service_busy("save"):
            return
        form = signature_files.SignerForm(*(self.query_one(f"#{name}", Input).value for name, _ in FIELDS))
        self.call_service(
            signature_files.save_signer,
            self.ctx,
            self.request.id,
            self.index,
            form,
            expect_rev=self.request.rev,
            on_result=self.dismiss,
            on_error=self._refused,
            group="save",
        )

    def _refused(self, error: ServiceError) -> None:
        if isinstance(error, ValidationFailed):
            for name, message in error.errors.items():
                self._set_error(name, message)
            self.notify("Corrigez les champs signalés : rien n'a été enregistré.", severity="error")
        else:
            self.notify_error(error.message)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextDialog(ModalScreen[str | None]):
    """One line of text: Enter answers it, Escape answers None."""

    BINDINGS = keys.bindings(keys.TEXT_DIALOG)
    DEFAULT_CSS = """
    TextDialog { align: center middle; }
    TextDialog > Vertical { width: 90; max-width: 100%; height: auto; border: thick $accent;
        background: $surface; padding: 1 2; }
    """

    def __init__(self, question: str, value: str = "", *, placeholder: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, markup=False)
            yield Input(self.value, placeholder=self.placeholder, id="text")
            yield Static("Entrée : valider · Échap : annuler", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
