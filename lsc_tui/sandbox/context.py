"""The one object every fake provider receives: clock, outbox, faults, accounts, persistence, autopilot."""

from __future__ import annotations

import os
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from lsc_tui.sandbox.core import Clock, FaultSpec, Outbox, StateFile
from lsc_tui.sandbox.webhooks import Webhooks


class ProviderState(Protocol):
    """What a provider module registers so its state survives restarts and is shared between processes."""

    def dump(self) -> dict[str, Any]: ...

    def load(self, data: dict[str, Any]) -> None: ...

    def tick(self) -> None:
        """Apply whatever is due at `ctx.clock.now()` (autopilot actions, expirations, negligence)."""
        ...


@dataclass
class Autopilot:
    """Signers and recipients act on their own after a short random delay, with set odds (demo mode)."""

    enabled: bool = False
    min_delay_s: float = 2.0
    max_delay_s: float = 8.0
    odds_sign: float = 0.9  # else decline / refuse
    rng: random.Random = field(default_factory=random.Random)
    recipient_days: bool = False
    """AR24 recipients answer days after the notification, as people do (demo): a letter stays `sent` until the
    clock is advanced; each mail's answer (accept, refuse, or none → negligence) and its day follow its id."""

    def delay(self) -> float:
        return self.rng.uniform(self.min_delay_s, self.max_delay_s)

    def signs(self) -> bool:
        return self.rng.random() < self.odds_sign


@dataclass
class SandboxContext:
    accounts: dict[str, Any]
    clock: Clock = field(default_factory=Clock)
    outbox: Outbox = field(default_factory=Outbox)
    faults: FaultSpec = field(default_factory=FaultSpec)
    autopilot: Autopilot = field(default_factory=Autopilot)
    state_file: StateFile = field(default_factory=lambda: StateFile(None))
    providers: dict[str, ProviderState] = field(default_factory=dict)
    control: bool = False  # `/_sandbox` routes open (to loopback callers): demo and tests only
    calls: Counter[str] = field(default_factory=Counter)  # "METHOD /path" of every API call received
    quota_refusals: Counter[str] = field(default_factory=Counter)  # provider → 429s answered by its quota
    webhooks: Webhooks = field(init=False)
    _seen_stamp: tuple[float, int] | None = None

    def __post_init__(self) -> None:
        self.webhooks = Webhooks(self.clock)

    def register(self, name: str, state: ProviderState) -> None:
        self.providers[name] = state

    def _stamp(self) -> tuple[float, int] | None:
        path = self.state_file.path
        if not path or not path.exists():
            return None
        st = os.stat(path)
        return (st.st_mtime, st.st_size)

    def refresh(self) -> None:
        """Re-read the state file if another process changed it, then let providers apply what is due."""
        stamp = self._stamp()
        if stamp is not None and stamp != self._seen_stamp:
            data = self.state_file.load()
            self.clock.offset_seconds = float(data.get("clock_offset_seconds", self.clock.offset_seconds))
            for name, state in self.providers.items():
                if name in data:
                    state.load(data[name])
            self.outbox.messages = []
            from lsc_tui.sandbox.core import OutboxMessage

            for m in data.get("outbox", []):
                self.outbox.messages.append(OutboxMessage(**m))
            self._seen_stamp = stamp
        for state in self.providers.values():
            state.tick()

    def persist(self) -> None:
        if not self.state_file.path:
            return
        data: dict[str, Any] = {name: state.dump() for name, state in self.providers.items()}
        data["clock_offset_seconds"] = self.clock.offset_seconds
        data["outbox"] = [m.as_dict() for m in self.outbox.messages]
        self.state_file.save(data)
        self._seen_stamp = self._stamp()


def context_from(
    accounts: dict[str, Any],
    state_path: str | os.PathLike[str] | None = None,
    faults: FaultSpec | None = None,
    autopilot: bool = False,
) -> SandboxContext:
    return SandboxContext(
        accounts=accounts,
        faults=faults or FaultSpec(),
        autopilot=Autopilot(enabled=autopilot),
        state_file=StateFile(Path(state_path) if state_path else None),
    )
