"""What AR24's consent register brings to a letter (L2): each recipient's own consent link, and the email AR24
knows for a party whose email is missing or different.

- `{AR24_LienConsentement}` is the link with which *this* recipient gives consent: the link of AR24's consent
  for that email when AR24 has one (waiting or accepted), else the one of a consent request made for them now
  (`consent/request`, which emails them too). Asked only when the letter's text uses the variable, one
  `consent/list` per batch; an account without the consent routes (§15 is our sandbox's extension) keeps the
  administration's single link.
- The error recap (DEMO step 6) offers AR24's email for a party when AR24 holds an accepted consent under the
  party's name — the one « MAJ accord » would otherwise not match, since our file lacks that email — and one key
  takes it (the consent is recorded as AR24's, with its proof link).
"""

from __future__ import annotations

import asyncio
import unicodedata
from dataclasses import dataclass, field

from lsc_tui.domain.letters import RegisteredLetter
from lsc_tui.domain.mailmerge import variables_in
from lsc_tui.domain.models import Party, PartyKind
from lsc_tui.providers.ar24 import Ar24Client
from lsc_tui.providers.base import NotFound, ProviderError, Recipient, RemoteConsent, Unsupported
from lsc_tui.services import ar24_account, consents
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import ServiceError

VARIABLE = "AR24_LienConsentement"


def uses_link(ctx: AppContext, event_ids: list[str]) -> set[str]:
    """The events whose letter text (subject or body, the event's own or its template's) uses the variable."""
    events = ctx.repos.events.get_many(event_ids)
    templates = ctx.repos.templates.get_many(list({e.template_id for e in events.values()}))
    out: set[str] = set()
    for event in events.values():
        template = templates.get(event.template_id)
        texts = (event.body, template.body if template else "", template.subject if template else "")
        if any(name.strip().lower() == VARIABLE.lower() for text in texts for name in variables_in(text)):
            out.add(event.id)
    return out


@dataclass
class ConsentLinks:
    """One batch's consent links: AR24's register read once, a request made only for a recipient it lacks."""

    ar24: Ar24Client
    sender_id: str
    events: frozenset[str] = frozenset()
    known: dict[str, str] = field(default_factory=dict)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def for_letter(self, letter: RegisteredLetter) -> str:
        """This recipient's link, or "" (the text does not use it, no email, or no consent routes)."""
        email = letter.recipient_email.strip()
        if letter.event_id not in self.events or not email:
            return ""
        async with self.lock:  # two letters to one person: one request
            if email.lower() not in self.known:
                recipient = Recipient(email=email, first_name=letter.recipient_first_name,
                                      last_name=letter.recipient_last_name or letter.recipient_name)  # fmt: skip
                try:
                    self.known[email.lower()] = (
                        await self.ar24.request_consent(self.sender_id, recipient)
                    ).link
                except (Unsupported, NotFound):
                    self.known[email.lower()] = ""
        return self.known[email.lower()]


async def links_for(ctx: AppContext, ar24: Ar24Client, sender_id: str, event_ids: list[str]) -> ConsentLinks:
    events = await asyncio.to_thread(uses_link, ctx, event_ids)
    links = ConsentLinks(ar24, sender_id, frozenset(events))
    if events:
        try:
            register = await ar24.consents(sender_id)
        except (Unsupported, NotFound):  # no consent routes: the administration's link stays
            return ConsentLinks(ar24, sender_id)
        links.known = {c.email.strip().lower(): c.link for c in register if c.status != "refused" and c.link}
    return links


# ---- AR24's email for a party ----------------------------------------------------------------------------


def _name(*parts: str) -> str:
    text = unicodedata.normalize("NFKD", " ".join(parts)).encode("ascii", "ignore").decode().lower()
    return " ".join(sorted(text.replace("-", " ").split()))


def _match(party: Party, register: list[RemoteConsent]) -> RemoteConsent | None:
    if party.kind is PartyKind.COMPANY:
        return None
    wanted = _name(party.first_name, party.last_name)
    found = [
        c
        for c in register
        if c.status == "accepted" and c.last_name and _name(c.first_name, c.last_name) == wanted
    ]
    if len(found) != 1 or found[0].email.strip().lower() == party.email.strip().lower():
        return None  # none, or two people of that name at AR24: no guess
    return found[0]


async def ar24_emails(ctx: AppContext, party_ids: list[str]) -> dict[str, str]:
    """party id → the email AR24 holds an accepted consent for under that party's name, when ours differs."""
    if not party_ids:
        return {}
    ar24, acc = await ar24_account.sender(ctx)
    try:
        register = await ar24.consents(acc.remote_id)
    except (Unsupported, NotFound):
        return {}
    parties = await asyncio.to_thread(ctx.repos.parties.get_many, party_ids)
    out: dict[str, str] = {}
    for pid, party in parties.items():
        found = _match(party, register)
        if found is not None:
            out[pid] = found.email
    return out


async def take_ar24_email(ctx: AppContext, party_id: str) -> str:
    """The party gets AR24's email and AR24's consent (register entry with its proof link); a sentence back."""
    ctx.require_write()
    ar24, acc = await ar24_account.sender(ctx)
    register = await ar24.consents(acc.remote_id)
    party = await asyncio.to_thread(ctx.repos.parties.require, party_id)
    found = _match(party, register)
    if found is None:
        raise ServiceError(f"AR24 ne connaît pas d'autre email consenti pour {party.display_name}.")
    await asyncio.to_thread(consents.take_from_ar24, ctx, party_id, found)
    return f"{party.display_name} : email {found.email} et consentement repris d'AR24."


async def request_link(ctx: AppContext, party_id: str) -> str:
    """« Envoyer le lien de consentement »: AR24 emails this party its consent request; a sentence back."""
    ctx.require_write()
    party = await asyncio.to_thread(ctx.repos.parties.require, party_id)
    if not party.email.strip():
        raise ServiceError(f"{party.display_name} n'a pas d'email : saisissez-le d'abord (Entrée).")
    ar24, acc = await ar24_account.sender(ctx)
    recipient = Recipient(email=party.email.strip(), first_name=party.first_name, last_name=party.last_name)
    try:
        await ar24.request_consent(acc.remote_id, recipient)
    except (Unsupported, NotFound) as exc:
        raise ServiceError("Votre contrat AR24 n'offre pas les demandes de consentement par l'API.") from exc
    except ProviderError as exc:
        raise ServiceError(exc.message) from exc
    return (
        f"Demande de consentement envoyée par AR24 à {party.email.strip()} ; « MAJ accord » lira sa réponse."
    )
