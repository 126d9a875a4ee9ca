"""One event: what it is, for which entity, from which template, and each party with its role."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from lsc_tui.services import events
from lsc_tui.services.errors import ServiceError
from lsc_tui.tui.screens.base import BaseScreen
from lsc_tui.tui.screens.party_form import PartyFormScreen


class EventDetailScreen(BaseScreen):
    TITLE_FR = "Événement"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Retour", id="detail.back"),
        Binding("t", "open_party", "Fiche du 1er tiers", id="detail.party"),
    ]

    def __init__(self, event_id: str) -> None:
        super().__init__()
        self.event_id = event_id
        self.party_ids: list[str] = []

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(classes="detail"):
            yield Static("", id="detail")

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        try:
            d = events.detail(self.lsc.ctx, self.event_id)
        except ServiceError as exc:
            self.notify_error(exc.message)
            return
        e = d.event
        self.party_ids = [p.party_id for p in e.parties]
        lines = [
            f"Objet      : {e.title}",
            f"Chrono     : {e.chrono or '— (donné à l’envoi)'}",
            f"Créé le    : {e.created_at[:16].replace('T', ' ')}",
            f"Entité     : {d.entity.name if d.entity else '?'}",
            f"Modèle     : {d.template.name if d.template else '?'}",
            f"État       : {events.STATE_LABELS.get(e.state, e.state)}",
            "",
            "Tiers :",
        ]
        for role, party in d.parties:
            if party is None:
                lines.append(f"  {role:<30} (tiers supprimé)")
                continue
            contact = " · ".join(
                x for x in (party.email or "email manquant", party.mobile or "mobile manquant")
            )
            lines.append(f"  {role:<30} {party.display_name}  —  {contact}")
        self.query_one("#detail", Static).update("\n".join(lines))

    def action_open_party(self) -> None:
        if self.party_ids:
            self.app.push_screen(PartyFormScreen(self.party_ids[0]))
