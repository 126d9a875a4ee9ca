"""Ar24Client against the fake AR24 served by uvicorn on 127.0.0.1: real HTTP, real crypto, real PDFs.

Covers MISSION L1 (consents), L3/L4 (kinds, A4 check), L6 (send → to_valid, payment method), L7 (statuses,
dates, proofs), L8 (one OTP validates a batch; a wrong code changes nothing) and the retry rules (a dropped
POST mail is retried without a duplicate, 429 honoured, persistent 503 → ProviderUnavailable).
Nothing sleeps to wait for a state: events are pushed through the sandbox's control routes or its clock.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pyotp
import pytest
from conftest import ServedSandbox, serve_sandbox
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from signature_kit import VirtualSleep

from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.providers.ar24 import Ar24Client
from lsc_tui.providers.ar24_letters import balanced_chunks
from lsc_tui.providers.base import (
    LetterOrder,
    NotFound,
    OtpSession,
    ProviderUnavailable,
    Recipient,
    Rejected,
)
from lsc_tui.providers.http import Caller, RetryPolicy
from lsc_tui.sandbox.ar24 import default_accounts
from lsc_tui.sandbox.core import FaultSpec

FAST = RetryPolicy(attempts=4, base_delay=0.01, max_delay=2.0, jitter=0.0)
ALICE = Recipient(email="jeanne.dubois@example.org", first_name="Jeanne", last_name="Dubois")  # consented
PRO = Recipient(email="etude@notaire-roux.example", company="Étude Roux", is_professional=True)
NO_CONSENT = Recipient(email="marc.petit@example.org", first_name="Marc", last_name="Petit")
POSTAL = Recipient(
    email="",
    first_name="Henri",
    last_name="Garnier",
    address1="12 rue des Tilleuls",
    zipcode="69003",
    city="Lyon",
)


def pdf_bytes(page_format: str = "A4", rotate: int = 0, text: str = "Convocation AG") -> bytes:
    pdf = FPDF(format=page_format)
    pdf.set_creation_date(datetime(2026, 1, 5, 9, 30, tzinfo=UTC))  # same bytes whenever built
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, text)
    data = bytes(pdf.output())
    if not rotate:
        return data
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for page in writer.pages:
        page.rotate(rotate)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


A4_PDF = pdf_bytes()


def order(reference: str, recipient: Recipient = ALICE, kind: str = "eidas", **kw: Any) -> LetterOrder:
    kw.setdefault("pdf", A4_PDF)
    return LetterOrder(
        reference=reference,
        kind=kind,
        recipient=recipient,
        filename="convocation.pdf",
        content="Convocation à l'assemblée générale",
        **kw,
    )


def wrong_code(secret: str) -> str:
    """A code the key shows at none of the steps the sandbox accepts (±1 step of 30 s, and a margin)."""
    totp, now = pyotp.TOTP(secret), datetime.now(UTC)
    shown = {totp.at(now + timedelta(seconds=30 * step)) for step in range(-3, 4)}
    return next(code for code in (f"{n:06d}" for n in range(10)) if code not in shown)


def user_of(sandbox: ServedSandbox, index: int = 0) -> dict[str, Any]:
    return sandbox.accounts["ar24"]["users"][index]


def make_client(sandbox: ServedSandbox, **kw: Any) -> Ar24Client:
    accounts = sandbox.accounts["ar24"]
    kw.setdefault("policy", FAST)
    return Ar24Client(sandbox.ar24_url, accounts["token"], accounts["private_key"], **kw)


@pytest.fixture
async def client(sandbox: ServedSandbox) -> AsyncIterator[Ar24Client]:
    ar24 = make_client(sandbox)
    yield ar24
    await ar24.aclose()


@pytest.fixture
def uid(sandbox: ServedSandbox) -> str:
    return str(user_of(sandbox)["id"])


async def control(sandbox: ServedSandbox, path: str, body: dict[str, Any] | None = None) -> Any:
    async with httpx.AsyncClient(base_url=f"{sandbox.base_url}/ar24/_sandbox/") as http:
        response = await (http.post(path, json=body or {}) if path != "outbox" else http.get(path))
        assert response.status_code == 200, response.text
        return response.json()


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


async def test_consent_is_required_for_private_recipients_and_for_every_avis(
    client: Ar24Client, uid: str
) -> None:
    with pytest.raises(Rejected) as caught:
        await client.send(uid, order("C-1", NO_CONSENT))
    assert caught.value.reason == "consent_missing" and "consentement" in caught.value.message
    with pytest.raises(Rejected) as caught:
        await client.send(uid, order("C-2", PRO, kind="simple"))
    assert caught.value.reason == "consent_missing"
    assert (await client.send(uid, order("C-3", PRO))).status is LetterStatus.TO_VALID
    assert (await client.send(uid, order("C-4", ALICE, kind="simple"))).status is LetterStatus.WAITING


async def test_paper_letters_need_a4_pages_and_an_address(client: Ar24Client, uid: str) -> None:
    with pytest.raises(Rejected) as caught:
        await client.send(uid, order("P-1", POSTAL, kind="paper", pdf=pdf_bytes("Letter")))
    assert caught.value.reason == "attachment_not_a4" and "A4" in caught.value.message
    with pytest.raises(Rejected) as caught:
        await client.send(uid, order("P-2", POSTAL, kind="paper", pdf=pdf_bytes("Letter", rotate=90)))
    assert caught.value.reason == "attachment_not_a4"
    no_address = Recipient(email="", first_name="Henri", last_name="Garnier")
    with pytest.raises(Rejected) as caught:
        await client.send(uid, order("P-3", no_address, kind="paper"))
    assert caught.value.reason == "missing_address"
    methods = await client.payment_methods(uid)
    landscape = await client.send(
        uid,
        order("P-4", POSTAL, kind="paper", pdf=pdf_bytes(rotate=90), color=True, duplex=True,
              payment_method_id=methods[1].remote_id),
    )  # fmt: skip
    assert landscape.status is LetterStatus.WAITING
    with pytest.raises(Rejected) as caught:
        await client.send(uid, order("P-5", POSTAL, kind="paper", payment_method_id="404"))
    assert caught.value.reason == "payment_method_not_exist"


async def test_same_reference_gives_the_same_letter(client: Ar24Client, uid: str) -> None:
    first = await client.send(uid, order("IDEM-1"))
    second = await client.send(uid, order("IDEM-1"))
    assert first.remote_id == second.remote_id
    assert [x.reference for x in await client.letters(uid)].count("IDEM-1") == 1


async def test_account_without_payment_method_cannot_send() -> None:
    accounts = {"ar24": default_accounts()}
    accounts["ar24"]["users"][0]["payment_methods"] = []
    for served in serve_sandbox(accounts=accounts):
        ar24 = make_client(served)
        try:
            with pytest.raises(Rejected) as caught:
                await ar24.send(str(user_of(served)["id"]), order("NP-1"))
            assert caught.value.reason == "user_no_payment" and "moyen de paiement" in caught.value.message
        finally:
            await ar24.aclose()


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


async def test_dropped_post_mail_is_retried_into_exactly_one_letter(
    sandbox: ServedSandbox, client: Ar24Client, uid: str
) -> None:
    drop = FaultSpec(rates={"drop": 1.0}, paths=("/ar24/api/mail",), methods=("POST",), limit=1)
    sandbox.ctx.faults = drop
    letter = await client.send(uid, order("DROP-1"))
    assert drop.log == [("drop", "POST", "/ar24/api/mail")]  # committed, its answer lost, then reconciled
    same_reference = [x for x in await client.letters(uid) if x.reference == "DROP-1"]
    assert [x.remote_id for x in same_reference] == [letter.remote_id]
    # the drop is a transport error (no HTTP answer at all): only an idempotent call survives it
    sandbox.ctx.faults = FaultSpec(rates={"drop": 1.0}, limit=1)
    async with httpx.AsyncClient(base_url=sandbox.ar24_url) as http:
        with pytest.raises(ProviderUnavailable) as caught:
            await Caller(http, "ar24", policy=FAST).request("GET", "user", idempotent=False)
    assert caught.value.detail == "RemoteProtocolError"


async def test_429_is_retried_after_retry_after(sandbox: ServedSandbox, uid: str) -> None:
    """The wait runs on the sandbox's clock (VirtualSleep): the Retry-After is honoured, nothing sleeps."""
    limited = FaultSpec(rates={"429": 1.0}, retry_after=7, limit=1)
    sandbox.ctx.faults = limited
    sleep = VirtualSleep(sandbox.ctx.clock)
    ar24 = make_client(sandbox, policy=RetryPolicy(attempts=3, base_delay=0.01, max_delay=30, jitter=0.0),
                       sleep=sleep)  # fmt: skip
    try:
        assert (await ar24.test_access(uid)).remote_id == uid
    finally:
        await ar24.aclose()
    assert limited.log == [("429", "GET", "/ar24/api/user")]
    assert sleep.waits == [7]


