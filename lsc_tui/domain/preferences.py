"""What each member of staff chooses for themself (O1): which signature statuses Accueil shows, and how long
a signed file stays there.

Advisers follow their clients' signatures from their home page and tick the statuses they want to see
(réalisées, refusées, annulées, expirées, en cours, en erreur); a firm signing every day would drown in old
signed files, so they are hidden after N days. These are one person's habits, never the firm's: a colleague
ticking « Signé » off must not change what anyone else sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lsc_tui.domain.statuses import SignatureStatus

_S = SignatureStatus
HOME_STATUSES: tuple[SignatureStatus, ...] = (
    _S.SIGNED,
    _S.DECLINED,
    _S.CANCELLED,
    _S.EXPIRED,
    _S.PENDING,
    _S.ERROR,
)
"""The statuses the Accueil signature block can show, in the order the source system lists them."""

MAX_SIGNED_DAYS = 3650
EXPIRING_DAYS = 3
"""A pending file whose deadline falls within this many days stands out on Accueil."""


def home_label(status: SignatureStatus) -> str:
    """The status as the home block says it: « En cours » for a file waiting for its signers."""
    return "En cours" if status is SignatureStatus.PENDING else status.label


@dataclass(frozen=True)
class HomePreferences:
    statuses: tuple[SignatureStatus, ...] = HOME_STATUSES
    """Shown statuses, always in `HOME_STATUSES` order."""
    signed_days: int | None = None
    """Hide signed files signed more than this many days ago; None: show them all."""

    def to_record(self) -> dict[str, Any]:
        return {"statuses": [s.value for s in self.statuses], "signed_days": self.signed_days}

    @classmethod
    def from_record(cls, data: dict[str, Any] | None) -> HomePreferences:
        """Unknown statuses (a newer version's) are dropped; a damaged number means « no limit »."""
        if not data:
            return cls()
        wanted = {str(s) for s in data.get("statuses", [s.value for s in HOME_STATUSES])}
        days = data.get("signed_days")
        valid_days = isinstance(days, int) and not isinstance(days, bool) and 1 <= days <= MAX_SIGNED_DAYS
        return cls(
            statuses=tuple(s for s in HOME_STATUSES if s.value in wanted),
            signed_days=days if valid_days else None,
        )


def check_signed_days(text: str) -> tuple[int | None, str]:
    """(days, problem) from what was typed in « Masquer les fiches signées depuis plus de … jours »: empty
    means no limit; the problem is one French sentence, empty when the text is fine."""
    text = text.strip()
    if not text:
        return None, ""
    if not text.isdigit() or not 1 <= int(text) <= MAX_SIGNED_DAYS:
        return None, f"Nombre de jours de 1 à {MAX_SIGNED_DAYS} attendu (vide : ne rien masquer)."
    return int(text), ""
