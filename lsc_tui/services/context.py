"""What every use case needs: the store's repositories, who is acting, and what time it is (injected, so tests
control it)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from lsc_tui.domain.users import User
from lsc_tui.providers.factory import Providers
from lsc_tui.services.errors import Forbidden, ReadOnly
from lsc_tui.store import RecordStore
from lsc_tui.store.repositories import Repos

if TYPE_CHECKING:
    from lsc_tui.store.repositories import Repository


@cache
def paris() -> tzinfo:
    """Read from the system's zone files on first use, not at import: zoneinfo's import reads sysconfig
    (~3 ms of the start to Accueil)."""
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Paris")


def paris_now() -> datetime:
    return datetime.now(paris())


@dataclass
class AppContext:
    store: RecordStore
    user: User
    data_dir: Path
    """Where files beside the store live (secrets, signed PDFs); the store's folder for the embedded backend."""
    readonly: bool = False
    clock: Callable[[], datetime] = field(default=paris_now)
    providers: Providers = field(default_factory=Providers)
    demo: bool = False

    def now(self) -> datetime:
        return self.clock()

    def now_iso(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    @cached_property
    def repos(self) -> Repos:
        """Reads of committed data (lists, forms, counts)."""
        return Repos(self.store)

    @contextlib.contextmanager
    def write(self) -> Iterator[Repos]:
        """One all-or-nothing transaction: its repositories read their own writes and are the only writers."""
        self.require_write()
        with self.store.transaction() as tx:
            yield Repos(tx)

    def audit(
        self, w: Repos, action: str, repo: Repository[object], record_id: str, detail: str = ""
    ) -> None:
        """An audit line in the caller's transaction; `detail` never holds a secret (field names, public values)."""
        from lsc_tui.store.repositories.audit import AuditEntry

        w.audit.append(AuditEntry(self.now_iso(), self.user.login, action, repo.table, record_id, detail))

    def require_write(self) -> None:
        if self.readonly:
            raise ReadOnly()

    def require_admin(self, action: str) -> None:
        self.require_write()
        if not self.user.is_admin:
            raise Forbidden(f"« {action} » est réservé aux administrateurs.")
