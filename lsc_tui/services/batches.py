"""Batches with a provider (send for signature, prepare letters, validate with OTP): what they report.

A batch service takes a `Progress` and reports each item as it ends: the screen draws a progress bar and one
line per item, a headless command prints one line per item, a test collects them. The person can ask to stop:
the service checks `cancelled` between items, finishes those in flight, and says what was left undone — a
re-run finishes the batch without a duplicate (each item was written as "sending" with its reference first).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class ItemResult:
    key: str
    label: str
    ok: bool
    message: str = ""


class Progress(Protocol):
    def started(self, total: int) -> None: ...

    def done(self, result: ItemResult) -> None: ...

    @property
    def cancelled(self) -> bool: ...


@dataclass
class BatchReport:
    results: list[ItemResult] = field(default_factory=list)
    total: int = 0
    cancelled: bool = False

    @property
    def succeeded(self) -> int:
        return sum(1 for r in self.results if r.ok)

    @property
    def failed(self) -> list[ItemResult]:
        return [r for r in self.results if not r.ok]

    @property
    def all_ok(self) -> bool:
        return not self.cancelled and len(self.results) == self.total and not self.failed

    def summary(self, noun: str = "élément") -> str:
        """One French line: « Réussi : 12 sur 14 lettres ; en erreur : 2 ». The counts follow headings, so
        nothing has to agree with the noun the service passes (lettre, fiche, élément: given singular)."""
        text = f"Réussi : {self.succeeded} sur {self.total} {plural(noun, self.total)}"
        if self.failed:
            text += f" ; en erreur : {len(self.failed)}"
        left = self.total - len(self.results)
        if left:
            text += f" ; reste à traiter : {left} (arrêt demandé : relancez pour finir)"
        return text


def plural(noun: str, count: int) -> str:
    """« lettre » → « lettres » from two on (French: 0 and 1 take the singular)."""
    if count < 2 or noun.endswith(("s", "x", "z")):
        return noun
    return noun + "s"


class Collector:
    """A `Progress` that keeps the results (headless commands, tests) and can print each one."""

    def __init__(self, echo: Callable[[str], None] | None = None) -> None:
        self.report = BatchReport()
        self._echo = echo
        self._cancel = threading.Event()
        self._lock = threading.Lock()

    def started(self, total: int) -> None:
        self.report.total = total

    def done(self, result: ItemResult) -> None:
        with self._lock:
            self.report.results.append(result)
        if self._echo is not None:
            self._echo(
                f"{'ok    ' if result.ok else 'ERREUR'}  {result.label}{' : ' + result.message if result.message else ''}"
            )

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class Tracker:
    """What a batch service uses: reports each item to the `Progress` and builds the `BatchReport`."""

    def __init__(self, progress: Progress, total: int) -> None:
        self.progress = progress
        self.report = BatchReport(total=total)
        self._lock = threading.Lock()
        progress.started(total)

    @property
    def cancelled(self) -> bool:
        return self.progress.cancelled

    def add(self, result: ItemResult) -> None:
        with self._lock:
            self.report.results.append(result)
        self.progress.done(result)

    def close(self) -> BatchReport:
        self.report.cancelled = len(self.report.results) < self.report.total
        return self.report
