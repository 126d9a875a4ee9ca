"""Secrets stay secret (issue #7 §6): nothing a logger prints, and no repr, shows a key, a token or an OTP.

A full AR24 round (account, upload, letter, OTP session, validation) and a full YouSign send run with every
logger at DEBUG — httpx's and httpcore's own included, since AR24's token travels in query strings — and the
captured records are searched for each secret. The test first proves the loggers did speak.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pyotp
import pytest

from lsc_tui.config import secrets_for
from lsc_tui.providers.ar24 import Ar24Client
from lsc_tui.providers.base import LetterOrder, OtpSession, Recipient
from lsc_tui.providers.esign import ESignClient
from lsc_tui.providers.factory import Providers
from lsc_tui.providers.http import redact
from lsc_tui.providers.yousign import YouSignClient
from tests.conftest import ServedSandbox
from tests.integration.signature_kit import FAST, order, yousign_key

PRO = Recipient(email="etude@notaire-roux.example", company="Étude Roux", is_professional=True)


def _ar24(sandbox: ServedSandbox) -> Ar24Client:
    accounts = sandbox.accounts["ar24"]
    return Ar24Client(sandbox.ar24_url, accounts["token"], accounts["private_key"], policy=FAST)


async def test_no_logger_prints_a_secret(sandbox: ServedSandbox, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    ar24_accounts = sandbox.accounts["ar24"]
    user = ar24_accounts["users"][0]
    uid = str(user["id"])
    api_key = yousign_key(sandbox.accounts)
    ar24, yousign = _ar24(sandbox), YouSignClient(sandbox.yousign_url, api_key, policy=FAST)
    try:
        await ar24.test_access(uid)
        letter = await ar24.send(
            uid,
            LetterOrder(reference="SECRET-1", kind="eidas", recipient=PRO, pdf=order().pdf, filename="a.pdf"),
        )
        code = pyotp.TOTP(user["otp_secret"]).now()
        session = await ar24.auth_otp(uid, code)
        await ar24.validate(uid, [letter.remote_id], session)
        await ar24.letters(uid, [letter.remote_id])
        sent = await yousign.send(order("chrono-secret"))
        await yousign.status(sent.remote_id)
    finally:
        await ar24.aclose()
        await yousign.aclose()
    loggers = {record.name for record in caplog.records}
    assert {"httpx", "httpcore.http11"} <= loggers  # they spoke, at INFO and DEBUG: the test is not empty
    assert any("token=***" in record.getMessage() for record in caplog.records if record.name == "httpx")
    text = caplog.text + "\n".join(record.getMessage() for record in caplog.records)
    for secret in (ar24_accounts["token"], ar24_accounts["private_key"], api_key, session.hash):
        assert secret not in text
    assert f"otp={code}" not in text  # six digits alone could be any number in a trace; its shape cannot


async def test_no_repr_shows_a_secret(sandbox: ServedSandbox, tmp_path: Path) -> None:
    api_key = yousign_key(sandbox.accounts)
    esign_key = next(iter(sandbox.accounts["esign"]["api_keys"]))
    ar24_accounts = sandbox.accounts["ar24"]
    providers = Providers(
        yousign=YouSignClient(sandbox.yousign_url, api_key),
        esign=ESignClient(sandbox.esign_url, esign_key),
        ar24=_ar24(sandbox),
    )
    session = OtpSession(hash="f" * 64, expires_at=sandbox.ctx.clock.now())
    stored = secrets_for(tmp_path)
    stored.write({"yousign": {"api_key": api_key}, "ar24": {"token": ar24_accounts["token"]}})
    try:
        shown = " ".join(
            repr(x) for x in (providers, providers.yousign, providers.esign, providers.ar24, session, stored)
        )
    finally:
        await providers.aclose()
    assert sandbox.yousign_url in shown  # the reprs say what they are, just not the keys
    for secret in (api_key, esign_key, ar24_accounts["token"], ar24_accounts["private_key"], session.hash):
        assert secret not in shown


def test_redact_masks_every_way_a_secret_travels() -> None:
    line = (
        "GET https://app.ar24.fr/api/user?token=abc123&date=2026-01-01+10%3A00%3A00&id_user=7 "
        "Authorization: Bearer sk_live_42 X-Api-Key: esk_99 signature: c2lnbmF0dXJl auth_otp_hash=deadbeef"
    )
    clean = redact(line)
    for secret in ("abc123", "sk_live_42", "esk_99", "c2lnbmF0dXJl", "deadbeef"):
        assert secret not in clean
    assert "id_user=7" in clean and "date=2026-01-01" in clean
