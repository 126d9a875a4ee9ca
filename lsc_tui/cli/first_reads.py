"""Starting the TUI: Accueil's first reads done by a forked helper beside Textual's imports.

Opening the store and reading Accueil's counts costs ~90 ms on PostgreSQL (the driver's import, two
connections) and ~50 ms on the embedded store (its catalog, the models behind the repositories), then Textual's
imports and first frame cost ~200 ms: all of it CPU under the one GIL of one process, one after the other,
though neither needs the other. Forked before either starts, a helper process does the store's part on the
second core and sends back what the first frame shows (who is acting, the counts); the app opens its own store
once Accueil is painted (`DeferredStore`). The helper is forked while this process still runs a single thread,
and it ends with `os._exit`: it never runs the parent's exit handlers nor flushes its buffers.

Whatever goes wrong in the helper (the server refuses, the folder is damaged, the helper is killed), the start
does the reads itself, as without a helper, so every error reaches the person exactly as it would have.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by the app while the helper reads, or by unpickling its answer
    from lsc_tui.domain.users import User
    from lsc_tui.services.home import HomeSummary

ANSWER_WITHIN_S = 15.0
"""Longer than the driver's connection timeout (10 s, store/postgres/connect.py): a helper that has not answered
by then is stuck, and the start goes on without it."""


@dataclass(frozen=True)
class FirstReads:
    user: User
    guest: bool
    """Unknown login: a read-only session (services/users.resolve_user)."""
    location: str
    store_readonly: bool
    summary: HomeSummary | None


def _read(where: str, files: Path, login: str | None) -> FirstReads:
    from lsc_tui.cli.wiring import build_context, open_for_work, who
    from lsc_tui.services.home import summary_at_start

    store = open_for_work(where)
    try:
        user, guest = who(store, files, login)
        summary = summary_at_start(build_context(store, files, user=(user, guest)))
        return FirstReads(user, guest, store.location, store.readonly, summary)
    finally:
        store.close()


def fork_first_reads(where: str, files: Path, login: str | None) -> Callable[[], FirstReads | None]:
    """Start the helper; the returned call waits for its answer (None: the helper could not answer)."""
    if not hasattr(os, "fork"):
        return lambda: None
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the helper
        code = 1
        try:
            os.close(read_end)
            answer = pickle.dumps(_read(where, files, login))
            with os.fdopen(write_end, "wb") as out:
                out.write(answer)
            code = 0
        finally:
            os._exit(code)  # a forked child never returns into the parent's code
    os.close(write_end)

    def answer() -> FirstReads | None:
        data = _read_all(read_end, time.monotonic() + ANSWER_WITHIN_S)
        if data is None:  # stuck (a server that accepts and never answers): this process reads for itself
            os.kill(pid, signal.SIGKILL)
        _pid, status = os.waitpid(pid, 0)
        if status != 0 or not data:
            return None
        reads = pickle.loads(data)
        return reads if isinstance(reads, FirstReads) else None

    return answer


def _read_all(fd: int, deadline: float) -> bytes | None:
    """Everything the helper wrote, up to its end; None if it did not finish by `deadline`."""
    chunks: list[bytes] = []
    try:
        while True:
            ready, _w, _x = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                return None
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    finally:
        os.close(fd)
