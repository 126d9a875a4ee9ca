"""Journal (X6): the audit log on screen — who did what, when, on which record — filtered, opened, exported.

A firm's log reaches a million lines: every filter is an indexed column of the audit table (user, action,
record, and the day for a date range), the list is read by window in the table's order (newest first), and
the export streams the same listing to the file, a thousand lines at a time, never the whole log in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lsc_tui.domain.periods import check_range, days_between, french_day
from lsc_tui.services import exports
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import ServiceError, ValidationFailed
from lsc_tui.services.listing import Row, RowView
from lsc_tui.store.repositories import AuditEntry

TABLES = {
    "parties": "Tiers",
    "templates": "Modèle",
    "events": "Événement",
    "signature_requests": "Fiche signature",
    "letters": "Lettre",
    "entities": "Entité",
    "users": "Utilisateur",
    "settings": "Réglage",
    "preferences": "Préférences",
}
OPENABLE = {
    "parties": "parties",
    "templates": "templates",
    "events": "events",
    "signature_requests": "signatures",
    "letters": "letters",
}
"""Tables whose records have a screen, with their repository in `Repos`."""
ACTIONS = {
    "tiers.modifier": "Tiers modifié",
    "tiers.consentement": "Consentement LRE",
    "modele.creer": "Modèle créé",
    "modele.modifier": "Modèle modifié",
    "modele.dupliquer": "Modèle dupliqué",
    "modele.supprimer": "Modèle supprimé",
    "evenement.chrono": "Chrono attribué",
    "entite.variables_courrier": "Variables courrier",
    "utilisateur.ajouter": "Utilisateur ajouté",
    "utilisateur.retirer": "Utilisateur retiré",
    "utilisateur.droit": "Droit modifié",
    "message.modifier": "Modèle de message modifié",
}
HEADER = ("Date", "Utilisateur", "Action", "Code action", "Table", "Enregistrement", "Détail")
BATCH = 1000


def action_label(action: str) -> str:
    """The French words of an action, or the action itself made readable (« signature : envoyer »)."""
    return ACTIONS.get(action) or action.replace(".", " : ").replace("_", " ")


def record_label(table: str, record_id: str) -> str:
    return f"{TABLES.get(table, table)} {record_id}".strip()


@dataclass(frozen=True)
class JournalFilter:
    user: str = ""
    action: str = ""
    record_id: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    text: str = ""
    """Words typed with `/`: searched in user, action, table, record and detail."""

    def describe(self) -> str:
        """What the list is narrowed to, in words (for the status line and the export's name)."""
        parts = []
        if self.user:
            parts.append(f"utilisateur {self.user}")
        if self.action:
            parts.append(action_label(self.action))
        if self.record_id:
            parts.append(f"enregistrement {self.record_id}")
        if self.since or self.until:
            since = french_day(self.since) if self.since else "…"
            until = french_day(self.until) if self.until else "…"
            parts.append(f"du {since} au {until}")
        if self.text:
            parts.append(f"« {self.text} »")
        return ", ".join(parts)


def _where(ctx: AppContext, flt: JournalFilter) -> dict[str, Any]:
    problem = check_range(flt.since, flt.until)
    if problem:
        raise ValidationFailed({"period": problem})
    where: dict[str, Any] = {}
    if flt.user:
        where["user"] = flt.user
    if flt.action:
        where["action"] = flt.action
    if flt.record_id:
        where["record_id"] = flt.record_id
    if flt.since or flt.until:
        since = flt.since or ctx.repos.audit.oldest_day() or ctx.now().date()
        until = flt.until or max(ctx.now().date(), since)
        where["day"] = days_between(since, until)
    return where


def _row(e: AuditEntry) -> Row:
    when = e.at[:16].replace("T", " ")
    cells = (when, e.user, action_label(e.action), record_label(e.table, e.record_id), e.detail)
    return Row(e.id, cells)


def rows(ctx: AppContext, flt: JournalFilter) -> RowView:
    """The journal's lines matching `flt`, newest first; `flt.text` narrows through the search index."""
    repo = ctx.repos.audit
    view = RowView(repo.listing(_where(ctx, flt)), lambda r: _row(repo.model(r)))
    return view.filter(flt.text) if flt.text.strip() else view


@dataclass(frozen=True)
class Choices:
    users: tuple[tuple[str, str], ...]
    """(login, name) of every user, and of any login found in the log that is no user any more."""
    actions: tuple[tuple[str, str], ...]
    """(action, label) of every action found in the log."""


def choices(ctx: AppContext) -> Choices:
    users = {u.login: u.name for u in ctx.repos.users.all()}
    actions = ctx.repos.audit.actions()
    return Choices(
        tuple(sorted(users.items())),
        tuple(sorted(((a, action_label(a)) for a in actions), key=lambda pair: pair[1].lower())),
    )


def entry(ctx: AppContext, entry_id: str) -> AuditEntry:
    return ctx.repos.audit.require(entry_id)


def target(ctx: AppContext, entry_id: str) -> tuple[str, str]:
    """(table, record id) a journal line is about, when its record still exists and has a screen."""
    line = ctx.repos.audit.require(entry_id)
    label = record_label(line.table, line.record_id)
    if line.table not in OPENABLE:
        raise ServiceError(f"« {label} » ne s'ouvre pas depuis le journal : voyez l'écran qui le gère.")
    if getattr(ctx.repos, OPENABLE[line.table]).get(line.record_id) is None:
        raise ServiceError(f"« {label} » n'existe plus : il a été supprimé depuis cette ligne du journal.")
    return line.table, line.record_id


def _lines(view: RowView) -> Iterator[tuple[str, ...]]:
    listing = view.listing
    for start in range(0, len(listing), BATCH):
        for record in listing.window(start, start + BATCH):
            at, user, action = record.get("at", ""), record.get("user", ""), record.get("action", "")
            table, record_id = record.get("table", ""), record.get("record_id", "")
            yield (
                at,
                user,
                action_label(action),
                action,
                TABLES.get(table, table),
                record_id,
                record.get("detail", ""),
            )


def export_csv(ctx: AppContext, flt: JournalFilter, path: str, *, overwrite: bool = False) -> exports.Export:
    """Every line `flt` shows, newest first, streamed to `path` (CSV, 0640)."""
    return exports.write_csv(path, HEADER, _lines(rows(ctx, flt)), overwrite=overwrite)
