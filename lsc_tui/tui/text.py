"""User text on screen: shown as typed, never read as markup, never sent to the terminal as control codes.

A party named `Dupont [/]` once crashed the event detail for everyone, and a name carrying an escape sequence
could rewrite the terminal of whoever displays it. Every name, title, email or note reaches the screen
through one of these two functions (or a widget with `markup=False` fed by `safe`).
"""

from __future__ import annotations

from textual.content import Content

_CONTROLS = {code: "\N{REPLACEMENT CHARACTER}" for code in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
_CONTROLS |= {ord("\t"): " ", ord("\n"): " "}


def safe(text: object) -> str:
    """`text` on one line with every control character (ESC, BEL, CR…) made visible as �."""
    return str(text).translate(_CONTROLS)


def markup(template: str, **values: object) -> Content:
    """Our own markup (`[b]Objet[/b] $title`) with user values substituted as plain text."""
    return Content.from_markup(template, **{name: safe(value) for name, value in values.items()})


def thousands(value: int) -> str:
    """A count as French readers write it: 1 000 021."""
    return f"{value:,}".replace(",", " ")
