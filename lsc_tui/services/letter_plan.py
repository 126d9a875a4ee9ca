"""Validation des envois (L4, L5): what « Envoyer en AR » would send for the selected events, and why some
letters cannot go yet.

A plan is recomputed from the store each time (« Recalculer les erreurs »): the person fixes a party in its
form, switches one recipient to paper, and the plan says again how many errors are left. The preparing batch
computes it once more before writing anything, so a consent withdrawn in between is caught (L1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lsc_tui.domain.consents import ConsentSource
from lsc_tui.domain.letters import LetterKind, RecipientFacts, problems
from lsc_tui.domain.models import Event, Party, PartyKind
from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import ServiceError

Override = tuple[str, str]  # (event_id, party_id)
SENT_ALREADY = {
    LetterStatus.SENDING,
    LetterStatus.TO_VALID,
    LetterStatus.WAITING,
    LetterStatus.SENT,
    LetterStatus.AR,
    LetterStatus.REFUSED,
    LetterStatus.NEGLIGENCE,
    LetterStatus.BOUNCED,
    LetterStatus.TO_PRINT,
    LetterStatus.PRINTED,
}


@dataclass(frozen=True)
class SendOptions:
    """The screen's choices: the kind for everyone, paper printing options, and recipients switched to
    another kind one by one (a private person without consent → paper)."""

    kind: LetterKind = LetterKind.EIDAS
    color: bool = False
    duplex: bool = False
    overrides: tuple[tuple[Override, LetterKind], ...] = ()

    def kind_for(self, event_id: str, party_id: str) -> LetterKind:
        return dict(self.overrides).get((event_id, party_id), self.kind)

    def with_kind(self, event_id: str, party_id: str, kind: LetterKind) -> SendOptions:
        chosen = dict(self.overrides)
        chosen[(event_id, party_id)] = kind
        return SendOptions(self.kind, self.color, self.duplex, tuple(chosen.items()))


@dataclass(frozen=True)
class PlannedLetter:
    event_id: str
    party_id: str
    party_name: str
    role: str
    email: str
    kind: LetterKind
    problems: tuple[str, ...] = ()
    existing: str = ""
    """The status label of a letter already prepared for this recipient: it is not prepared twice."""

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class EventPlan:
    event: Event
    letters: tuple[PlannedLetter, ...]

    @property
    def errors(self) -> list[PlannedLetter]:
        return [x for x in self.letters if x.problems]


@dataclass(frozen=True)
class SendingPlan:
    options: SendOptions
    events: tuple[EventPlan, ...] = field(default_factory=tuple)

    @property
    def letters(self) -> list[PlannedLetter]:
        return [x for e in self.events for x in e.letters]

    @property
    def errors(self) -> list[PlannedLetter]:
        return [x for x in self.letters if x.problems]

    @property
    def to_prepare(self) -> list[PlannedLetter]:
        return [x for x in self.letters if x.ok and not x.existing]

    def summary(self) -> str:
        """« Information sur l'envoi »: how many letters, of which kind, how many errors."""
        n, errors = len(self.letters), len(self.errors)
        kinds: dict[str, int] = {}
        for x in self.letters:
            kinds[x.kind.label] = kinds.get(x.kind.label, 0) + 1
        detail = ", ".join(f"{count} {label}" for label, count in kinds.items())
        done = sum(1 for x in self.letters if x.existing)
        text = f"{len(self.events)} événement(s), {n} lettre(s) ({detail}) ; {errors} erreur(s)"
        if done:
            text += f" ; {done} déjà préparée(s)"
        return text


def facts(party: Party, correspondent_email: str = "") -> RecipientFacts:
    return RecipientFacts(
        name=party.display_name,
        email=(correspondent_email or party.email).strip(),
        professional=party.is_professional or party.kind is PartyKind.COMPANY,
        consent=party.lre_consent,
        address_complete=party.address.is_complete,
        consent_here_only=consent_here_only(party),
    )


def consent_here_only(party: Party) -> bool:
    """A consent typed in this app (« saisie »): AR24's register has not got it. One imported by « MAJ accord »
    or brought in with the agency's file (contract, general meeting) is AR24's as well."""
    return party.lre_consent and party.lre_consent_source == ConsentSource.MANUAL.value


def build_plan(ctx: AppContext, event_ids: list[str], options: SendOptions | None = None) -> SendingPlan:
    """One planned letter per recipient of each event, with its problems; read fresh from the store."""
    options = options or SendOptions()
    if not event_ids:
        raise ServiceError("Aucun événement sélectionné : cochez les événements à envoyer en AR (Espace).")
    repos = ctx.repos
    events = repos.events.get_many(event_ids)
    missing = [e for e in event_ids if e not in events]
    if missing:
        raise ServiceError(
            f"{len(missing)} événement(s) n'existent plus (supprimés par un autre utilisateur ?)."
        )
    party_ids = list(dict.fromkeys(ep.party_id for e in events.values() for ep in e.parties))
    parties = repos.parties.get_many(party_ids)
    existing = {  # a letter cut while being prepared is prepared again (the batch resumes it)
        (x.event_id, x.party_id): x
        for x in repos.letters.for_events(event_ids)
        if x.status in SENT_ALREADY and not (x.status is LetterStatus.SENDING and x.stage == "prepare")
    }
    plans: list[EventPlan] = []
    for event_id in dict.fromkeys(event_ids):
        event = events[event_id]
        letters: list[PlannedLetter] = []
        if not event.parties:
            raise ServiceError(f"L'événement « {event.title} » n'a aucun tiers destinataire.")
        seen: set[str] = set()
        for ep in event.parties:
            if ep.party_id in seen:  # one letter per recipient, even when the party holds two roles
                continue
            seen.add(ep.party_id)
            party = parties.get(ep.party_id)
            kind = options.kind_for(event_id, ep.party_id)
            done = existing.get((event_id, ep.party_id))
            if party is None:
                letters.append(
                    PlannedLetter(
                        event_id,
                        ep.party_id,
                        "(tiers supprimé)",
                        ep.role.label,
                        "",
                        kind,
                        ("ce tiers n'existe plus",),
                    )
                )
                continue
            who = facts(party, ep.correspondent_email)
            found = () if done else tuple(problems(kind, who))
            letters.append(
                PlannedLetter(
                    event_id,
                    party.id,
                    party.display_name,
                    ep.role.label,
                    who.email,
                    kind,
                    found,
                    done.status.label if done else "",
                )
            )
        plans.append(EventPlan(event, tuple(letters)))
    return SendingPlan(options, tuple(plans))


def error_events(plan: SendingPlan) -> list[str]:
    """« Lister les événements en erreur »: the events that still have a letter that cannot go."""
    return [e.event.id for e in plan.events if e.errors]
