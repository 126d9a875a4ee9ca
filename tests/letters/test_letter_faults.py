"""Never a duplicate registered letter, whatever the network does (X5, issue #10): an answer lost on POST mail,
a network cut in the middle of the end-of-day validation, a preparing batch cut after AR24 created the letter.
The sandbox commits the request then drops the connection (`drop`), or answers 503; each test counts the
letters AR24 really holds per reference."""

from __future__ import annotations

from collections import Counter

from lsc_tui.domain.consents import ValidationMode
from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.sandbox.core import FaultSpec
from lsc_tui.services import letter_plan, letter_preparing, letter_validation, letters_demo
from lsc_tui.services.batches import Collector, ItemResult
from lsc_tui.store import RecordStore
from tests.conftest import ServedSandbox
from tests.letters.letters_kit import code, convocations, letters_ctx, mails

POST_MAIL = "/ar24/api/mail"


class CutAfter(Collector):
    """Reports as F9 does; after `n` letters the network goes down (every AR24 call answers 503)."""

    def __init__(self, sandbox: ServedSandbox, n: int) -> None:
        super().__init__()
        self.sandbox, self.n = sandbox, n

    def done(self, result: ItemResult) -> None:
        super().done(result)
        if len(self.report.results) == self.n:
            self.sandbox.ctx.faults = FaultSpec(rates={"503": 1.0})


def per_reference(sandbox: ServedSandbox) -> Counter[str]:
    return Counter(m["ref_dossier"] for m in mails(sandbox))


async def test_a_dropped_answer_on_post_mail_creates_no_second_letter(store: RecordStore,
                                                                     sandbox: ServedSandbox) -> None:  # fmt: skip
    ctx = letters_ctx(store, sandbox)
    await letters_demo.upload_seeded(ctx)
    ids = [x.id for x in letter_validation.pending(ctx)]
    sandbox.ctx.faults = FaultSpec(rates={"drop": 1.0}, paths=(POST_MAIL,), methods=("POST",), limit=3)
    report = await letter_validation.validate(ctx, ids, code(sandbox), Collector())
    assert sandbox.ctx.faults.injected == 3  # three answers really lost
    assert report.all_ok and report.succeeded == 12
    assert len(mails(sandbox)) == 12 and set(per_reference(sandbox).values()) == {1}
    assert sandbox.ctx.calls["GET /ar24/api/user/mail"] >= 3  # looked up, not sent again


async def test_a_network_cut_midway_keeps_what_went_and_a_rerun_finishes_without_duplicate(
    store: RecordStore, sandbox: ServedSandbox
) -> None:
    # Four calls at a time: eight of the twelve letters wait for a slot, so the cut lands midway (at the
    # client's 16, all twelve are in flight before it).
    ctx = letters_ctx(store, sandbox, concurrency=4)
    await letters_demo.upload_seeded(ctx)
    ids = [x.id for x in letter_validation.pending(ctx)]
    sandbox.ctx.faults = FaultSpec(latency_ms=30)
    first = await letter_validation.validate(ctx, ids, code(sandbox), CutAfter(sandbox, 4))
    assert not first.all_ok and 0 < first.succeeded < 12, first
    letters = ctx.repos.letters.get_many(ids)
    ok_ids = {r.key for r in first.results if r.ok}
    assert all(letters[i].status is LetterStatus.WAITING for i in ok_ids)  # what was validated is known
    left = letter_validation.pending(ctx)
    assert {x.id for x in left} == set(ids) - ok_ids  # the rest stays in F9, to retry
    assert {x.status for x in left} <= {LetterStatus.SENDING, LetterStatus.TO_VALID}

    sandbox.ctx.faults = FaultSpec()  # the network is back
    second = await letter_validation.validate(ctx, [x.id for x in left], code(sandbox), Collector())
    assert second.all_ok, second.failed
    assert letter_validation.pending(ctx) == []
    assert len(per_reference(sandbox)) == 12 and set(per_reference(sandbox).values()) == {1}


async def test_a_preparing_batch_cut_after_ar24_created_the_letter_resumes_without_duplicate(
    store: RecordStore, sandbox: ServedSandbox
) -> None:
    ctx = letters_ctx(store, sandbox, ValidationMode.QUEUE)
    events = [e for e in convocations(ctx)][:5]
    plan = letter_plan.build_plan(ctx, events)
    events = [e.event.id for e in plan.events if not e.errors][:3]
    options = letter_plan.SendOptions()
    # the crash: letters written SENDING, one POST mail reached AR24, nothing recorded after
    reserved, refused = letter_preparing.reserve(
        ctx, events, options, ctx.repos.ar24_accounts.of("claire").remote_id
    )
    assert len(reserved) == 3 and not refused
    first, _ = reserved[0]
    ar24 = ctx.providers.ar24
    attachment = await ar24.upload(first.sender_id, "x.pdf", b"%PDF-1.4\n%%EOF")
    await ar24.send_mail(first.sender_id, letter_preparing.order_for(first), [attachment], queue=True)
    assert {x.status for x in ctx.repos.letters.for_events(events)} == {LetterStatus.SENDING}

    report = await letter_preparing.prepare(ctx, events, options, Collector())  # the re-run
    assert report.all_ok and report.total == 3, report.failed
    assert set(per_reference(sandbox).values()) == {1} and len(per_reference(sandbox)) == 3
    found = {x.reference: x.remote_id for x in ctx.repos.letters.for_events(events)}
    assert found[first.reference] == str(
        next(m["id"] for m in mails(sandbox) if m["ref_dossier"] == first.reference)
    )


async def test_queue_mode_cut_midway_writes_the_answered_chunks_and_a_rerun_finishes(
    store: RecordStore, sandbox: ServedSandbox
) -> None:
    ctx = letters_ctx(store, sandbox, ValidationMode.QUEUE, validate_chunk=2, concurrency=1)
    assert await letters_demo.upload_seeded(ctx) == 12  # in AR24's to_valid queue
    ids = [x.id for x in letter_validation.pending(ctx)]
    first = await letter_validation.validate(ctx, ids, code(sandbox), CutAfter(sandbox, 4))
    ok_ids = {r.key for r in first.results if r.ok}
    assert len(ok_ids) == 4 and len(first.failed) == 8, first
    letters = ctx.repos.letters.get_many(ids)
    assert {letters[i].status for i in ok_ids} == {LetterStatus.WAITING}  # written as their chunk answered
    assert {x.id for x in letter_validation.pending(ctx)} == set(ids) - ok_ids

    sandbox.ctx.faults = FaultSpec()  # the network is back
    second = await letter_validation.validate(ctx, list(set(ids) - ok_ids), code(sandbox), Collector())
    assert second.all_ok and second.succeeded == 8, second.failed
    assert letter_validation.pending(ctx) == []
    assert len(per_reference(sandbox)) == 12 and set(per_reference(sandbox).values()) == {1}
    assert {m["status"] for m in mails(sandbox)} == {"waiting"}