async def test_persistent_503_and_maintenance_are_provider_unavailable(
    sandbox: ServedSandbox, client: Ar24Client, uid: str
) -> None:
    outage = FaultSpec(rates={"503": 1.0}, retry_after=0)
    sandbox.ctx.faults = outage
    with pytest.raises(ProviderUnavailable):
        await client.test_access(uid)
    assert outage.injected == FAST.attempts
    sandbox.ctx.faults = FaultSpec()
    await control(sandbox, "maintenance", {"on": True})
    with pytest.raises(ProviderUnavailable, match="maintenance"):
        await client.test_access(uid)
    await control(sandbox, "maintenance", {"on": False})
    assert (await client.test_access(uid)).remote_id == uid


async def test_state_survives_a_restart_through_the_state_file(tmp_path: Any) -> None:
    accounts = {"ar24": default_accounts()}
    state_path = tmp_path / "sandbox-state.json"
    uid = str(accounts["ar24"]["users"][0]["id"])
    for served in serve_sandbox(accounts=accounts, state_path=state_path):
        ar24 = make_client(served)
        letter = await ar24.send(uid, order("PERSIST-1"))
        await ar24.aclose()
    for served in serve_sandbox(accounts=accounts, state_path=state_path):
        ar24 = make_client(served)
        try:
            again = await ar24.letter(letter.remote_id)
            assert (again.reference, again.status) == ("PERSIST-1", LetterStatus.TO_VALID)
            assert (await ar24.send(uid, order("PERSIST-1"))).remote_id == letter.remote_id
        finally:
            await ar24.aclose()
