"""Sending registered letters through AR24 (MISSION L3–L6, issue #10): the documented path (upload, one OTP
session, POST mail with its hash), AR24's refusals as French sentences, and never a duplicate letter — AR24
does not deduplicate `ref_dossier`, so after an ambiguous failure the client looks the letter up first.
The sandbox counts the calls it receives (`ctx.calls`) and logs the faults it injects: a test checks both."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pyotp
import pytest

from lsc_tui.domain.statuses import LetterStatus
from lsc_tui.providers.ar24 import Ar24Client
from lsc_tui.providers.ar24_letters import LETTER_KINDS
from lsc_tui.providers.base import OtpSession, Recipient, Rejected, Unsupported
from lsc_tui.sandbox.ar24 import default_accounts
from lsc_tui.sandbox.core import FaultSpec
from tests.conftest import ServedSandbox, serve_sandbox
from tests.integration.ar24_kit import (
    ALICE,
    NO_CONSENT,
    POSTAL,
    PRO,
    control,
    make_client,
    order,
    pdf_bytes,
    user_of,
)

POST_MAIL, LOOK_UP = "POST /ar24/api/mail", "GET /ar24/api/user/mail"


@pytest.fixture
async def client(sandbox: ServedSandbox) -> AsyncIterator[Ar24Client]:
    ar24 = make_client(sandbox)
    yield ar24
    await ar24.aclose()


@pytest.fixture
def uid(sandbox: ServedSandbox) -> str:
    return str(user_of(sandbox)["id"])


def letters_for(sandbox: ServedSandbox, reference: str) -> list[dict[str, Any]]:
    return [m for m in sandbox.ctx.providers["ar24"].mails.values() if m["ref_dossier"] == reference]


async def session_for(sandbox: ServedSandbox, client: Ar24Client, uid: str) -> OtpSession:
    return await client.auth_otp(uid, pyotp.TOTP(user_of(sandbox)["otp_secret"]).now())


# ---- the documented path: upload, one OTP, POST mail with the hash ---------------------------------------


async def test_documented_path_upload_then_one_otp_then_post_mail(
    sandbox: ServedSandbox, client: Ar24Client, uid: str
) -> None:
    attachment = await client.upload(uid, "convocation.pdf", order("D-1").pdf)  # when the letter is prepared
    session = await session_for(sandbox, client, uid)  # at the end of the day
    sent = [
        await client.send_once(uid, order(f"D-{n}", PRO), [attachment], auth_otp_hash=session.hash)
        for n in range(1, 4)
    ]
    assert {letter.status for letter in sent} == {LetterStatus.WAITING}  # no queue: deposited at once
    assert all(letter.deposit_date is not None for letter in sent)
    calls = sandbox.ctx.calls
    assert (calls["POST /ar24/api/attachment"], calls["POST /ar24/api/user/auth_otp"], calls[POST_MAIL]) == (
        1,
        1,
        3,
    )
    assert calls[LOOK_UP] == 0  # nothing failed: nothing looked up


async def test_a_wrong_session_or_none_sends_nothing(
    sandbox: ServedSandbox, client: Ar24Client, uid: str
) -> None:
    attachment = await client.upload(uid, "convocation.pdf", order("W-1").pdf)
    forged = OtpSession(hash="0" * 64, expires_at=sandbox.ctx.clock.now())
    with pytest.raises(Rejected) as caught:
        await client.send_once(uid, order("W-1", PRO), [attachment], auth_otp_hash=forged.hash)
    assert caught.value.reason == "authentication_otp_hash_invalid"
    with pytest.raises(Rejected) as caught:  # eIDAS without a session nor the queue: refused before any call
        await client.send_once(uid, order("W-2", PRO), [attachment])
    assert caught.value.reason == "authentication_missing"
    assert (
        sandbox.ctx.calls[POST_MAIL] == 1 and letters_for(sandbox, "W-1") == letters_for(sandbox, "W-2") == []
    )


# ---- refusals the user can act on ----------------------------------------------------------------------


async def test_consent_is_required_for_private_recipients_and_for_every_avis(
    sandbox: ServedSandbox, client: Ar24Client, uid: str
) -> None:
    session = await session_for(sandbox, client, uid)
    attachment = await client.upload(uid, "convocation.pdf", order("C-0").pdf)
    for attempt in (
        client.send(uid, order("C-1", NO_CONSENT)),  # queue mode
        client.send_once(
            uid, order("C-2", NO_CONSENT), [attachment], auth_otp_hash=session.hash
        ),  # documented
        client.send(uid, order("C-3", NO_CONSENT, kind="simple")),  # ERE simple
    ):
        with pytest.raises(Rejected) as caught:
            await attempt
        assert caught.value.reason == "consent_missing"
        assert caught.value.message.startswith("Marc Petit n'a pas consenti")  # the recipient is named
    with pytest.raises(Rejected) as caught:
        await client.send(uid, order("C-4", PRO, kind="simple"))  # an Avis needs consent from everyone
    assert caught.value.reason == "consent_missing" and caught.value.message.startswith("Étude Roux")
    assert (await client.send(uid, order("C-5", PRO))).status is LetterStatus.TO_VALID
    assert (await client.send(uid, order("C-6", ALICE, kind="simple"))).status is LetterStatus.WAITING
    assert [letters_for(sandbox, f"C-{n}") for n in range(1, 5)] == [[], [], [], []]


async def test_dest_statut_is_french_or_refused(sandbox: ServedSandbox, uid: str) -> None:
    body = {"id_user": uid, "mails": [{"to_email": "a@ex.fr", "dest_statut": "professional", "content": "x"}]}
    answer = await control(sandbox, "mails", body)
    assert [e["slug"] for e in answer["errors"]] == ["invalid_dest_statut"]


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


async def test_paper_needs_the_contracts_extension(sandbox: ServedSandbox, uid: str) -> None:
    plain = make_client(sandbox, paper_extension=False)  # an account without AR24's paper extension
    try:
        assert not plain.supports_paper
        with pytest.raises(Unsupported) as caught:
            await plain.send(uid, order("PX-1", POSTAL, kind="paper"))
        assert "La Poste" in caught.value.message
    finally:
        await plain.aclose()
    assert sandbox.ctx.calls["POST /ar24/api/attachment"] == 0  # refused before anything was sent
    sandbox.ctx.providers["ar24"].paper_extension = False  # the client believes it has it; AR24 says no
    believer = make_client(sandbox, paper_extension=True)
    try:
        with pytest.raises(Unsupported) as caught:
            await believer.send(uid, order("PX-2", POSTAL, kind="paper"))
        assert caught.value.reason == "paper_not_available"
    finally:
        await believer.aclose()


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


def test_each_kind_has_ar24s_label_and_what_the_recipient_receives() -> None:
    assert LETTER_KINDS["eidas"].label == "LRE qualifiée eIDAS"
    assert LETTER_KINDS["simple"].label.startswith("ERE simple")  # AR24's words for eidas=0
    assert {kind.route for kind in LETTER_KINDS.values()} == {"documented", "§15"}
    for kind in LETTER_KINDS.values():  # one French sentence each
        assert kind.help.count(".") == 1 and kind.help.endswith(".") and "destinataire" in kind.help


# ---- never a duplicate letter ------------------------------------------------------------------------------


async def test_ar24_does_not_deduplicate_so_a_resumed_batch_looks_first(
    sandbox: ServedSandbox, client: Ar24Client, uid: str
) -> None:
    attachment = await client.upload(uid, "convocation.pdf", order("R-1").pdf)
    first = await client.send_mail(uid, order("R-1", PRO), [attachment], queue=True)
    second = await client.send_mail(uid, order("R-1", PRO), [attachment], queue=True)
    assert first.remote_id != second.remote_id and len(letters_for(sandbox, "R-1")) == 2  # as AR24 would
    resumed = await client.send_once(uid, order("R-2", PRO), [attachment], queue=True)
    again = await client.send_once(uid, order("R-2", PRO), [attachment], queue=True, check_first=True)
    assert again.remote_id == resumed.remote_id and len(letters_for(sandbox, "R-2")) == 1
    assert sandbox.ctx.calls[POST_MAIL] == 3 and sandbox.ctx.calls[LOOK_UP] == 1


async def test_a_lost_answer_is_reconciled_into_exactly_one_letter(
    sandbox: ServedSandbox, client: Ar24Client, uid: str
) -> None:
    drop = FaultSpec(rates={"drop": 1.0}, paths=("/ar24/api/mail",), methods=("POST",), limit=1)
    sandbox.ctx.faults = drop
    letter = await client.send(uid, order("DROP-1"))
    assert drop.log == [("drop", "POST", "/ar24/api/mail")]  # AR24 committed, the answer was lost
    assert [m["id"] for m in letters_for(sandbox, "DROP-1")] == [int(letter.remote_id)]
    assert sandbox.ctx.calls[POST_MAIL] == 1 and sandbox.ctx.calls[LOOK_UP] == 1  # found, not re-sent


async def test_a_post_mail_that_failed_before_committing_is_sent_again(
    sandbox: ServedSandbox, client: Ar24Client, uid: str
) -> None:
    broken = FaultSpec(rates={"500": 1.0}, paths=("/ar24/api/mail",), methods=("POST",), limit=1)
    sandbox.ctx.faults = broken
    letter = await client.send(uid, order("FAIL-1"))
    assert broken.log == [("500", "POST", "/ar24/api/mail")]
    assert [m["id"] for m in letters_for(sandbox, "FAIL-1")] == [int(letter.remote_id)]
    assert sandbox.ctx.calls[POST_MAIL] == 2 and sandbox.ctx.calls[LOOK_UP] == 1  # looked up, then sent


async def test_an_answer_later_than_the_timeout_is_found_not_duplicated(
    sandbox: ServedSandbox, uid: str
) -> None:
    late = FaultSpec(
        rates={"late": 1.0}, timeout_s=1.0, paths=("/ar24/api/mail",), methods=("POST",), limit=1
    )
    sandbox.ctx.faults = late
    impatient = make_client(sandbox, timeout=0.3)
    try:
        letter = await impatient.send(uid, order("LATE-1"))
    finally:
        await impatient.aclose()
    assert late.log == [("late", "POST", "/ar24/api/mail")]
    assert [m["id"] for m in letters_for(sandbox, "LATE-1")] == [int(letter.remote_id)]
    assert sandbox.ctx.calls[POST_MAIL] == 1


async def test_state_survives_a_restart_through_the_state_file(tmp_path: Path) -> None:
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
            found = await ar24.find_by_reference(uid, "PERSIST-1")
            assert found is not None and found.remote_id == letter.remote_id
            assert await ar24.find_by_reference(uid, "PERSIST-2") is None
        finally:
            await ar24.aclose()
