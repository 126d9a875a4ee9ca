"""The cursor of "Récupérer les signatures du nuage" (MISSION S7): what one sync remembers for the next.

The caller stores it as an opaque string. A missing or unreadable cursor is not an error: the next sync is
simply a full one (everything is reported once, the service compares with what it holds).

- YouSign has no "updated since" filter (yousign.md §3), only `created_at[after]` and statuses. So the cursor
  keeps the ids still open at the last sync and the day before the oldest of them: the next sync lists only
  requests created since that day — everything that can have changed — and reports those that were open and
  are not any more, plus those created since the last sync. Requests long finished are never listed again.
- ESign filters on `updated_since` (esign.md): the cursor keeps the newest `updated_at` seen.
Both keep the ids seen at the exact boundary instant (`edge`), so that `>=` filters never report twice.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class SyncCursor:
    open: frozenset[str] = frozenset()  # YouSign: requests pending (approval / ongoing) at the last sync
    floor: str | None = None  # YouSign: `created_at[after]` for the next listing (yyyy-mm-dd)
    seen: str | None = None  # newest created_at (YouSign) / updated_at (ESign) listed last time
    edge: frozenset[str] = field(default_factory=frozenset)  # ids listed last time at exactly `seen`

    def encode(self) -> str:
        data = {
            "v": 1,
            "open": sorted(self.open),
            "floor": self.floor,
            "seen": self.seen,
            "edge": sorted(self.edge),
        }
        raw = json.dumps(data, separators=(",", ":")).encode("utf-8")
        return base64.urlsafe_b64encode(raw).decode("ascii")

    @classmethod
    def decode(cls, text: str | None) -> SyncCursor | None:
        """None for no cursor or one this version cannot read (the sync is then a full one)."""
        if not text:
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(text.encode("ascii")))
            if data.get("v") != 1:
                return None
            return cls(
                open=frozenset(map(str, data.get("open") or ())),
                floor=data.get("floor"),
                seen=data.get("seen"),
                edge=frozenset(map(str, data.get("edge") or ())),
            )
        except (ValueError, TypeError, AttributeError):
            return None


def is_new(record_id: str, moment: str, cursor: SyncCursor | None) -> bool:
    """Listed for the first time: after the last sync's newest instant, or at it but not yet seen there."""
    if cursor is None or cursor.seen is None:
        return True
    if _instant(moment) != _instant(cursor.seen):
        return _instant(moment) > _instant(cursor.seen)
    return record_id not in cursor.edge


def newest(moments: dict[str, str], previous: SyncCursor | None) -> tuple[str | None, frozenset[str]]:
    """(newest instant among `moments` {id: instant}, the ids at it); the previous ones if nothing is newer."""
    prior = previous.seen if previous else None
    if not moments:
        return prior, previous.edge if previous else frozenset()
    top = max(moments.values(), key=_instant)
    if prior is not None and _instant(prior) > _instant(top):
        return prior, previous.edge if previous else frozenset()
    at_top = frozenset(i for i, m in moments.items() if _instant(m) == _instant(top))
    if prior is not None and _instant(prior) == _instant(top) and previous is not None:
        at_top |= previous.edge
    return top, at_top


def day_before(moment: str) -> str:
    return (_instant(moment).date() - timedelta(days=1)).isoformat()


def _instant(moment: str) -> datetime:
    return datetime.fromisoformat(moment)


def today_floor(today: date) -> str:
    return (today - timedelta(days=1)).isoformat()
