"""The one kind of error people read: its message is a French sentence that says what happened and what to do.

Every floor raises its own subclass (a damaged store file, a refused provider call, an invalid form); the
screens and the CLI show `message` as it is and never a traceback. Anything else is a bug, shown as one
generic sentence without its details (which may hold personal data).
"""

from __future__ import annotations


class ExplainedError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
