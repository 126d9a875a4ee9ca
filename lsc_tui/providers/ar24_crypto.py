"""Client side of AR24's authentication (spec §3): Paris date, `signature` header, response decryption.

The sandbox has its own copy (`lsc_tui/sandbox/ar24_crypto.py`) on purpose: it may import nothing of ours,
so a wrong client cannot pass its tests by agreeing with itself. Both are checked against the official
vectors of the AR24 documentation (tests/unit/test_ar24_crypto.py).

Do not "improve" the scheme: AR24 (PHP openssl_encrypt) truncates the 64-hex-char key to 32 bytes and uses
a constant IV per private key; anything else fails against the real API.
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PARIS = ZoneInfo("Europe/Paris")
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
_DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


def _hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _iv(private_key: str) -> bytes:
    return _hex(_hex(private_key))[:16].encode("ascii")


def _cipher(key: bytes, iv: bytes) -> Cipher[modes.CBC]:
    return Cipher(algorithms.AES(key), modes.CBC(iv))


def ar24_date(moment: datetime) -> str:
    """The `date` parameter: Paris wall time of `moment` (an aware datetime)."""
    return moment.astimezone(PARIS).strftime(DATE_FORMAT)


def parse_ar24_date(value: str | None) -> datetime | None:
    """AR24 dates are Paris wall time without offset; empty / null / malformed → None."""
    if not value:
        return None
    text = str(value)
    if not _DATE_SHAPE.fullmatch(text):  # DATE_FORMAT exactly (fromisoformat alone takes other shapes too)
        return None
    try:  # not strptime: its first call in a process costs ~25 ms (the first F9's auth_otp paid it)
        return datetime.fromisoformat(text).replace(tzinfo=PARIS)
    except ValueError:
        return None


def sign(date: str, private_key: str) -> str:
    """base64(AES-256-CBC(date)) with key sha256_hex(pk)[:32] — the `signature` header."""
    padder = padding.PKCS7(128).padder()
    data = padder.update(date.encode("utf-8")) + padder.finalize()
    enc = _cipher(_hex(private_key)[:32].encode("ascii"), _iv(private_key)).encryptor()
    return base64.b64encode(enc.update(data) + enc.finalize()).decode("ascii")


def decrypt_body(body: str, date: str, private_key: str) -> str:
    """Decrypt a success body with the key derived from the request's `date` + private key."""
    dec = _cipher(_hex(date + private_key)[:32].encode("ascii"), _iv(private_key)).decryptor()
    raw = dec.update(base64.b64decode(body.strip())) + dec.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return (unpadder.update(raw) + unpadder.finalize()).decode("utf-8")
