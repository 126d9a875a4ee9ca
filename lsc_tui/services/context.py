"""What every use case needs: the store, who is acting, and what time it is (injected, so tests control it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from lsc_tui.domain.models import User
from lsc_tui.providers.factory import Providers
from lsc_tui.services.errors import Forbidden, ReadOnly
from lsc_tui.store import Store

PARIS = ZoneInfo("Europe/Paris")


def paris_now() -> datetime:
    return datetime.now(PARIS)


@dataclass
class AppContext:
    store: Store
    user: User
    data_dir: Path
    readonly: bool = False
    clock: Callable[[], datetime] = field(default=paris_now)
    providers: Providers = field(default_factory=Providers)

    def now(self) -> datetime:
        return self.clock()

    def now_iso(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    def require_write(self) -> None:
        if self.readonly:
            raise ReadOnly()

    def require_admin(self, action: str) -> None:
        self.require_write()
        if not self.user.is_admin:
            raise Forbidden(f"« {action} » est réservé aux administrateurs.")
