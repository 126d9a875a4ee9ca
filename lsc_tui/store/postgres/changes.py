"""Which tables other sessions changed, and a change token per table: `LISTEN lsc_changes` on a connection of
its own.

Every committing writer sends `NOTIFY lsc_changes, '<table>'` (transaction.py), delivered only if it commits.
The listener counts the notifications of each table: `changed` answers the tables whose count moved since the
previous call, `token` is (epoch, count), which moves whenever its table changes. No row is shared by the
writers (a change counter row would serialise every commit on it, fsync included). Asking costs one round
trip on the listening connection, whatever the size of the tables: the server hands over the notifications
received before it answers, so a commit acknowledged to another session before the question is always
counted. `wait` blocks until a notification arrives, so a screen can refresh when something changes instead
of asking on a timer.

The first call listens and answers "every table": whatever a screen had could be stale. A lost connection
is reopened under a new epoch (every token moves) and answered the same way.
"""

from __future__ import annotations

import contextlib
import select
import threading
import time
from collections.abc import Callable, Iterable

import psycopg
from psycopg import Notify

from lsc_tui.store.postgres.transaction import CHANNEL

WAIT_SLICE_S = 1.0


class ChangeListener:
    def __init__(
        self, connect: Callable[[], psycopg.Connection], every_table: Callable[[], set[str]]
    ) -> None:
        self._connect = connect
        self._every_table = every_table
        self._lock = threading.Lock()
        self._conn: psycopg.Connection | None = None
        self._epoch = 0
        self._counts: dict[str, int] = {}
        self._reported: dict[str, int] | None = None  # counts at the previous `changed`; None: answer all

    def _count(self, notes: Iterable[Notify]) -> bool:
        found = False
        for note in notes:
            self._counts[note.payload] = self._counts.get(note.payload, 0) + 1
            found = True
        return found

    def _sync(self) -> None:
        """Count every notification the server holds for us, (re)opening the listening connection if needed."""
        conn = self._conn
        if conn is not None and not conn.closed:
            try:
                conn.execute("SELECT 1")  # the server sends pending notifications before this answer
                self._count(conn.notifies(timeout=0))
                return
            except psycopg.OperationalError:
                conn.close()
        conn = self._connect()
        conn.execute(f"LISTEN {CHANNEL}")
        self._conn = conn
        self._epoch += 1
        self._counts = {}
        self._reported = None

    def _answer(self) -> set[str]:
        reported, self._reported = self._reported, dict(self._counts)
        if reported is None:
            return self._every_table() | set(self._counts)
        return {t for t, n in self._counts.items() if reported.get(t) != n}

    def changed(self) -> set[str]:
        with self._lock:
            self._sync()
            return self._answer()

    def token(self, table: str) -> tuple[int, int]:
        with self._lock:
            self._sync()
            return self._epoch, self._counts.get(table, 0)

    def wait(self, timeout: float) -> set[str]:
        """Tables changed, waiting up to `timeout` seconds for the first notification (empty set: none).

        The wait itself holds no lock (other threads keep asking for tokens): it sleeps on the listening
        socket, wakes when the server sends something, and counts it under the lock.
        """
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                self._sync()
                left = deadline - time.monotonic()
                if self._reported is None or self._counts != self._reported or left <= 0:
                    return self._answer()
                assert self._conn is not None
                fd = self._conn.pgconn.socket
            with contextlib.suppress(OSError, ValueError):  # the socket may be closed by a reconnection
                select.select([fd], [], [], min(left, WAIT_SLICE_S))

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
