"""Schema migrations: `MIGRATIONS[n]` turns a store at schema n into schema n + 1.

`Store.open` runs the missing steps in order, under the store's lock, and records the new schema number in the
manifest after each step, so an interrupted upgrade resumes where it stopped. A step works through the public API
(`store.all`, `store.transaction()`), like any other writer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lsc_tui.store.db import Store

Migration = Callable[["Store"], None]

MIGRATIONS: dict[int, Migration] = {}
