"""Réglages signature (C1, C2, C6): the provider account, the historisation template, the manager's variables.

Keys are never put back in a field: the field is empty, its placeholder shows the masked key on file, and
typing a new one replaces it. « Tester l'accès au service » (ctrl+t) asks the provider with what is typed and
shows the verdict under the button line. Staff see the settings; only administrators can save them (the
service refuses, whatever the screen lets them type).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.widgets import Checkbox, Input, Label, Select, Static

from lsc_tui.services import signature_settings as settings
from lsc_tui.services.errors import ServiceError, ValidationFailed
from lsc_tui.tui import keys
from lsc_tui.tui.screens.base import BaseScreen
from lsc_tui.tui.text import markup

NONE = "__none__"
ROWS = (
    ("provider", "Prestataire"),
    ("base_url", "Adresse du service"),
    ("api_key", "Clé d'API"),
    ("webhook_secret", "Secret des webhooks"),
    ("historisation", "Modèle d'historisation"),
    ("manager_name", "Gérant : nom"),
    ("manager_email", "Gérant : email"),
)


class SignatureSettingsScreen(BaseScreen):
    WATCHES = frozenset()
    TITLE_FR = "Réglages signature"
    BINDINGS = keys.bindings(keys.SIGNATURE_SETTINGS)

    def __init__(self) -> None:
        super().__init__()
        self.current: settings.SignatureSettings | None = None

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(classes="form"):
            yield Static("Lecture des réglages…", id="settings-title", classes="form-title", markup=False)
            yield Checkbox("Signature V2 (envoi aux prestataires)", id="v2")
            with Grid(classes="form-grid"):
                for name, label in ROWS:
                    yield Label(label)
                    if name == "provider":
                        yield Select(
                            [(v, k) for k, v in settings.PROVIDERS.items()], allow_blank=False, id=name
                        )
                    elif name == "historisation":
                        yield Select([], prompt="(aucun)", id=name)
                    else:
                        yield Input(id=name, password=name in {"api_key", "webhook_secret"})
                    yield Static("", id=f"{name}-error", classes="field-error", markup=False)
            yield Static("", id="verdict", markup=False)
            yield Static(
                "ctrl+t tester l'accès au service · ctrl+s enregistrer · Échap annuler",
                classes="status-line",
                markup=False,
            )

    def on_mount(self) -> None:
        self.call_service(settings.read, self.ctx, on_result=self._fill, group="read")

    def _fill(self, current: settings.SignatureSettings) -> None:
        self.current = current
        self.query_one("#v2", Checkbox).value = current.v2
        self.query_one("#provider", Select).value = current.provider
        history = self.query_one("#historisation", Select)
        history.set_options([(name, tid) for tid, name in current.templates])
        if current.historisation_template_id:
            history.value = current.historisation_template_id
        self.query_one("#manager_name", Input).value = current.manager_name
        self.query_one("#manager_email", Input).value = current.manager_email
        self._show_provider(current.provider)
        who = "" if self.ctx.user.is_admin else " — lecture seule : réservé aux administrateurs"
        self.query_one("#settings-title", Static).update(markup("[b]Signature électronique[/b]$who", who=who))
        self.query_one("#v2", Checkbox).focus()

    def _show_provider(self, provider: str) -> None:
        current = self.current
        if current is None:
            return
        self.query_one("#base_url", Input).value = current.base_urls.get(provider, "")
        for name, masked in (
            ("api_key", current.keys_masked),
            ("webhook_secret", current.webhook_secrets_masked),
        ):
            box = self.query_one(f"#{name}", Input)
            box.value = ""
            shown = masked.get(provider, "")
            env = f"{provider}.{name}" in current.from_environment
            box.placeholder = (
                f"actuelle : {shown} (variable d'environnement)"
                if env
                else (f"actuelle : {shown} — vide : la garder" if shown else "à saisir")
            )

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "provider" and isinstance(event.value, str):
            self._show_provider(event.value)

    def _form(self) -> settings.SettingsForm:
        history = self.query_one("#historisation", Select).value
        provider = self.query_one("#provider", Select).value
        return settings.SettingsForm(
            v2=self.query_one("#v2", Checkbox).value,
            provider=str(provider),
            base_url=self.query_one("#base_url", Input).value,
            api_key=self.query_one("#api_key", Input).value,
            webhook_secret=self.query_one("#webhook_secret", Input).value,
            historisation_template_id=history if isinstance(history, str) else "",
            manager_name=self.query_one("#manager_name", Input).value,
            manager_email=self.query_one("#manager_email", Input).value,
        )

    def action_test_access(self) -> None:
        form = self._form()
        self.query_one("#verdict", Static).update("Test en cours…")
        self.call_service(
            settings.test_access,
            self.ctx,
            form.provider,
            form.api_key,
            form.base_url,
            on_result=self._verdict,
            group="test",
            exclusive=True,
        )

    def _verdict(self, verdict: settings.AccessVerdict) -> None:
        mark = "✓" if verdict.ok else "✗"
        self.query_one("#verdict", Static).update(f"{mark} {verdict.message}")

    def action_save(self) -> None:
        if self.current is None or self.service_busy("save"):
            return
        for name, _ in ROWS:
            self.query_one(f"#{name}-error", Static).update("")
        self.call_service(
            settings.save,
            self.ctx,
            self._form(),
            expect_rev=self.current.rev,
            admin_rev=self.current.admin_rev,
            on_result=self._saved,
            on_error=self._refused,
            group="save",
        )

    def _refused(self, error: ServiceError) -> None:
        if isinstance(error, ValidationFailed):
            for name, message in error.errors.items():
                if self.query(f"#{name}-error"):
                    self.query_one(f"#{name}-error", Static).update(message)
            self.notify("Corrigez les champs signalés : rien n'a été enregistré.", severity="error")
        else:
            self.notify_error(error.message)

    def _saved(self, saved: settings.SignatureSettings) -> None:
        self.notify(f"Réglages signature enregistrés ({saved.provider_label}).")
        self.dismiss()

    def action_cancel(self) -> None:
        self.dismiss()
