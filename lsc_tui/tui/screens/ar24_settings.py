"""Réglages — Compte AR24 (C3) et moyens de paiement (C4).

The user's AR24 email (no password: AR24 asks its holder to confirm the link by email), « Autoriser le
compte » and whether the link is active, how the day's letters wait for the OTP (documented or AR24's
queue), the public address of `lsc-tui webhooks serve` AR24 calls back (administrators; shown to all, its
secret token masked), and one payment method per entity (Enter on an entity: choose among those AR24 knows).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from lsc_tui.domain.consents import Ar24Account, ValidationMode
from lsc_tui.services import ar24_account, ar24_webhooks, session
from lsc_tui.services.ar24_account import PaymentLinks
from lsc_tui.services.ar24_webhooks import WebhookSetting
from lsc_tui.services.listing import Row, rows_of
from lsc_tui.tui import keys
from lsc_tui.tui.screens.actions import ActionMenu, MenuAction
from lsc_tui.tui.screens.base import BaseScreen
from lsc_tui.tui.widgets.record_list import Column, RecordList

MODES = (ValidationMode.DOCUMENTED, ValidationMode.QUEUE)
DIGITS = "123456789abcdefghijklmnopqrstuvwxyz"


def link_text(acc: Ar24Account | None) -> str:
    if acc is None:
        return "Lien : aucun compte AR24 renseigné."
    if acc.linked:
        return f"Lien : ACTIF (compte AR24 n° {acc.remote_id}, vérifié le {acc.checked_at[:16].replace('T', ' ')})."
    if acc.link_requested_at:
        return "Lien : en attente — AR24 a envoyé un courriel au titulaire du compte pour confirmer."
    return "Lien : non autorisé — ctrl+l « Autoriser le compte »."


class Ar24SettingsScreen(BaseScreen):
    TITLE_FR = "Compte AR24 et moyens de paiement"
    WATCHES = session.SETTINGS | session.ENTITIES
    BINDINGS = keys.bindings(keys.AR24_ACCOUNT)
    DEFAULT_CSS = """
    Ar24SettingsScreen #ar24-form { height: auto; padding: 0 1; }
    Ar24SettingsScreen #ar24-email, Ar24SettingsScreen #ar24-webhook { width: 1fr; max-width: 72; }
    Ar24SettingsScreen #ar24-link, Ar24SettingsScreen #ar24-mode, Ar24SettingsScreen #ar24-webhook-url {
        height: auto;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.account: Ar24Account | None = None
        self.mode = ValidationMode.DOCUMENTED
        self.links: PaymentLinks | None = None
        self.webhook = WebhookSetting()

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="list-body"):
            with Vertical(id="ar24-form"):
                yield Label("Email du compte AR24 (expéditeur)")
                yield Input(id="ar24-email")
                yield Static("", id="ar24-link", markup=False)
                yield Static("", id="ar24-mode", markup=False)
                yield Label("Adresse publique de « lsc-tui webhooks serve » (notifications AR24, admin)")
                yield Input(placeholder="https://…", id="ar24-webhook", disabled=not self.ctx.user.is_admin)
                yield Static("", id="ar24-webhook-url", markup=False)
                yield Static("Moyens de paiement par entité (Entrée : choisir ; ctrl+r : lire ceux d'AR24)",
                             markup=False)  # fmt: skip
            yield RecordList((Column("Entité", 6, 20), Column("Moyen de paiement", 5, 20)), tickable=False,
                             id="ar24-entities")  # fmt: skip

    def on_mount(self) -> None:
        self.query_one("#ar24-email", Input).focus()

    def reload(self) -> None:
        self.call_service(ar24_account.account, self.ctx, on_result=self._account, group="ar24-account")
        self.call_service(ar24_webhooks.read, self.ctx, on_result=self._webhook, group="ar24-webhook")
        self.call_service(
            lambda: self.ctx.repos.entities.all(), on_result=self._entities, group="ar24-entities"
        )

    def _account(self, acc: Ar24Account | None) -> None:
        self.account = acc
        box = self.query_one("#ar24-email", Input)
        if acc is not None and not box.value:
            box.value = acc.email
        self.mode = acc.mode if acc is not None else ValidationMode.DOCUMENTED
        self.query_one("#ar24-link", Static).update(link_text(acc))
        self._show_mode()

    def _webhook(self, setting: WebhookSetting) -> None:
        box = self.query_one("#ar24-webhook", Input)
        if not box.value or box.value == self.webhook.base_url:  # what is being typed is kept
            box.value = setting.base_url
        self.webhook = setting
        self.query_one("#ar24-webhook-url", Static).update(setting.line)

    def _show_mode(self) -> None:
        self.query_one("#ar24-mode", Static).update(f"Validation des lettres (ctrl+k) : {self.mode.label}")

    def _entities(self, entities: list) -> None:  # type: ignore[type-arg]
        label = self.links.label_of if self.links else (lambda m: m or "—")
        rows = [Row(e.id, (e.name, label(e.payment_method_id))) for e in entities]
        self.query_one("#ar24-entities", RecordList).set_rows(rows_of(rows))

    def action_next_mode(self) -> None:
        self.mode = MODES[(MODES.index(self.mode) + 1) % len(MODES)]
        self._show_mode()

    def action_save(self) -> None:
        email = self.query_one("#ar24-email", Input).value
        self.call_service(ar24_account.save_account, self.ctx, email, self.mode, on_result=self._saved,
                          group="ar24-save")  # fmt: skip
        address = self.query_one("#ar24-webhook", Input).value.strip()
        if self.ctx.user.is_admin and address != self.webhook.base_url:
            self.call_service(ar24_webhooks.save, self.ctx, address, expect_rev=self.webhook.rev,
                              on_result=self._webhook_saved, group="ar24-webhook-save")  # fmt: skip

    def _webhook_saved(self, setting: WebhookSetting) -> None:
        self.webhook = setting
        self.query_one("#ar24-webhook", Input).value = setting.base_url
        self.query_one("#ar24-webhook-url", Static).update(setting.line)
        self.notify("Adresse des notifications AR24 enregistrée.", timeout=3)

    def _saved(self, acc: Ar24Account) -> None:
        self._account(acc)
        self.notify("Compte AR24 enregistré.", timeout=3)

    def action_authorize(self) -> None:
        self.query_one("#ar24-link", Static).update("Lien : interrogation d'AR24…")
        self.call_service(ar24_account.authorize, self.ctx, on_result=self._authorized, group="ar24-link")

    def _authorized(self, acc: Ar24Account) -> None:
        self._account(acc)
        self.notify(link_text(acc), timeout=6)

    def action_load_methods(self) -> None:
        self.call_service(
            ar24_account.payment_methods, self.ctx, on_result=self._methods, group="ar24-methods"
        )

    def _methods(self, links: PaymentLinks) -> None:
        self.links = links
        self._entities(links.entities)
        self.notify(f"{len(links.methods)} moyen(s) de paiement chez AR24.", timeout=3)

    @on(RecordList.Opened)
    def _choose(self, message: RecordList.Opened) -> None:
        if not self.ctx.user.is_admin:  # the service refuses too; no menu whose choice would be refused
            self.notify("« Lier un moyen de paiement » est réservé aux administrateurs.", severity="warning")
            return
        if self.links is None:
            self.notify("Lisez d'abord les moyens de paiement d'AR24 (ctrl+r).", severity="warning")
            return
        entity_id = message.key
        items = [MenuAction(DIGITS[i], m.label, m.remote_id) for i, m in enumerate(self.links.methods[:35])]
        self.app.push_screen(
            ActionMenu("Moyen de paiement de l'entité", items),
            lambda chosen: self._link(entity_id, chosen),
        )

    def _link(self, entity_id: str, method_id: str | None) -> None:
        if method_id:
            self.call_service(ar24_account.link_payment_method, self.ctx, entity_id, method_id,
                              on_result=lambda _e: self.reload(), group="ar24-link-method")  # fmt: skip
