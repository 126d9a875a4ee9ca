"""Accueil's signature block and each user's preferences, on the seeded agency (FIXED_NOW 2026-11-23).

The demo holds 4 signed files (signed 7, 10, 18 and 38 days ago), 3 pending (one expiring in 2 days), one
refused with its reason, one cancelled, one expired, one in error and 2 drafts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lsc_tui.domain.models import SignatureRequest
from lsc_tui.domain.preferences import HOME_STATUSES, HomePreferences, check_signed_days
from lsc_tui.domain.statuses import SignatureStatus as S
from lsc_tui.services import home, preferences
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import ReadOnly, ValidationFailed
from lsc_tui.store import RecordStore as Store
from tests.fixtures import FIXED_NOW, context, seeded_store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return seeded_store(tmp_path / "data")


def block(ctx: AppContext) -> home.HomeFiles:
    return home.files(ctx, home.summary(ctx).preferences)


def test_default_block_shows_every_status_expiring_first_and_the_refusal_reason(store: Store) -> None:
    summary = home.summary(context(store))
    assert summary.agency == "Cabinet Martin Immobilier"
    assert summary.preferences == HomePreferences()
    assert (
        summary.counts[S.SIGNED] == 4 and summary.counts[S.PENDING] == 3 and summary.counts[S.DECLINED] == 1
    )
    # the letters' daily statuses, even at 0; the others only when they hold letters (none in the seed)
    daily = ["to_valid", "waiting", "sent", "AR", "refused", "negligence", "bounced"]
    assert [c.status for c in summary.letters] == daily
    assert next(c.count for c in summary.letters if c.status == "to_valid") == 12
    block = home.files(context(store), summary.preferences)
    assert len(block.files) == 11 and S.DRAFT not in {f.status for f in block.files}
    first = block.files[0]
    assert (first.status, first.note, first.alert) == (S.PENDING, "expire dans 2 jours", True)
    assert block.expiring == 1
    refused = next(f for f in block.files if f.status is S.DECLINED)
    assert refused.alert and refused.note.startswith("Le montant du dépôt de garantie")
    calm = [f for f in block.files if f.status is S.PENDING and f is not first]
    assert len(calm) == 2 and not any(f.alert for f in calm)
    assert {f.note for f in calm} == {"expire dans 13 jours", "expire dans 9 jours"}


def test_preferences_are_saved_per_user_and_not_shared(store: Store) -> None:
    claire, julien = context(store, "claire"), context(store, "julien")
    chosen = HomePreferences((S.SIGNED, S.DECLINED), signed_days=15)
    assert preferences.save_home(claire, chosen) == chosen
    assert home.summary(context(store, "claire")).preferences == chosen  # a new session reads it
    shown = block(context(store, "claire"))
    assert sorted(f.status.value for f in shown.files) == ["declined", "signed", "signed"]
    signed_days = {
        (FIXED_NOW.date() - dt.date.fromisoformat(f.date)).days for f in shown.files if f.status is S.SIGNED
    }
    assert signed_days == {7, 10}
    assert preferences.home(julien) == HomePreferences()
    assert len(block(julien).files) == 11
    assert store.get("preferences", "claire")["home"] == {
        "statuses": ["signed", "declined"],
        "signed_days": 15,
    }
    assert store.get("preferences", "julien") is None
    # saved again: one record per user, updated
    preferences.save_home(claire, HomePreferences((S.ERROR,)))
    assert store.count("preferences") == 1
    assert [f.status for f in block(claire).files] == [S.ERROR]


def test_without_pending_the_expiring_file_is_not_pinned(store: Store) -> None:
    ctx = context(store, "julien")
    preferences.save_home(ctx, HomePreferences((S.SIGNED,)))
    shown = block(ctx)
    assert shown.expiring == 0 and [f.status for f in shown.files] == [S.SIGNED] * 4


def test_refused_preferences_say_why_and_write_nothing(store: Store) -> None:
    with pytest.raises(ValidationFailed) as caught:
        preferences.save_home(context(store), HomePreferences(()))
    assert "au moins un statut" in caught.value.errors["statuses"]
    with pytest.raises(ValidationFailed):
        preferences.save_home(context(store), HomePreferences(HOME_STATUSES, signed_days=0))
    with pytest.raises(ReadOnly):
        preferences.save_home(context(store, "inconnu"), HomePreferences())
    assert store.count("preferences") == 0


def test_signed_days_typed_text() -> None:
    assert check_signed_days("") == (None, "")
    assert check_signed_days(" 30 ") == (30, "")
    for bad in ("0", "-3", "trente", "99999"):
        days, problem = check_signed_days(bad)
        assert days is None and problem.startswith("Nombre de jours")


def test_a_damaged_preference_record_falls_back_to_defaults() -> None:
    prefs = HomePreferences.from_record({"statuses": ["signed", "martian"], "signed_days": "x"})
    assert prefs == HomePreferences((S.SIGNED,), None)


def test_each_status_keeps_its_place_when_signed_files_abound(store: Store) -> None:
    ctx = context(store)
    template = next(s for s in store.select("signature_requests") if s["status"] == "signed")
    recent = FIXED_NOW.isoformat(timespec="seconds")
    with ctx.write() as w:
        for n in range(home.SHARE + 5):
            record = {k: v for k, v in template.items() if k not in {"id", "_rev"}}
            w.signatures.insert(
                SignatureRequest.from_record(record | {"title": f"Bail n° {n}", "sent_at": recent})
            )
    shown = block(ctx)
    statuses = [f.status for f in shown.files]
    assert statuses.count(S.SIGNED) == home.SHARE
    assert {S.DECLINED, S.CANCELLED, S.EXPIRED, S.ERROR} <= set(statuses)
    assert statuses.count(S.PENDING) == 3 and statuses[0] is S.PENDING  # the expiring one first


def test_a_letters_status_outside_the_day_shows_once_it_holds_letters(store: Store) -> None:
    ctx = context(store)
    letter = next(x for x in ctx.repos.letters.all() if x.status.value == "to_valid")
    with ctx.write() as w:
        w.letters.change(letter.id, {"status": "to_print"}, expect_rev=letter.rev)
    shown = {c.status: c.count for c in home.summary(ctx).letters}
    assert shown["to_print"] == 1 and shown["to_valid"] == 11
    assert "printed" not in shown and "draft" not in shown and "error" not in shown
