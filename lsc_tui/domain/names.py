"""What a name typed or imported by staff must be before it is stored: visible, one line, a sane length.

Names end up on letters, in provider requests and on every screen. An invisible character pasted from a
spreadsheet or a chat makes two identical-looking names differ; a bidi override ("\\u202e") makes the screen
show a name other than the one stored, the trick behind "fdp.exe" files shown as "exe.pdf"; a 5,000-character
cell from a broken CSV fills a letter. Refusing these at the form says what to fix while the text is still
there. The provider-safe spelling of a valid name is a separate concern (`contact.clean_name`).
"""

from __future__ import annotations

import re
import unicodedata

#: A person's last or first name; long enough for "Marie-Christine de La Rochefoucauld-Montbel".
PERSON_NAME_MAX_LEN = 100
#: A company, an association, an entity or a template.
ORGANISATION_NAME_MAX_LEN = 200

#: Characters that change the direction text is shown in (Unicode bidi embeddings, overrides, isolates, marks).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
#: Control, format (zero-width, soft hyphen, BOM…), surrogate and line/paragraph separator characters.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
#: Space separators (Unicode Zs: space, non-breaking, narrow non-breaking, thin…); tabs and newlines are not
#: spaces in a name but control characters, refused by `check_name`.
_SPACES = re.compile("[\u0020\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")


def is_invisible(ch: str) -> bool:
    """True for a character that shows nothing, or moves text, instead of being a letter, a sign or a space."""
    return unicodedata.category(ch) in _INVISIBLE_CATEGORIES


def shown(text: str) -> str:
    """`text` for a message: every invisible character replaced by "�", so the user sees where it is."""
    return "".join("\ufffd" if is_invisible(ch) else ch for ch in text)


def normalise_name(raw: str) -> str:
    """The form a valid name is stored in: NFC (one code point per accented letter), trimmed, single spaces.

    NFC makes "Léa" pasted from macOS (e + combining accent) equal to "Léa" typed on Windows, for search,
    duplicate detection and the providers; non-breaking spaces become plain ones.
    """
    return _SPACES.sub(" ", unicodedata.normalize("NFC", raw)).strip()


def check_name(raw: str, *, field: str = "Nom", max_len: int = PERSON_NAME_MAX_LEN) -> str:
    """ "" when `raw` can be stored (after `normalise_name`), else one French sentence naming `field`."""
    typed = raw.strip()  # a tab or a newline around a pasted cell is trimmed, not refused
    if not typed:
        return f"Le champ « {field} » est vide : il est obligatoire."
    for ch in typed:
        if ch in BIDI_CONTROLS:
            return (
                f"Le champ « {field} » contient un caractère invisible qui inverse le sens de l'écriture "
                f"({_code(ch)}) : retapez-le au clavier."
            )
    for ch in typed:
        if is_invisible(ch):
            return (
                f"Le champ « {field} » contient un caractère invisible ou de contrôle ({_code(ch)}) : "
                "retapez-le au clavier."
            )
    name = normalise_name(typed)
    if len(name) > max_len:
        return f"Le champ « {field} » dépasse {max_len} caractères ({len(name)}) : abrégez-le."
    return ""


def _code(ch: str) -> str:
    return f"U+{ord(ch):04X}"
