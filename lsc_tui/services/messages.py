"""Modèles de messages (O5): one settings section per kind (« message.invitation »…), edited by those with the
right (C5), and `message_for`, what the sending path gives YouSign as `email_custom_note` (or a cancellation's
`custom_note`): the firm's text filled in for one signature file, 500 characters at most.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lsc_tui.documents import french_date
from lsc_tui.domain.messages import DEFAULTS, SAMPLE, MessageKind, preview, render
from lsc_tui.domain.models import SignatureRequest
from lsc_tui.domain.rights import MESSAGES, may
from lsc_tui.services import entities, rendering, rights
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import EditConflict, ValidationFailed
from lsc_tui.store import Conflict

PREFIX = "message."


@dataclass(frozen=True)
class Message:
    kind: MessageKind
    text: str
    rev: int | None
    """The stored section's revision; None while the firm uses the default text."""

    @property
    def is_default(self) -> bool:
        return self.rev is None


@dataclass(frozen=True)
class Messages:
    messages: tuple[Message, ...]
    sample: dict[str, str]
    """Values of the live preview: the sample, with the firm's own name."""
    can_edit: bool


def _key(kind: MessageKind) -> str:
    return PREFIX + kind.value


def text_of(ctx: AppContext, kind: MessageKind) -> str:
    return str(ctx.repos.settings.section(_key(kind)).get("text", DEFAULTS[kind]))


def load(ctx: AppContext) -> Messages:
    found = []
    for kind in MessageKind:
        section = ctx.repos.settings.section(_key(kind))
        found.append(Message(kind, str(section.get("text", DEFAULTS[kind])), section.get("_rev")))
    name = str(entities.administration(ctx).get("name") or SAMPLE["administration.nom"])
    sample = {**SAMPLE, "administration.nom": name, "expediteur.nom": ctx.user.name}
    return Messages(tuple(found), sample, may(ctx.user, MESSAGES) and not ctx.readonly)


def save(ctx: AppContext, edits: dict[MessageKind, tuple[str, int | None]]) -> Messages:
    """Save each edited kind as typed (`(text, revision read)`), all or none; problems by kind."""
    rights.require(ctx, MESSAGES)
    errors = {
        kind.value: " ".join(shown.problems)
        for kind, (text, _rev) in edits.items()
        if (shown := preview(text)).problems
    }
    if errors:
        raise ValidationFailed(errors)
    try:
        with ctx.write() as w:
            for kind, (text, rev) in edits.items():
                w.settings.put(_key(kind), {"text": text}, expect_rev=rev)
                ctx.audit(w, "message.modifier", w.settings, _key(kind), kind.label)
    except Conflict as exc:
        raise EditConflict("Ce modèle de message") from exc
    return load(ctx)


def restore_default(ctx: AppContext, kind: MessageKind, rev: int) -> Messages:
    """Back to the text lsc-tui ships (the firm's own is forgotten)."""
    rights.require(ctx, MESSAGES)
    try:
        with ctx.write() as w:
            w.settings.remove(_key(kind), expect_rev=rev)
            ctx.audit(w, "message.modifier", w.settings, _key(kind), f"{kind.label} : texte par défaut")
    except Conflict as exc:
        raise EditConflict("Ce modèle de message") from exc
    return load(ctx)


def values_for(ctx: AppContext, request: SignatureRequest) -> dict[str, str]:
    """Every message variable for one signature file (empty when unknown, e.g. a file made from a contact)."""
    repos = ctx.repos
    event = repos.events.get(request.event_id) if request.event_id else None
    entity = repos.entities.get(request.entity_id) if request.entity_id else None
    manager = entities.manager_of(ctx, entity) if entity else None
    values: dict[str, str] = {"administration.nom": rendering.letterhead(ctx).name}
    if event is not None:
        found = repos.parties.get_many([p.party_id for p in event.parties])
        parties = [found[p.party_id] for p in event.parties if p.party_id in found]
        values = rendering.event_values(ctx, event, entity, parties, manager)
    elif entity is not None:
        values |= {"entite.nom": entity.name}
    if manager is not None:
        values |= {"gerant.nom": manager.manager_name, "gerant.email": manager.manager_email}
    deadline = request.expires_at[:10]
    return {
        **values,
        "date": french_date(ctx.now().date()),
        "document.titre": request.title,
        "signataires": ", ".join(f"{s.first_name} {s.last_name}".strip() for s in request.signers),
        "echeance": french_date(dt.date.fromisoformat(deadline)) if deadline else "",
        "expediteur.nom": ctx.user.name,
    }


def message_for(ctx: AppContext, kind: MessageKind | str, request: SignatureRequest) -> str:
    """The firm's message of `kind` filled in for `request`, at most 500 characters (cut at a word with « … »
    when real names make it longer): what YouSign receives as `email_custom_note` or `custom_note`."""
    kind = MessageKind(kind)
    return render(text_of(ctx, kind), values_for(ctx, request))
