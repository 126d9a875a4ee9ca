"""Consentement LRE (L1, L2): set or remove it on a selection of parties, and « MAJ accord de consentement
LRE », which reads AR24's consent answers (our sandbox's §15 `consent/list`), ticks the parties who accepted
(their email written as AR24 has it), unticks those who refused, and says which parties changed.

Every change is one entry of the register (who, email, date, source, proof link) and the party's flag, in the
same transaction. The flag is a fact about the person: it merges into the party (`ANY_REV`) rather than
failing on a colleague's unrelated edit of the address.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from lsc_tui.domain.consents import Consent, ConsentSource
from lsc_tui.domain.models import Party
from lsc_tui.providers.base import RemoteConsent
from lsc_tui.services import ar24_account
from lsc_tui.services.context import AppContext
from lsc_tui.store.protocol import ANY_REV
from lsc_tui.store.repositories import Repos


def _record(w: Repos, ctx: AppContext, party: Party, accepted: bool, date: str, source: str,
            proof: str = "", email: str | None = None) -> None:  # fmt: skip
    mail = party.email if email is None else email
    w.consents.insert(Consent(party.id, mail, accepted, date, source, proof, ctx.user.login, ctx.now_iso()))
    changes: dict[str, object] = {
        "lre_consent": accepted,
        "lre_consent_date": date if accepted else "",
        "lre_consent_source": source if accepted else "",
    }
    if email is not None and email != party.email:
        changes["email"] = email
    w.parties.change(party.id, changes, expect_rev=ANY_REV)
    ctx.audit(
        w, "tiers.consentement", w.parties, party.id, f"{'accord' if accepted else 'retrait'} ({source})"
    )


def set_consent(
    ctx: AppContext, party_ids: list[str], given: bool, source: str = ConsentSource.MANUAL.value
) -> int:
    """Set or remove the consent on a selection (date and source kept); one transaction."""
    date = ctx.now_iso()
    with ctx.write() as w:
        found = w.parties.get_many(party_ids)
        for pid in party_ids:
            if pid in found:
                _record(w, ctx, found[pid], given, date, source)
    return len([p for p in party_ids if p in found])


def take_from_ar24(ctx: AppContext, party_id: str, answer: RemoteConsent) -> None:
    """AR24's accepted consent, found under this party's name, becomes the party's (email included)."""
    date = answer.date.isoformat(timespec="seconds") if answer.date else ctx.now_iso()
    with ctx.write() as w:
        party = w.parties.require(party_id)
        _record(w, ctx, party, True, date, ConsentSource.AR24.value, answer.proof_url, answer.email)


@dataclass(frozen=True)
class ConsentChange:
    party_id: str
    name: str
    what: str


@dataclass(frozen=True)
class ConsentImport:
    asked: int
    changes: tuple[ConsentChange, ...]

    def summary(self) -> str:
        if not self.changes:
            return f"{self.asked} réponse(s) lue(s) chez AR24 : aucun tiers à mettre à jour."
        return f"{self.asked} réponse(s) lue(s) chez AR24 ; {len(self.changes)} tiers mis à jour."


def _apply(ctx: AppContext, answers: list[RemoteConsent]) -> list[ConsentChange]:
    changes: list[ConsentChange] = []
    with ctx.write() as w:
        parties = w.parties.all()
        by_email: dict[str, list[Party]] = {}
        for p in parties:
            if p.email.strip():
                by_email.setdefault(p.email.strip().lower(), []).append(p)
        for answer in answers:
            if answer.status not in {"accepted", "refused"}:
                continue
            accepted = answer.status == "accepted"
            date = answer.date.isoformat(timespec="seconds") if answer.date else ctx.now_iso()
            for party in by_email.get(answer.email.strip().lower(), []):
                known = not accepted or party.lre_consent_source != ConsentSource.MANUAL.value
                if party.lre_consent == accepted and party.email == answer.email and known:
                    continue
                what = "accord reçu" if accepted else "refus reçu : consentement retiré"
                if accepted and party.email != answer.email:
                    what += f", email mis à jour ({answer.email})"
                _record(
                    w, ctx, party, accepted, date, ConsentSource.AR24.value, answer.proof_url, answer.email
                )
                changes.append(ConsentChange(party.id, party.display_name, what))
    return changes


async def import_from_ar24(ctx: AppContext) -> ConsentImport:
    """« MAJ accord de consentement LRE »: AR24's answers applied; the parties that changed, listed."""
    ar24, acc = await ar24_account.sender(ctx)
    answers = await ar24.consents(acc.remote_id)
    changes = await asyncio.to_thread(_apply, ctx, answers)
    return ConsentImport(len(answers), tuple(changes))
