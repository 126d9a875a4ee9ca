"""The letters part of the demo (DEMO.md steps 5–8): AR24's consent list mirroring the agency's, the day's
letters made sendable at seed time, and the sandbox clock pushed 15 days ahead from a palette command.

Only a demo folder uses this: the sandbox is mounted in-process there, and its control routes (`/_sandbox`)
are the demo's way to play the recipients' part.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from lsc_tui.domain.consents import Ar24Account, ValidationMode
from lsc_tui.domain.letters import LetterKind
from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.providers.base import ProviderError
from lsc_tui.services import ar24_account, ar24_webhooks
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import ServiceError
from lsc_tui.store import RecordStore
from lsc_tui.store.repositories import Repos

SENDER = "claire"
"""The demo user whose letters wait for F9 (the seed's `to_valid` letters are hers)."""

# Two recipients who said yes at AR24 but not yet on file here: « MAJ accord de consentement LRE » finds them
# (DEMO.md step 5); one who said no there but yes here: the update unticks her.
AR24_ONLY_ACCEPTED = ("thi.nguyen@exemple.fr", "gregoire.meyer@exemple.fr")
AR24_ONLY_REFUSED = ("paul.lefevre-nguyen@exemple.fr",)
# François Guérin consented at the 2026 AG with this address, which our file lacks (DEMO.md step 6 fixes it)
AR24_EXTRA = ({"email": "francois.guerin@exemple.fr", "firstname": "François", "lastname": "Guérin"},)


def ar24_consents(store: RecordStore) -> list[dict[str, Any]]:
    """The sandbox AR24 account's consent list: every consent on file, plus the demo's AR24-only answers."""
    out: list[dict[str, Any]] = []
    for party in Repos(store).parties.all():
        email = party.email.strip().lower()
        if not email:
            continue
        if email in AR24_ONLY_REFUSED:
            status = "refused"
        elif party.lre_consent or email in AR24_ONLY_ACCEPTED:
            status = "accepted"
        else:
            continue
        out.append(
            {
                "email": party.email.strip(),
                "status": status,
                "date": "2026-01-15 10:00:00",
                "firstname": party.first_name,
                "lastname": party.last_name,
            }
        )
    for extra in AR24_EXTRA:
        out.append({**extra, "status": "accepted", "date": "2026-01-15 10:00:00"})
    return out


async def link_sender(ctx: AppContext, mode: ValidationMode) -> Ar24Account:
    """The demo user's AR24 account, saved in `mode` and linked (the sandbox account has granted access)."""
    email = ar24_account.account(ctx)
    if email is None:
        raise ServiceError(ar24_account.NO_ACCOUNT)
    await asyncio.to_thread(ar24_account.save_account, ctx, email.email, mode)
    return await ar24_account.check_link(ctx)


async def upload_seeded(ctx: AppContext) -> int:
    """Render and upload the seeded `to_valid` letters, so F9 validates them on a fresh demo. Documented mode:
    each waits in our store with its attachment id; queue mode (§15): an eIDAS letter also waits in AR24's
    `to_valid` queue (POST mail with `to_valid=1`), as the day's letters prepared in that mode do."""
    from lsc_tui.services.letter_preparing import order_for, render

    ar24, acc = await ar24_account.sender(ctx)
    webhook = await asyncio.to_thread(ar24_webhooks.callback_url, ctx)
    letters = [
        x for x in ctx.repos.letters.pending_for(ctx.user.login) if not x.attachment_ids and not x.remote_id
    ]
    changes: dict[str, dict[str, object]] = {}
    for letter in letters:
        made = await asyncio.to_thread(render, ctx, letter)
        if isinstance(made, str):
            raise ServiceError(
                f"Démo : la lettre de {letter.recipient_name} ne peut pas être rendue ({made})."
            )
        pdf, path, digest, pages = made
        attachment = await ar24.upload(acc.remote_id, f"{letter.chrono}.pdf", pdf)
        changes[letter.id] = {
            "attachment_ids": [attachment],
            "pdf_path": path,
            "pdf_sha256": digest,
            "pages": pages,
            "sender_id": acc.remote_id,
        }
        if acc.mode is ValidationMode.QUEUE and letter.kind is LetterKind.EIDAS:
            queued = await ar24.send_once(
                acc.remote_id, order_for(letter, pdf), [attachment], queue=True, webhook=webhook
            )
            changes[letter.id]["remote_id"] = queued.remote_id
    with ctx.write() as w:
        for letter_id, fields in changes.items():
            current = w.letters.require(letter_id)
            w.letters.set_status(letter_id, LetterStatus.TO_VALID, expect_rev=current.rev, **fields)
    return len(changes)


async def advance_clock(ctx: AppContext, days: float = 15) -> str:
    """« Démo : avancer l'horloge de 15 jours »: the notifications still to go out leave now, then the
    recipients' 15 days pass at the sandbox (acceptances, refusals, negligences on their own days); then the
    letters are refreshed from AR24."""
    from lsc_tui.services.letter_tracking import refresh

    if not ctx.demo:
        raise ServiceError("Commande réservée aux dossiers de démonstration.")
    ar24 = ar24_account.client(ctx)
    base = str(ar24._http.base_url).rstrip("/")  # …/ar24/api → the control routes are beside /api
    control = base.rsplit("/api", 1)[0] + "/_sandbox/"
    waiting = await asyncio.to_thread(ctx.repos.letters.with_status, [LetterStatus.WAITING])
    try:
        for letter in waiting:
            if letter.remote_id:
                await ar24._http.post(f"{control}mail/{letter.remote_id}/send")  # 409 if already sent: fine
        response = await ar24._http.post(control + "clock", json={"advance_days": days})
    except httpx.HTTPError as exc:
        raise ServiceError("Démo : le bac à sable AR24 ne répond pas.") from exc
    if response.status_code != 200:
        raise ServiceError("Démo : le bac à sable AR24 a refusé d'avancer l'horloge.")
    try:
        report = await refresh(ctx)
    except ProviderError as exc:
        raise ServiceError(exc.message) from exc
    return f"Horloge du bac à sable avancée de {days:g} jours. {report.summary()}"
