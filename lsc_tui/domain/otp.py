"""The one-time code typed to validate a batch of registered letters (AR24, MISSION L8).

A wrong code sent to AR24 is not free: it costs a round trip, counts against the account and, typed at the
end of the day, makes the user wait for the next code. So what cannot be a code is refused here, before any
call: exactly six ASCII digits, spaces removed (authenticator apps show "594 809", some with a non-breaking
space). Other scripts' digits are refused rather than converted: a code is read from a screen, and digits the
user did not see typed are more likely a wrong keyboard layout than the right code.
"""

from __future__ import annotations

OTP_LENGTH = 6

_ASCII_DIGITS = frozenset("0123456789")
_RETYPE = "rien n'a été envoyé, saisissez le code affiché."


class InvalidOtp(ValueError):
    """A typed code that cannot be a code; str(error) is one French sentence, without the code (a secret)."""


def parse_otp(raw: str) -> str:
    """The six digits of `raw`, spaces of any kind removed, or InvalidOtp saying what is wrong."""
    code = "".join(ch for ch in raw if not ch.isspace())
    if not code:
        raise InvalidOtp(
            f"Saisissez le code à {OTP_LENGTH} chiffres affiché par l'application : rien n'a été envoyé."
        )
    if not all(ch in _ASCII_DIGITS for ch in code):
        raise InvalidOtp(f"Le code ne contient que des chiffres de 0 à 9 : {_RETYPE}")
    if len(code) != OTP_LENGTH:
        raise InvalidOtp(f"Le code saisi a {len(code)} chiffres au lieu de {OTP_LENGTH} : {_RETYPE}")
    return code
