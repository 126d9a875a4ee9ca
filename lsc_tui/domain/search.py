"""Filter-as-you-type matching: accent- and case-insensitive, every typed word must appear.

Staff type "tilleul coloc" without accents over SSH; "Résidence Les Tilleuls — Bail colocation" must match.
"""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return (
        "".join(c for c in decomposed if not unicodedata.combining(c)).replace("œ", "oe").replace("æ", "ae")
    )


def matcher(query: str):  # type: ignore[no-untyped-def]
    """Return a predicate over pre-folded haystacks."""
    words = fold(query).split()
    if not words:
        return lambda hay: True
    if len(words) == 1:
        w = words[0]
        return lambda hay: w in hay
    return lambda hay: all(w in hay for w in words)
