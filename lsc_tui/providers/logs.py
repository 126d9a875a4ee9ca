"""Secrets never reach a log line: not ours, not httpx's, not httpcore's.

AR24's token travels in query strings, YouSign's key in an `Authorization` header and ESign's in `X-Api-Key`;
httpx logs every URL at INFO and httpcore traces at DEBUG. A filter on those loggers rewrites each record
before any handler sees it, so a user turning on debug logging to report a problem cannot paste a key.
Two nets: the shapes secrets travel in (`token=…`, `Bearer …`, `X-Api-Key: …`), and the exact values every
client registers when it is made (whatever the shape they end up in).
"""

from __future__ import annotations

import logging
import re
import threading

MASK = "***"
SECRET_KEYS = (
    "token",
    "signature",
    "otp",
    "auth_otp_hash",
    "hash",
    "api_key",
    "apikey",
    "x-api-key",
    "password",
    "private_key",
    "secret",
    "secret_key",
)
# `name=value` (query strings, form bodies), `name: value` (headers), `'name': 'value'` (dict reprs)
_PAIR_RE = re.compile(
    r"(?i)(?<![\w-])(" + "|".join(re.escape(k) for k in SECRET_KEYS) + r")(\s*[=:]\s*|['\"]\s*:\s*['\"]?)"
    r"([^&\s,'\"]+)"
)
_BEARER_RE = re.compile(r"(?i)(bearer\s+)[^\s,'\"]+")
LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    "lsc_tui.providers",
    "lsc_tui.providers.ar24",
)
MIN_SECRET = 6  # shorter values (a 6-digit OTP is the floor) would mask ordinary words and numbers

_known: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Remember a key, token or hash so that it is masked wherever it shows up in a log line."""
    if value and len(value) >= MIN_SECRET:
        with _lock:
            _known.add(value)


def redact(text: str) -> str:
    """Mask secrets in a URL, query string, header dump or message before it reaches a log."""
    text = _PAIR_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", _BEARER_RE.sub(rf"\1{MASK}", text))
    with _lock:
        known = sorted(_known, key=len, reverse=True)
    for secret in known:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites the record's message in place (args folded in) when it holds a secret; never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's to report, not ours
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


_FILTER = RedactingFilter()


def install_redaction() -> None:
    """Put the filter on every HTTP and provider logger (idempotent). A logger filter does not apply to its
    children's records, so each logger that may print a URL or a header gets its own copy."""
    names = set(LOGGERS) | {
        name for name in logging.root.manager.loggerDict if name.startswith(("httpx.", "httpcore."))
    }
    for name in names:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
