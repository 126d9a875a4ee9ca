"""Where each signer's visible signature goes when several people sign in the same role (S4).

A template places one box per role; a co-tenancy has three co-tenants. Copying the box three times would stack
three signatures on one spot, so the first signer of a role keeps the template's box and each next one is
shifted right, wrapping to the next row, away from every box already on the page and always on the page.
Coordinates follow YouSign v3 (points, origin top-left, pages from 1, whole numbers).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from lsc_tui.domain.models import Placement

A4: tuple[float, float] = (595.28, 841.89)
GAP = 8
"""Points between two signers' boxes: enough to tell them apart on paper."""
Page = tuple[float, float]


def clamp(box: Placement, page: Page) -> Placement:
    """Whole points, at least the providers' minimum size, and entirely on `page` (width, height)."""
    max_w, max_h = math.floor(page[0]), math.floor(page[1])
    width = min(max_w, max(math.ceil(Placement.MIN_WIDTH), round(box.width)))
    height = min(max_h, max(math.ceil(Placement.MIN_HEIGHT), round(box.height)))
    x = min(max_w - width, max(0, round(box.x)))
    y = min(max_h - height, max(0, round(box.y)))
    return box.evolve(x=x, y=y, width=width, height=height)


def overlaps(a: Placement, b: Placement) -> bool:
    """Two boxes share some surface on the same page (touching edges do not count)."""
    return (
        a.page == b.page
        and a.x < b.x + b.width
        and b.x < a.x + a.width
        and a.y < b.y + b.height
        and b.y < a.y + a.height
    )


def page_of(pages: Sequence[Page], number: int) -> Page:
    """The size of page `number`; A4 for a page the document does not have (pre-flight reports it)."""
    return pages[number - 1] if 1 <= number <= len(pages) else A4


def _candidates(base: Placement, page: Page) -> Iterator[Placement]:
    """Spots for a co-signer's box: right of the base box, then the rows below, then those above; spots left
    of the base only once no row has room on its right."""
    width, height = base.width, base.height
    step_x, step_y = width + GAP, height + GAP
    below = range(0, max(0, math.floor((page[1] - height - base.y) / step_y)) + 1)
    above = range(1, max(0, math.floor(base.y / step_y)) + 1)
    rows = [base.y + k * step_y for k in below] + [base.y - k * step_y for k in above]
    right = [
        base.x + k * step_x for k in range(0, max(0, math.floor((page[0] - width - base.x) / step_x)) + 1)
    ]
    left = [base.x - k * step_x for k in range(1, max(0, math.floor(base.x / step_x)) + 1)]
    for columns in (right, left):
        for y in rows:
            for x in columns:
                yield base.evolve(x=x, y=y)


def _free(box: Placement, taken: list[Placement]) -> bool:
    return not any(overlaps(box, other) for other in taken)


def _smallest(box: Placement) -> Placement:
    """The box at the providers' minimum size, keeping its proportions as far as the minimum allows."""
    scale = max(Placement.MIN_WIDTH / box.width, Placement.MIN_HEIGHT / box.height)
    return box.evolve(
        width=max(Placement.MIN_WIDTH, round(box.width * scale)),
        height=max(Placement.MIN_HEIGHT, round(box.height * scale)),
    )


@dataclass(frozen=True)
class Wanted:
    """One box to place: `owner` is the signer's index, `rank` its position among the co-signers of the
    role (0: the template's own spot)."""

    owner: int
    rank: int
    base: Placement


def arrange(wanted: Sequence[Wanted], pages: Sequence[Page]) -> list[Placement]:
    """The placed box of each wanted one, in the same order.

    Rank 0 boxes take the template's spots first (the template's author chose them, and other roles' boxes
    must not be pushed away by a third co-tenant); then every other box takes the first free spot from
    `_candidates`. When a page cannot hold every box at the template's sizes, all of them go to the
    providers' minimum size; as a last resort (more signers than a page holds) a box stays on its base spot."""
    placed, complete = _arrange(wanted, pages)
    if complete:
        return placed
    smaller = [Wanted(w.owner, w.rank, _smallest(w.base)) for w in wanted]
    return _arrange(smaller, pages)[0]


def _arrange(wanted: Sequence[Wanted], pages: Sequence[Page]) -> tuple[list[Placement], bool]:
    placed: list[Placement] = [w.base for w in wanted]
    taken: dict[int, list[Placement]] = {}
    complete = True
    for i, item in enumerate(wanted):
        if item.rank == 0:
            placed[i] = clamp(item.base, page_of(pages, item.base.page))
            taken.setdefault(item.base.page, []).append(placed[i])
    for i in sorted((i for i, w in enumerate(wanted) if w.rank), key=lambda i: (wanted[i].rank, i)):
        base = wanted[i].base
        page = page_of(pages, base.page)
        on_page = taken.setdefault(base.page, [])
        start = clamp(base, page)
        box = next((c for c in _candidates(start, page) if _free(c, on_page)), None)
        if box is None:
            complete = False
            box = start
        placed[i] = clamp(box, page)
        on_page.append(placed[i])
    return placed, complete
