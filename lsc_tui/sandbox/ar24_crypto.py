"""AR24's request signature and response encryption, as the fake server sees them (spec §3).

Deliberate duplicate of `lsc_tui/providers/ar24_crypto.py`: the sandbox imports nothing of lsc_tui, so a
client test can fail when the client's crypto is wrong instead of agreeing with itself. Both copies are
checked against the two official vectors of the AR24 documentation (tests/unit/test_ar24_crypto.py).

The scheme is AR24's, oddities included: AES-256-CBC with the *first 32 hex characters* of a SHA-256 hex
digest as key (PHP's openssl_encrypt truncates), a constant IV per private key, base64 text out.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from zoneinfo import ZoneInfo

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PARIS = ZoneInfo("Europe/Paris")
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


def _sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _iv(private_key: str) -> bytes:
    return _sha256_hex(_sha256_hex(private_key))[:16].encode("ascii")


def _encrypt(key: bytes, iv: bytes, data: bytes) -> str:
    padder = padding.PKCS7(128).padder()
    padded = padder.update(data) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return base64.b64encode(encryptor.update(padded) + encryptor.finalize()).decode("ascii")


def _decrypt(key: bytes, iv: bytes, b64: str) -> str:
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    raw = decryptor.update(base64.b64decode(b64)) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return (unpadder.update(raw) + unpadder.finalize()).decode("utf-8")


def paris_date(moment: datetime) -> str:
    """AR24's `date`: Paris wall time, `YYYY-MM-DD HH:MM:SS`."""
    return moment.astimezone(PARIS).strftime(DATE_FORMAT)


def sign(date: str, private_key: str) -> str:
    """The `signature` header a client must send with `date`."""
    return _encrypt(_sha256_hex(private_key)[:32].encode("ascii"), _iv(private_key), date.encode("utf-8"))


def signature_matches(header: str, date: str, private_key: str) -> bool:
    return hmac.compare_digest(header.strip().encode(), sign(date, private_key).encode())


def encrypt_body(text: str, date: str, private_key: str) -> str:
    """Success bodies: key derived from the request's own `date` + the private key."""
    key = _sha256_hex(date + private_key)[:32].encode("ascii")
    return _encrypt(key, _iv(private_key), text.encode("utf-8"))


def decrypt_body(body: str, date: str, private_key: str) -> str:
    """Only used to check the official decryption vector against this copy."""
    key = _sha256_hex(date + private_key)[:32].encode("ascii")
    return _decrypt(key, _iv(private_key), body.strip())
