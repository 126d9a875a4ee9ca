"""A PostgreSQL store holding `n` letters made by `letter(i)`: what the listing tests read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from lsc_tui.store.postgres import PostgresStore
from tests.contract.conftest import SPECS


def letters_store(url: str, n: int, letter: Callable[[int], dict[str, Any]]) -> Iterator[PostgresStore]:
    opened = PostgresStore.open(url, create=True, specs=SPECS)
    with opened.transaction() as tx:
        for i in range(n):
            tx.insert("letters", letter(i))
    yield opened
    opened.close()
