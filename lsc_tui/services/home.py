"""Accueil's signature block (O1): the agency's signature files in the statuses this user chose to see.

Advisers follow every signature from their home page, so it must open at once with 100,000 files on file:
the counts come from the store's per-status summary (no file read), the list is bounded (the `LIMIT` most
recent, read from the top of one listing), and the files about to expire are found by their deadline day
through an index. What each row says is decided here: a refusal carries its reason, a file expiring within
three days says so and comes first — both are what someone has to act on today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lsc_tui.domain.errors import ExplainedError
from lsc_tui.domain.preferences import EXPIRING_DAYS, HOME_STATUSES, HomePreferences
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.services import dashboard, preferences
from lsc_tui.services.context import AppContext
from lsc_tui.store.errors import StoreError

if TYPE_CHECKING:
    from lsc_tui.domain.models import SignatureRequest

SHARE = 20
"""Files listed per chosen status at most (the block is a glance, the full list is F6): every status keeps its
place even when signed files outnumber refusals a hundred to one."""
READ = 2000
"""Files read from the top of the chosen statuses' listing to fill every share: on the embedded store that
listing is one pass over the table, on PostgreSQL ten pages of an index. A status still short after that (a
rare one) is asked for on its own."""


@dataclass(frozen=True)
class HomeFile:
    id: str
    status: SignatureStatus
    title: str
    signers: str
    date: str
    """ISO date of what happened last: signed, else sent, else created."""
    note: str
    """The refusal's or the error's reason, or « expire dans 2 jours »."""
    alert: bool
    """Someone has to act: refused, in error, or expiring within three days."""


@dataclass(frozen=True)
class HomeSummary:
    """What Accueil paints first, read from the store's summaries alone (no file parsed)."""

    agency: str
    preferences: HomePreferences
    counts: dict[SignatureStatus, int]
    """Every home status, shown or not (the preferences dialog says how many each holds)."""
    letters: tuple[dashboard.StatusCount, ...]


@dataclass(frozen=True)
class HomeFiles:
    files: tuple[HomeFile, ...]
    expiring: int
    """Pending files whose deadline is within three days (they head the list)."""


def _day(iso: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso[:10]) if iso else None
    except ValueError:
        return None


def expiry_note(expires_at: str, today: dt.date) -> str:
    """« expire aujourd'hui », « expire demain », « expire dans 3 jours », « échéance dépassée »."""
    day = _day(expires_at)
    if day is None:
        return ""
    left = (day - today).days
    if left < 0:
        return "échéance dépassée"
    if left == 0:
        return "expire aujourd'hui"
    if left == 1:
        return "expire demain"
    return f"expire dans {left} jours"


def _signers(s: SignatureRequest) -> str:
    names = ", ".join(f"{x.first_name} {x.last_name}".strip() for x in s.signers[:3])
    return names + (f" +{len(s.signers) - 3}" if len(s.signers) > 3 else "")


def _file(s: SignatureRequest, today: dt.date) -> HomeFile:
    note, alert = s.reason, s.status in {SignatureStatus.DECLINED, SignatureStatus.ERROR}
    if s.status is SignatureStatus.PENDING:
        note = expiry_note(s.expires_at, today)
        day = _day(s.expires_at)
        alert = day is not None and (day - today).days <= EXPIRING_DAYS
    date = s.signed_at or s.sent_at or s.created_at
    return HomeFile(s.id, s.status, s.title, _signers(s), date[:10], note, alert)


def _too_old(s: SignatureRequest, oldest: dt.date | None) -> bool:
    if oldest is None or s.status is not SignatureStatus.SIGNED:
        return False
    day = _day(s.signed_at or s.sent_at)
    return day is not None and day < oldest


def summary(ctx: AppContext) -> HomeSummary:
    counted = ctx.repos.signatures.counts_by_status()
    return HomeSummary(
        agency=str(ctx.repos.settings.administration().get("name") or ""),
        preferences=preferences.home(ctx),
        counts={s: counted.get(s.value, 0) for s in HOME_STATUSES},
        letters=dashboard.letter_counts(ctx),
    )


def summary_at_start(ctx: AppContext) -> HomeSummary | None:
    """Accueil's counts read by the start itself, beside the store's opening (a few summary rows), so that
    Accueil's first frame shows them instead of waiting for a worker thread and a second frame. None when the
    store cannot say: Accueil then asks again through its worker, which reports why."""
    try:
        return summary(ctx)
    except (ExplainedError, StoreError):
        return None


def files(ctx: AppContext, prefs: HomePreferences) -> HomeFiles:
    """The most recently sent files of each chosen status (`SHARE` each), newest first, those expiring within
    three days ahead of them; a signed file older than the user's limit is left out."""
    repo = ctx.repos.signatures
    today = ctx.now().date()
    soon: list[SignatureRequest] = []
    if SignatureStatus.PENDING in prefs.statuses:
        days = tuple((today + dt.timedelta(days=n)).isoformat() for n in range(-1, EXPIRING_DAYS + 1))
        soon = repo.expiring(days, SHARE)
    oldest = today - dt.timedelta(days=prefs.signed_days) if prefs.signed_days else None
    shares: dict[SignatureStatus, list[SignatureRequest]] = {s: [] for s in prefs.statuses}
    by_value = {s.value: share for s, share in shares.items()}
    taken = {s.id for s in soon}

    def take(records: list[dict[str, object]]) -> None:
        for record in records:
            share = by_value.get(str(record.get("status")))
            if share is None or len(share) >= SHARE or record["id"] in taken:
                continue
            s = repo.model(record)
            if not _too_old(s, oldest):
                share.append(s)
                taken.add(s.id)

    if prefs.statuses:
        listing = repo.listing({"status": tuple(s.value for s in prefs.statuses)})
        for start in range(0, min(len(listing), READ), 200):
            take(listing.window(start, start + 200))
            if all(len(share) >= SHARE for share in shares.values()):
                break
    counts = repo.counts_by_status()
    for status, share in shares.items():
        # a rare status the top of the list did not fill (signed ones past the limit are not wanted anyway)
        recent_only = status is SignatureStatus.SIGNED and oldest is not None
        if len(share) < SHARE and counts.get(status.value, 0) > len(share) and not recent_only:
            take(repo.listing({"status": status.value}).window(0, SHARE + len(soon)))
    rest = sorted(
        (s for share in shares.values() for s in share),
        key=lambda s: (s.sent_at or s.created_at, s.id),
        reverse=True,
    )
    return HomeFiles(tuple(_file(s, today) for s in (*soon, *rest)), len(soon))


def refused_ids(ctx: AppContext) -> frozenset[str]:
    """Every refused file: Accueil compares them when the count of refusals changes, so a refusal is
    announced the moment it arrives, however long ago its file was sent."""
    return frozenset(ctx.repos.signatures.listing({"status": SignatureStatus.DECLINED.value}).ids())


def refusals(ctx: AppContext, ids: list[str]) -> list[HomeFile]:
    today = ctx.now().date()
    found = ctx.repos.signatures.get_many(ids)
    return [_file(found[i], today) for i in ids if i in found and found[i].status is SignatureStatus.DECLINED]
