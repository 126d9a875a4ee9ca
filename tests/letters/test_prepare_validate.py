"""Envoyer en AR → Préparer → F9 (L3–L8) against the sandbox served over HTTP, in both validation modes:
the plan's errors, a fix and a switch to paper, letters in `to_valid`, one OTP for all, a wrong code that
changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from lsc_tui.domain.consents import ValidationMode
from lsc_tui.domain.letters import LetterKind
from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.services import letter_plan, letter_preparing, letter_validation, letters_demo, parties
from lsc_tui.services.batches import Collector
from lsc_tui.services.errors import ServiceError
from lsc_tui.store import RecordStore
from tests.conftest import ServedSandbox
from tests.letters.letters_kit import bad_code, code, convocations, letters_ctx, mails, seeded_store


@pytest.fixture(params=["embedded", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return str(tmp_path / "data") if request.param == "embedded" else request.getfixturevalue("pg_url")


@pytest.fixture
def store(backend: str) -> RecordStore:
    """The agency on either backend: the letters' tables and queries are the same on both (issue #8)."""
    return seeded_store(backend)


@pytest.mark.parametrize("mode", list(ValidationMode))
async def test_convocations_prepared_then_validated_with_one_code(
    store: RecordStore, sandbox: ServedSandbox, mode: ValidationMode
) -> None:
    ctx = letters_ctx(store, sandbox, mode)
    events = convocations(ctx)
    plan = letter_plan.build_plan(ctx, events)
    assert len(plan.letters) == 14
    errors = {x.party_name: x.problems for x in plan.errors}
    assert len(errors) == 2, errors
    missing = next(x for x in plan.errors if "email manquant" in x.problems)
    no_consent = next(x for x in plan.errors if "particulier sans consentement LRE" in x.problems)
    # fix one in the party's form, switch the other to paper, recompute: no error left
    party = ctx.repos.parties.require(missing.party_id)
    form = parties.ContactForm(
        email="francois.guerin@exemple.fr", mobile=party.mobile, address1=party.address.line1, address2="",
        zipcode=party.address.zipcode, city=party.address.city,
    )  # fmt: skip
    parties.save_contact(ctx, party.id, form, expect_rev=party.rev)
    options = plan.options.with_kind(no_consent.event_id, no_consent.party_id, LetterKind.PAPER)
    plan = letter_plan.build_plan(ctx, events, options)
    assert plan.errors == [] and "0 erreur(s)" in plan.summary()

    report = await letter_preparing.prepare(ctx, events, options, Collector())
    assert report.all_ok and report.total == 14, report.failed
    prepared = ctx.repos.letters.for_events(events)
    assert {x.status for x in prepared} == {LetterStatus.TO_VALID}
    assert all(x.pdf_path and x.attachment_ids for x in prepared)
    queued = [m for m in mails(sandbox) if m["status"] == "to_valid"]
    assert len(queued) == (13 if mode is ValidationMode.QUEUE else 0)  # the paper letter waits here

    assert await letters_demo.upload_seeded(ctx) == 12  # the seed's letters, made sendable as the demo does
    pending = letter_validation.pending(ctx)
    assert len(pending) == 26  # the 12 of the seed and the 14 of today, all mine
    ids = [x.id for x in pending]
    with pytest.raises(ServiceError, match="Code OTP incorrect"):
        await letter_validation.validate(ctx, ids, bad_code(sandbox), Collector())
    assert [x.status for x in letter_validation.pending(ctx)] == [LetterStatus.TO_VALID] * 26
    sent_before = len([m for m in mails(sandbox) if m["status"] != "to_valid"])
    assert sent_before == 0

    report = await letter_validation.validate(ctx, ids, code(sandbox), Collector())
    assert report.all_ok and report.succeeded == 26, report.failed
    assert letter_validation.pending(ctx) == []
    assert len(mails(sandbox)) == 26 and {m["status"] for m in mails(sandbox)} == {"waiting"}
    assert len({m["ref_dossier"] for m in mails(sandbox)}) == 26
    paper = [m for m in mails(sandbox) if m["is_paper"]]
    assert len(paper) == 1
