"""Bars drawn with text, readable in any terminal and at 80 columns: people would rather look than read.

Eighth-block characters give a bar eight steps per cell, so 3 and 4 documents differ visibly even on a
narrow chart; a value above zero always shows at least a sliver, so « one document » never looks like none.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.content import Content

from lsc_tui.tui.text import markup

EIGHTHS = " ▏▎▍▌▋▊▉"
FULL = "█"
SPARKS = "▁▂▃▄▅▆▇█"


def bar(value: int, top: int, width: int) -> str:
    """`value` as a bar of at most `width` cells, `top` filling them all."""
    if value <= 0 or top <= 0 or width <= 0:
        return ""
    eighths = max(1, round(value / top * width * 8))
    full, rest = divmod(min(eighths, width * 8), 8)
    return FULL * full + (EIGHTHS[rest] if rest else "")


def sparkline(values: Sequence[int]) -> str:
    """One cell per value, its height relative to the largest; a space for zero."""
    top = max(values, default=0)
    if top <= 0:
        return " " * len(values)
    return "".join(SPARKS[min(7, (v * 8 - 1) // top)] if v > 0 else " " for v in values)


def chart(labels: Sequence[str], values: Sequence[int], width: int) -> Content:
    """One line per label: « nov. 2026 │██████▌ 13 », the bars sharing one scale, within `width` cells."""
    if not labels:
        return Content("")
    label_width = max(cell_len(label) for label in labels)
    number_width = max(len(str(v)) for v in values)
    room = max(4, width - label_width - number_width - 4)
    top = max(values, default=0)
    lines = [
        markup("$label │[b]$bar[/b] $value", label=label.rjust(label_width), bar=bar(v, top, room), value=v)
        for label, v in zip(labels, values, strict=True)
    ]
    return Content("\n").join(lines)
