"""Which tables other sessions changed: `LISTEN lsc_changes` on a connection of its own.

Every committing writer sends `NOTIFY lsc_changes, '<table>'` (transaction.py), delivered only if it commits.
Asking costs one round trip on the listening connection, whatever the size of the tables: the server hands
over the notifications received since the last call before it answers, so a commit acknowledged to another
session before the question is always in the answer. `wait` blocks until a notification arrives, so a
screen can refresh when something changes instead of asking on a timer.

The first call listens and answers "every table": whatever a screen had could be stale. A lost connection
is reopened and answered the same way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import psycopg

from lsc_tui.store.postgres.transaction import CHANNEL


class ChangeListener:
    def __init__(
        self, connect: Callable[[], psycopg.Connection], every_table: Callable[[], set[str]]
    ) -> None:
        self._connect = connect
        self._every_table = every_table
        self._lock = threading.Lock()
        self._conn: psycopg.Connection | None = None

    def _listening(self) -> psycopg.Connection | None:
        """The listening connection, or None when it had to be (re)opened: the caller answers every table."""
        conn = self._conn
        if conn is not None and not conn.closed:
            try:
                conn.execute("SELECT 1")  # the server sends pending notifications before this answer
                return conn
            except psycopg.OperationalError:
                conn.close()
        conn = self._connect()
        conn.execute(f"LISTEN {CHANNEL}")
        self._conn = conn
        return None

    def changed(self) -> set[str]:
        with self._lock:
            conn = self._listening()
            if conn is None:
                return self._every_table()
            return {n.payload for n in conn.notifies(timeout=0)}

    def wait(self, timeout: float) -> set[str]:
        """Tables changed, waiting up to `timeout` seconds for the first notification (empty set: none)."""
        with self._lock:
            conn = self._listening()
            if conn is None:
                return self._every_table()
            found = {n.payload for n in conn.notifies(timeout=0)}
            if not found:
                found = {n.payload for n in conn.notifies(timeout=timeout, stop_after=1)}
                found |= {n.payload for n in conn.notifies(timeout=0)}
            return found

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
