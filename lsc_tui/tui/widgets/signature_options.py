"""The template's words to the signers and its automatic reminders (S9, O5), in its « Signature électronique »
tab: what every file made from the template carries to the provider when it is sent."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static

from lsc_tui.domain.models import Template
from lsc_tui.services.templates import REMINDER_CHOICES


class SignatureOptions(Vertical):
    DEFAULT_CSS = """
    SignatureOptions { height: auto; }
    SignatureOptions #signature_note { width: 1fr; }
    SignatureOptions #reminder_interval { width: 26; }
    SignatureOptions #reminder_count { width: 5; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal(classes="template-options"):
            yield Label("Message aux signataires ")
            yield Input(
                id="signature_note", compact=True, max_length=500, placeholder="vide : invitation du cabinet"
            )
        yield Static("", id="signature_note-error", classes="template-error", markup=False)
        with Horizontal(classes="template-options"):
            yield Label("Relances automatiques ")
            yield Select(
                [(label, days) for days, label in REMINDER_CHOICES.items()],
                id="reminder_interval",
                allow_blank=False,
                compact=True,
            )
            yield Label(" au plus ")
            yield Input(id="reminder_count", restrict=r"[0-9]{0,2}", compact=True)
            yield Label(" fois")
        yield Static("", id="reminders-error", classes="template-error", markup=False)

    def fill(self, template: Template) -> None:
        self.query_one("#signature_note", Input).value = template.signature_note
        interval = template.reminder_interval if template.reminder_interval in REMINDER_CHOICES else 0
        self.query_one("#reminder_interval", Select).value = interval
        self.query_one("#reminder_count", Input).value = str(template.reminder_count or "")

    def values(self) -> dict[str, Any]:
        interval = self.query_one("#reminder_interval", Select).value
        days = interval if isinstance(interval, int) else 0
        count = int(self.query_one("#reminder_count", Input).value or 0)
        return {
            "signature_note": self.query_one("#signature_note", Input).value,
            "reminder_interval": days,
            "reminder_count": count if days else 0,
        }
