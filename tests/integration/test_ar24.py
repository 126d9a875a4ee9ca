"""Ar24Client against the fake AR24 served by uvicorn on 127.0.0.1: real HTTP, real crypto, real PDFs.

Covers MISSION L1 (consents), L6 (queue → to_valid), L7 (statuses, dates, proofs), L8 (one OTP validates a
batch; a wrong code changes nothing). Sending and its failures are in test_ar24_sending.py.
Nothing sleeps to wait for a state: events are pushed through the sandbox's control routes or its clock.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import timedelta

import httpx
import pyotp
import pytest
from pypdf import PdfReader

from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.providers.ar24 import Ar24Client
from lsc_tui.providers.ar24_letters import balanced_chunks
from lsc_tui.providers.base import NotFound, OtpSession, Rejected
from tests.conftest import ServedSandbox, serve_sandbox
from tests.integration.ar24_kit import (
    ALICE,
    NO_CONSENT,
    PRO,
    control,
    make_client,
    order,
    user_of,
    wrong_code,
)


@pytest.fixture
async def client(sandbox: ServedSandbox) -> AsyncIterator[Ar24Client]:
    ar24 = make_client(sandbox)
    yield ar24
    await ar24.aclose()


@pytest.fixture
def uid(sandbox: ServedSandbox) -> str:
    return str(user_of(sandbox)["id"])


# ---- account, consents, payment methods -----------------------------------------------------------------


async def test_access_payment_methods_and_consents(
    sandbox: ServedSandbox, client: Ar24Client, uid: str
) -> None:
    user = await client.test_access(uid)
    assert (user.remote_id, user.first_name, user.last_name) == (uid, "Claire", "Martin")
    assert (await client.user_by_email(user.email)).remote_id == uid
    methods = await client.payment_methods(uid)
    assert [m.label for m in methods] == ["SEPA — Résidence Les Tilleuls", "SEPA — Le Clos des Vignes"]
    assert {m.kind for m in methods} == {"sepa"}
    consents = {c.email: c for c in await client.consents(uid)}
    assert consents[ALICE.email].status == "accepted"
    assert consents[ALICE.email].date is not None and consents[ALICE.email].date.tzinfo is not None
    assert consents["lucie.bernard@example.org"].status == "refused"
    proof = await client.proof(consents[ALICE.email].proof_url)
    assert "consentement" in PdfReader(io.BytesIO(proof)).pages[0].extract_text()


async def test_unlinked_account_until_the_user_confirms_by_email(
    sandbox: ServedSandbox, client: Ar24Client
) -> None:
    colleague = user_of(sandbox, 1)
    with pytest.raises(Rejected) as caught:
        await client.test_access(str(colleague["id"]))
    assert caught.value.reason == "user_unavailable"
    assert "Autoriser le compte" in caught.value.message
    await client.request_access(colleague["email"])
    outbox = await control(sandbox, "outbox")
    assert any(m["to"] == colleague["email"] and "accès" in m["subject"] for m in outbox)
    with pytest.raises(Rejected):  # still pending until the email is confirmed
        await client.test_access(str(colleague["id"]))
    await control(sandbox, f"users/{colleague['id']}/grant_access")
    assert (await client.test_access(str(colleague["id"]))).email == colleague["email"]
    with pytest.raises(NotFound):
        await client.user_by_email("personne@nulle-part.example")


async def test_consent_request_answered_through_its_link(
    sandbox: ServedSandbox, client: Ar24Client, uid: str
) -> None:
    await client.request_consent(uid, NO_CONSENT, delay_days=10)
    await client.request_consent(uid, NO_CONSENT, delay_days=10)  # a retry sends no second email
    emails = [m for m in await control(sandbox, "outbox") if m["to"] == NO_CONSENT.email]
    assert len(emails) == 1
    link = next(word for word in emails[0]["body"].split() if "/consent/" in word)
    async with httpx.AsyncClient() as http:
        assert "Consentement" in (await http.get(link)).text
        assert (await http.post(link, data={"answer": "accept"})).status_code == 200
    consent = next(c for c in await client.consents(uid) if c.email == NO_CONSENT.email)
    assert consent.status == "accepted" and consent.proof_url
    with pytest.raises(Rejected) as caught:
        await client.request_consent(uid, NO_CONSENT, delay_days=45)
    assert caught.value.reason == "invalid_delay_days"


async def test_unanswered_consent_request_counts_as_refused(
    sandbox: ServedSandbox, client: Ar24Client, uid: str
) -> None:
    await client.request_consent(uid, NO_CONSENT, delay_days=3)
    await control(sandbox, "clock", {"advance_days": 4})
    consent = next(c for c in await client.consents(uid) if c.email == NO_CONSENT.email)
    assert consent.status == "refused"


# ---- sending and the end-of-day OTP batch ---------------------------------------------------------------


async def test_eidas_letters_queue_then_one_otp_validates_the_batch(
    sandbox: ServedSandbox, client: Ar24Client, uid: str
) -> None:
    sent = [await client.send(uid, order(f"CHR-{n}", ALICE if n % 2 else PRO)) for n in range(5)]
    assert {letter.status for letter in sent} == {LetterStatus.TO_VALID}
    assert all(letter.deposit_date is None for letter in sent)
    code = pyotp.TOTP(user_of(sandbox)["otp_secret"]).now()
    session = await client.auth_otp(uid, code)
    assert session.expires_at.tzinfo is not None
    assert timedelta(minutes=59) < session.expires_at - sandbox.ctx.clock.now() <= timedelta(hours=1)
    client.validate_chunk = 2  # 5 letters → 3 concurrent calls
    results = await client.validate(uid, [letter.remote_id for letter in sent], session)
    assert [r.remote_id for r in results] == [letter.remote_id for letter in sent]
    assert all(r.ok and r.status is LetterStatus.WAITING for r in results)
    letters = await client.letters(uid, [letter.remote_id for letter in sent])
    assert {letter.status for letter in letters} == {LetterStatus.WAITING}
    assert all(letter.deposit_date is not None and "dp" in letter.proof_urls for letter in letters)
    assert {letter.reference for letter in letters} == {f"CHR-{n}" for n in range(5)}


async def test_form_text_arrives_as_typed(sandbox: ServedSandbox, client: Ar24Client, uid: str) -> None:
    """Accents, `&`, `=`, `+`, `%` and a blank field survive the form encoding, there and back."""
    content = "Réf. 12 & 13 = 25 % + 3 € — « à l'étage »"
    no_first_name = replace(PRO, first_name="")
    sent = await client.send(uid, replace(order("F-1&2=3", no_first_name), content=content))
    mail = sandbox.ctx.providers["ar24"].mails[int(sent.remote_id)]
    assert (mail["ref_dossier"], mail["content"], mail["to_firstname"]) == ("F-1&2=3", content, "")
    assert (await client.letters(uid, [sent.remote_id]))[0].reference == "F-1&2=3"


async def test_the_demo_otp_helper_gives_a_code_auth_otp_accepts(
    sandbox: ServedSandbox, client: Ar24Client, uid: str
) -> None:
    async with httpx.AsyncClient() as http:
        shown = (await http.get(f"{sandbox.base_url}/ar24/_sandbox/otp/{uid}")).json()
    assert len(shown["otp"]) == 6 and 0 < shown["valid_for_s"] <= 30
    assert (await client.auth_otp(uid, shown["otp"])).hash


async def test_wrong_otp_validates_nothing(sandbox: ServedSandbox, client: Ar24Client, uid: str) -> None:
    ids = [(await client.send(uid, order(f"W-{n}"))).remote_id for n in range(3)]
    right = pyotp.TOTP(user_of(sandbox)["otp_secret"]).now()
    wrong = wrong_code(user_of(sandbox)["otp_secret"])
    with pytest.raises(Rejected) as caught:
        await client.auth_otp(uid, wrong)
    assert caught.value.reason == "authentication_otp_invalid"
    assert caught.value.message == "Code OTP incorrect ou expiré : aucune lettre n'a été validée."
    forged = OtpSession(hash="0" * 64, expires_at=sandbox.ctx.clock.now() + timedelta(hours=1))
    client.validate_chunk = 1  # every chunk fails → one error raised, not three half-results
    with pytest.raises(Rejected) as caught:
        await client.validate(uid, ids, forged)
    assert caught.value.reason == "authentication_otp_hash_invalid"
    assert {letter.status for letter in await client.letters(uid, ids)} == {LetterStatus.TO_VALID}
    expired_session = await client.auth_otp(uid, right)
    await control(sandbox, "clock", {"advance_seconds": 3601})
    with pytest.raises(Rejected, match="Session OTP expirée"):
        await client.validate(uid, ids, expired_session)
    assert {letter.status for letter in await client.letters(uid, ids)} == {LetterStatus.TO_VALID}


async def test_a_batch_reports_each_letter(sandbox: ServedSandbox, client: Ar24Client, uid: str) -> None:
    queued = await client.send(uid, order("B-1"))
    avis = await client.send(uid, order("B-2", ALICE, kind="simple"))  # never queued: no OTP needed
    session = await client.auth_otp(uid, pyotp.TOTP(user_of(sandbox)["otp_secret"]).now())
    first = await client.validate(uid, [queued.remote_id], session)
    again = await client.validate(uid, [queued.remote_id, avis.remote_id, "999999"], session)
    assert first[0].ok and first[0].status is LetterStatus.WAITING
    by_id = {r.remote_id: r for r in again}
    assert by_id[queued.remote_id].ok  # a retried validation is not an error: the letter is validated
    assert by_id[avis.remote_id].ok and by_id[avis.remote_id].status is LetterStatus.WAITING
    assert not by_id["999999"].ok and by_id["999999"].error == "Lettre introuvable chez AR24."


# ---- statuses, dates and proofs -------------------------------------------------------------------------


async def _validated(sandbox: ServedSandbox, client: Ar24Client, uid: str, reference: str) -> str:
    letter = await client.send(uid, order(reference))
    session = await client.auth_otp(uid, pyotp.TOTP(user_of(sandbox)["otp_secret"]).now())
    assert (await client.validate(uid, [letter.remote_id], session))[0].ok
    return letter.remote_id


async def test_sent_then_accepted_gives_ar_date_and_real_proofs(
    sandbox: ServedSandbox, client: Ar24Client, uid: str
) -> None:
    letter_id = await _validated(sandbox, client, uid, "AR-1")
    await control(sandbox, f"mail/{letter_id}/send")
    sent = await client.letter(letter_id)
    assert sent.status is LetterStatus.SENT and sent.sending_date is not None
    notice = [m for m in await control(sandbox, "outbox") if m["to"] == ALICE.email]
    assert notice and all("Martin" not in m["body"] + m["subject"] for m in notice)  # R53-3: sender unnamed
    await control(sandbox, f"mail/{letter_id}/accept")
    done = await client.letter(letter_id)
    assert done.status is LetterStatus.AR
    assert done.ar_date is not None and done.ar_date.tzinfo is not None
    assert done.deposit_date is not None and done.deposit_date <= done.sending_date <= done.ar_date
    assert set(done.proof_urls) == {"dp", "ev", "ar", "content"}
    reader = PdfReader(io.BytesIO(await client.proof(done.proof_urls["ar"])))
    text = reader.pages[0].extract_text()
    assert letter_id in text and "réception" in text and done.ar_date.strftime("%Y-%m-%d %H:%M:%S") in text
    with pytest.raises(NotFound):
        await client.proof(done.proof_urls["ar"].replace("token=", "token=0"))


async def test_negligence_after_fifteen_days(sandbox: ServedSandbox, client: Ar24Client, uid: str) -> None:
    letter_id = await _validated(sandbox, client, uid, "NG-1")
    await control(sandbox, f"mail/{letter_id}/send")
    await control(sandbox, "clock", {"advance_days": 16})
    letter = await client.letter(letter_id)  # a client on real time still gets in after the jump
    assert letter.status is LetterStatus.NEGLIGENCE
    assert letter.sending_date is not None and letter.negligence_date == letter.sending_date + timedelta(
        days=15
    )
    assert "ng" in letter.proof_urls
    reminders = [m for m in await control(sandbox, "outbox") if m["subject"].startswith("Rappel")]
    assert len(reminders) == 4


async def test_bounce_and_refusal(sandbox: ServedSandbox, client: Ar24Client, uid: str) -> None:
    bounced = await client.send(uid, order("BC-1", ALICE, kind="simple"))
    refused = await client.send(uid, order("RF-1", ALICE, kind="simple"))
    await control(sandbox, f"mail/{bounced.remote_id}/bounce")
    await control(sandbox, f"mail/{refused.remote_id}/refuse")
    by_id = {x.remote_id: x for x in await client.letters(uid, [bounced.remote_id, refused.remote_id])}
    assert by_id[bounced.remote_id].status is LetterStatus.BOUNCED and by_id[bounced.remote_id].bounced_date
    assert by_id[refused.remote_id].status is LetterStatus.REFUSED and by_id[refused.remote_id].refused_date
    async with httpx.AsyncClient() as http:  # a final letter cannot move again
        response = await http.post(f"{sandbox.base_url}/ar24/_sandbox/mail/{bounced.remote_id}/accept")
    assert response.status_code == 409


async def test_letters_are_read_page_by_page(sandbox: ServedSandbox, uid: str) -> None:
    ar24 = make_client(sandbox, page_size=3)
    try:
        ids = [(await ar24.send(uid, order(f"PG-{n}", PRO))).remote_id for n in range(7)]
        assert [x.remote_id for x in await ar24.letters(uid)] == ids
        assert sorted(x.remote_id for x in await ar24.letters(uid, ids[1:6])) == sorted(ids[1:6])
    finally:
        await ar24.aclose()


def test_balanced_chunks_leave_no_lonely_tail() -> None:
    assert [len(c) for c in balanced_chunks([str(i) for i in range(26)], 25)] == [13, 13]
    assert [len(c) for c in balanced_chunks([str(i) for i in range(1000)], 25)] == [25] * 40
    assert balanced_chunks([], 25) == []


# ---- autopilot ------------------------------------------------------------------------------------------


@pytest.fixture
def autopilot_sandbox() -> Iterator[ServedSandbox]:
    for served in serve_sandbox(autopilot=True):
        served.ctx.autopilot.min_delay_s = served.ctx.autopilot.max_delay_s = 0.0
        served.ctx.autopilot.odds_sign = 1.0
        yield served


async def test_autopilot_moves_letters_on_each_tick(autopilot_sandbox: ServedSandbox) -> None:
    """Zero delay: each request ticks once, so the letter advances one step per call — no sleeping."""
    ar24 = make_client(autopilot_sandbox)
    uid = str(user_of(autopilot_sandbox)["id"])
    try:
        letter = await ar24.send(uid, order("AP-1", ALICE, kind="simple"))
        seen = [letter.status]
        for _ in range(4):
            seen.append((await ar24.letter(letter.remote_id)).status)
        assert seen[0] is LetterStatus.WAITING and seen[-1] is LetterStatus.AR
        assert LetterStatus.SENT in seen
    finally:
        await ar24.aclose()


# ---- faults: retries that never duplicate ---------------------------------------------------------------
