"""One event: what it is, for which entity, from which template, and each party with its role."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from lsc_tui.services import events, session
from lsc_tui.tui import keys
from lsc_tui.tui.screens.base import BaseScreen
from lsc_tui.tui.screens.party_form import PartyFormScreen
from lsc_tui.tui.text import markup


class EventDetailScreen(BaseScreen):
    WATCHES = session.EVENTS | session.PARTIES | session.ENTITIES | session.TEMPLATES
    TITLE_FR = "Événement"
    BINDINGS = keys.bindings(keys.EVENT_DETAIL)

    def __init__(self, event_id: str) -> None:
        super().__init__()
        self.event_id = event_id
        self.party_ids: list[str] = []

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(classes="detail"):
            yield Static("Lecture…", id="detail", markup=False)

    def reload(self) -> None:
        self.call_service(events.detail, self.ctx, self.event_id, on_result=self._show, group="detail")

    def _show(self, d: events.EventDetail) -> None:
        e = d.event
        self.party_ids = [p.party_id for p in e.parties]
        lines = [
            markup("Objet      : [b]$v[/b]", v=e.title),
            markup("Chrono     : $v", v=e.chrono or "— (donné à l’envoi)"),
            markup("Créé le    : $v", v=e.created_at[:16].replace("T", " ")),
            markup("Entité     : $v", v=d.entity.name if d.entity else "?"),
            markup("Modèle     : $v", v=d.template.name if d.template else "?"),
            markup("État       : $v", v=events.STATE_LABELS.get(e.state, e.state)),
            Content(""),
            Content("Tiers :"),
        ]
        for role, party in d.parties:
            if party is None:
                lines.append(markup("  $role (tiers supprimé)", role=f"{role:<24}"))
                continue
            contact = " · ".join((party.email or "email manquant", party.mobile or "mobile manquant"))
            lines.append(markup("  $role [b]$name[/b]", role=f"{role:<24}", name=party.display_name))
            lines.append(markup("  $pad $contact", pad=" " * 24, contact=contact))
        self.query_one("#detail", Static).update(Content("\n").join(lines))

    def action_open_party(self) -> None:
        if self.party_ids:
            self.app.push_screen(PartyFormScreen(self.party_ids[0]))
