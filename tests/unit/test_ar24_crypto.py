"""AR24's signature and body encryption against the official worked examples (spec §3).

Both copies are checked — the client's and the sandbox's — since they are written apart on purpose: if one
drifts, the client and the fake would agree with each other and still fail against the real AR24.
"""

from __future__ import annotations

from datetime import UTC, datetime
from types import ModuleType

import pytest

from lsc_tui.providers import ar24_crypto as client_crypto
from lsc_tui.sandbox import ar24_crypto as sandbox_crypto

PRIVATE_KEY = "7X9gx9E3Qx4EiUdB63nc"
DATE = "2021-05-26 14:00:00"
SIGNATURE = "bDop0cbjKpkySlpvnNGvBMg7PuYFFgPPqTTS2RAHoY0="
ENCRYPTED_BODY = "WwBOU6s8DaMWmYdctBJwfuoujFgVygBUjhsbdf8eWqQ="
DECRYPTED_BODY = '{status: "SUCCESS"}'  # sic: the documentation's example is not valid JSON

BOTH = pytest.mark.parametrize("crypto", [client_crypto, sandbox_crypto], ids=["client", "sandbox"])


@BOTH
def test_signature_matches_the_documentation_example(crypto: ModuleType) -> None:
    assert crypto.sign(DATE, PRIVATE_KEY) == SIGNATURE


@BOTH
def test_decryption_matches_the_documentation_example(crypto: ModuleType) -> None:
    assert crypto.decrypt_body(ENCRYPTED_BODY, DATE, PRIVATE_KEY) == DECRYPTED_BODY


def test_sandbox_encryption_is_the_inverse_of_the_client_decryption() -> None:
    body = '{"status":"SUCCESS","result":{"name":"Élodie Lefèvre"}}'
    encrypted = sandbox_crypto.encrypt_body(body, DATE, PRIVATE_KEY)
    assert encrypted == sandbox_crypto.encrypt_body(body, DATE, PRIVATE_KEY)  # constant IV: deterministic
    assert sandbox_crypto.encrypt_body('{status: "SUCCESS"}', DATE, PRIVATE_KEY) == ENCRYPTED_BODY
    assert client_crypto.decrypt_body(encrypted, DATE, PRIVATE_KEY) == body


def test_the_date_is_paris_wall_time_in_summer_and_winter() -> None:
    summer = datetime(2021, 5, 26, 12, 0, tzinfo=UTC)  # CEST, UTC+2
    winter = datetime(2021, 12, 1, 12, 0, tzinfo=UTC)  # CET, UTC+1
    assert client_crypto.ar24_date(summer) == DATE
    assert sandbox_crypto.paris_date(summer) == DATE
    assert client_crypto.ar24_date(winter) == "2021-12-01 13:00:00"
    parsed = client_crypto.parse_ar24_date(DATE)
    assert parsed is not None and parsed.utcoffset() is not None and parsed.astimezone(UTC) == summer
    assert client_crypto.parse_ar24_date(None) is None
    assert client_crypto.parse_ar24_date("26/05/2021") is None


def test_a_signature_for_another_date_or_key_does_not_match() -> None:
    assert not sandbox_crypto.signature_matches(SIGNATURE, "2021-05-26 14:00:01", PRIVATE_KEY)
    assert not sandbox_crypto.signature_matches(SIGNATURE, DATE, PRIVATE_KEY + "x")
    assert sandbox_crypto.signature_matches(SIGNATURE + "\n", DATE, PRIVATE_KEY)
