"""A party's contact form: errors stay next to their field, what was typed is kept, one key accepts a fix."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from lsc_tui.domain.contact import check_phone
from lsc_tui.domain.identity import ID_KINDS, french_day
from lsc_tui.domain.models import Party
from lsc_tui.services import parties
from lsc_tui.services.errors import ServiceError, ValidationFailed
from lsc_tui.tui import keys
from lsc_tui.tui.screens.base import BaseScreen
from lsc_tui.tui.screens.confirm import ConfirmScreen
from lsc_tui.tui.screens.party_history import PartyHistoryScreen
from lsc_tui.tui.text import markup

FIELDS = [
    ("email", "Email"),
    ("mobile", "Mobile (+33…)"),
    ("address1", "Adresse"),
    ("address2", "Complément"),
    ("zipcode", "Code postal"),
    ("city", "Ville"),
    ("id_number", "N° pièce d'identité"),
    ("id_valid_until", "Valable jusqu'au"),
]
ID_KIND_PROMPT = "(aucune pièce)"


class PartyFormScreen(BaseScreen):
    WATCHES = frozenset()
    TITLE_FR = "Fiche tiers"
    BINDINGS = keys.bindings(keys.PARTY_FORM)

    def __init__(self, party_id: str) -> None:
        super().__init__()
        self.party_id = party_id
        self.rev = 0
        self.initial: dict[str, str] | None = None
        """The values as read; None until the party has been read (nothing to save or lose before)."""

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(classes="form"):
            yield Static("Lecture de la fiche…", id="party-title", classes="form-title")
            with Grid(classes="form-grid"):
                for name, label in FIELDS:
                    if name == "id_number":  # the ID document's kind first (S11): a fact, never the scan
                        yield Label("Pièce d'identité")
                        yield Select(
                            [(v, k) for k, v in ID_KINDS.items()], id="id_kind", prompt=ID_KIND_PROMPT
                        )
                        yield Static("", id="id_kind-error", classes="field-error", markup=False)
                    yield Label(label)
                    yield Input(id=name, placeholder="JJ/MM/AAAA" if name == "id_valid_until" else "")
                    yield Static("", id=f"{name}-error", classes="field-error", markup=False)
            yield Static(
                "ctrl+s enregistrer · ctrl+o suivi · ctrl+g signer électroniquement · Échap annuler",
                classes="status-line",
                markup=False,
            )

    def on_mount(self) -> None:
        self.call_service(
            parties.get,
            self.ctx,
            self.party_id,
            on_result=self._fill,
            on_error=self._unreadable,
            group="read",
        )

    def _unreadable(self, error: ServiceError) -> None:
        self.notify_error(error.message)
        self.dismiss()

    def _fill(self, party: Party) -> None:
        self.rev = party.rev
        values = {
            "email": party.email,
            "mobile": party.mobile,
            "address1": party.address.line1,
            "address2": party.address.line2,
            "zipcode": party.address.zipcode,
            "city": party.address.city,
            "id_number": party.id_document.number,
            "id_valid_until": french_day(party.id_document.valid_until)
            if party.id_document.valid_until
            else "",
        }
        for name, value in values.items():
            self.query_one(f"#{name}", Input).value = value
        kind = self.query_one("#id_kind", Select)
        if party.id_document.kind in ID_KINDS:
            kind.value = party.id_document.kind
        else:
            kind.clear()
        values["id_kind"] = party.id_document.kind
        self.initial = values
        extra = f" — {party.kind.label}"
        if party.representative:
            extra += f", représentée par {party.representative}"
        if party.legal_representative:
            extra += f", représentant légal : {party.legal_representative}"
        self.query_one("#party-title", Static).update(
            markup("[b]$name[/b]$extra", name=party.display_name, extra=extra)
        )
        self.query_one("#email", Input).focus()
        self._show_phone_hint()

    def has_unsaved_changes(self) -> bool:
        return self.initial is not None and self._values() != self.initial

    def _values(self) -> dict[str, str]:
        values = {name: self.query_one(f"#{name}", Input).value for name, _ in FIELDS}
        kind = self.query_one("#id_kind", Select).value
        values["id_kind"] = kind if isinstance(kind, str) else ""
        return values

    def _set_error(self, name: str, message: str) -> None:
        self.query_one(f"#{name}-error", Static).update(message)
        self.query_one(f"#{name}").set_class(bool(message), "-invalid")

    def _show_phone_hint(self) -> None:
        raw = self.query_one("#mobile", Input).value
        check = check_phone(raw) if raw.strip() else None
        if check and not check.ok:
            hint = check.message
            if check.e164 and check.is_mobile:
                hint += "  (ctrl+r : accepter)"
            self._set_error("mobile", hint)
        else:
            self._set_error("mobile", "")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "mobile":
            self._show_phone_hint()
        elif event.input.id:
            self._set_error(event.input.id, "")

    def action_accept_fix(self) -> None:
        box = self.query_one("#mobile", Input)
        check = check_phone(box.value)
        if check.e164 and check.is_mobile:
            box.value = check.e164
            self._show_phone_hint()

    def action_save(self) -> None:
        if self.initial is None or self.service_busy("save"):
            return
        v = self._values()
        form = parties.ContactForm(
            v["email"], v["mobile"], v["address1"], v["address2"], v["zipcode"], v["city"],
            v["id_kind"], v["id_number"], v["id_valid_until"],
        )  # fmt: skip
        for name in (*(n for n, _ in FIELDS), "id_kind"):
            self._set_error(name, "")
        self.call_service(
            parties.save_contact,
            self.ctx,
            self.party_id,
            form,
            expect_rev=self.rev,
            on_result=self._saved,
            on_error=self._refused,
            group="save",
        )

    def _refused(self, error: ServiceError) -> None:
        """Field errors next to their field; anything else (conflict, read-only) as a notification. What was
        typed stays in the form either way."""
        if isinstance(error, ValidationFailed):
            for name, message in error.errors.items():
                self._set_error(name, message)
            self.notify("Corrigez les champs signalés : rien n'a été enregistré.", severity="error")
        else:
            self.notify_error(error.message)

    def _saved(self, saved: Party) -> None:
        self.rev = saved.rev
        self.query_one("#mobile", Input).value = saved.mobile
        self.initial = self._values()
        self.notify(f"Fiche de {saved.display_name} enregistrée.")
        self.dismiss()

    def action_sign(self) -> None:
        """« Signer électroniquement » (S11): PDFs from disk signed by this party or its representative."""
        from lsc_tui.tui.screens.sign_from_party import SignFromPartyScreen

        self.app.push_screen(SignFromPartyScreen(self.party_id))

    def action_history(self) -> None:
        """The party's signature files and letters, over the form (what was typed stays)."""
        self.app.push_screen(PartyHistoryScreen(self.party_id))

    def action_cancel(self) -> None:
        if not self.has_unsaved_changes():
            self.dismiss()
            return

        def done(discard: bool | None) -> None:
            if discard:
                self.dismiss()

        self.app.push_screen(ConfirmScreen("Abandonner les modifications ?", default=False), done)
