"""Starting the TUI: Accueil's first reads done by a forked helper beside Textual's imports.

Opening the store and reading Accueil's counts costs ~160 ms on PostgreSQL (the driver's import, two
connections, the models behind the repositories) and ~50 ms on the embedded store (its catalog, the models),
then Textual's imports and first frame cost ~200 ms: all of it CPU under the one GIL of one process, one after
the other, though neither needs the other. Forked before either starts (cli/start.py), a helper process does the store's
part on the second core; the app opens its own store once Accueil is painted (`DeferredStore`). The helper is
forked while this process still runs a single thread, and it ends with `os._exit`: it never runs the parent's
exit handlers nor flushes its buffers.

The helper sends two messages. First who is acting and where: the app cannot be made without them. Then
Accueil's counts, which cost the helper ~30 ms more (the models behind the repositories): they arrive while
Textual composes Accueil, and are shown by its first frame if they came before it, by the next one otherwise.

Whatever goes wrong in the helper (the server refuses, the folder is damaged, the helper is killed), the start
does the reads itself, as without a helper, so every error reaches the person exactly as it would have.
"""

from __future__ import annotations

import atexit
import os
import pickle
import select
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by the app while the helper reads, or by unpickling its answer
    from lsc_tui.domain.users import User
    from lsc_tui.services.home import HomeSummary

ANSWER_WITHIN_S = 15.0
"""Longer than the driver's connection timeout (10 s, store/postgres/connect.py): a helper that has not answered
by then is stuck, and the start goes on without it."""
LENGTH = 8
"""Each message is its length on 8 bytes, then its pickle."""


@dataclass(frozen=True)
class FirstReads:
    user: User
    guest: bool
    """Unknown login: a read-only session (services/users.resolve_user)."""
    location: str
    store_readonly: bool


def _read(where: str, files: Path, login: str | None) -> Iterator[FirstReads | HomeSummary | None]:
    """What the helper sends, in order: who acts and where, then Accueil's counts (None: the store could not
    say them; Accueil asks again)."""
    from lsc_tui.cli.wiring import build_context, open_for_work, who

    store = open_for_work(where)
    try:
        user, guest = who(store, files, login)
        yield FirstReads(user, guest, store.location, store.readonly)
        from lsc_tui.services.home import summary_at_start  # ~6 ms the first message need not wait for

        yield summary_at_start(build_context(store, files, user=(user, guest)))
    finally:
        store.close()


class Helper:
    """A forked helper: its first message is read by the start, its second by a thread while the app starts;
    a helper that fails, is stuck or is not wanted is killed and reaped."""

    def __init__(self, pid: int, read_end: int) -> None:
        self.pid = pid
        self._read_end = read_end
        self._ended = False

    def answer(self) -> FirstReads | None:
        """Who acts and where; None if the helper could not say (failed, killed, stuck past ANSWER_WITHIN_S)."""
        reads = self._receive()
        if isinstance(reads, FirstReads):
            return reads
        self.discard()
        return None

    def summary_arriving(self) -> Future[HomeSummary | None]:
        """Accueil's counts once the helper sends them (None if it ends without them), read by a thread."""
        arriving: Future[HomeSummary | None] = Future()

        def receive() -> None:
            from lsc_tui.services.home import HomeSummary

            try:
                summary = self._receive()
            finally:
                self.discard()  # its last message read, it is only closing a store it read: nothing to lose
            arriving.set_result(summary if isinstance(summary, HomeSummary) else None)

        threading.Thread(target=receive, name="lsc-first-summary", daemon=True).start()
        return arriving

    def discard(self) -> None:
        """End the helper (already ended, or killed now) and reap it."""
        if self._ended:
            return
        self._ended = True
        os.close(self._read_end)
        os.kill(self.pid, signal.SIGKILL)  # a helper that has exited is a zombie until reaped: no error
        os.waitpid(self.pid, 0)

    def _receive(self) -> object | None:
        deadline = time.monotonic() + ANSWER_WITHIN_S
        head = _read_exact(self._read_end, LENGTH, deadline)
        body = _read_exact(self._read_end, int.from_bytes(head, "big"), deadline) if head else None
        return pickle.loads(body) if body else None


def fork_first_reads(where: str, files: Path, login: str | None) -> Helper | None:
    """Start a helper (None where this system cannot fork)."""
    if not hasattr(os, "fork"):
        return None
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the helper
        code = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as out:
                for message in _read(where, files, login):
                    data = pickle.dumps(message)
                    out.write(len(data).to_bytes(LENGTH, "big") + data)
                    out.flush()
            code = 0
        finally:
            os._exit(code)  # a forked child never returns into the parent's code
    os.close(write_end)
    return Helper(pid, read_end)


_ahead: tuple[tuple[str, str, str | None], Helper] | None = None
"""The helper forked at the entry point (cli/start.py), with the place and login it reads for."""


def fork_ahead(where: str, files: Path, login: str | None) -> None:
    global _ahead
    _discard_ahead()
    helper = fork_first_reads(where, files, login)
    _ahead = ((where, str(files), login), helper) if helper is not None else None


def helper_for(where: str, files: Path, login: str | None) -> Helper | None:
    """The helper forked at the entry for this place and login, or a new one. One forked for another start
    (a test's or a bench's other login) is discarded: its answer would be another's."""
    global _ahead
    ahead, _ahead = _ahead, None
    if ahead is not None:
        if ahead[0] == (where, str(files), login):
            return ahead[1]
        ahead[1].discard()
    return fork_first_reads(where, files, login)


@atexit.register  # a start that did not take its helper after all
def _discard_ahead() -> None:
    global _ahead
    ahead, _ahead = _ahead, None
    if ahead is not None:
        ahead[1].discard()


def _read_exact(fd: int, size: int, deadline: float) -> bytes | None:
    """`size` bytes from the helper; None if it ended first or did not send them by `deadline`."""
    chunks: list[bytes] = []
    while size:
        ready, _w, _x = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            return None
        chunk = os.read(fd, size)
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)
