"""The one path from a screen to a service: off the UI thread, errors turned into French, results as messages.

A store write or a provider call on the UI thread freezes every key for its duration (TinyDB rewrites a file,
a provider may take seconds), and a screen that catches exceptions itself ends up showing a traceback or
nothing. So a screen only ever does `self.call_service(service_fn, *args, on_result=...)`:
- a plain function runs in a thread worker (store work), a coroutine function in an async worker (providers);
- an explained error (a `ServiceError`, a damaged store file, a provider's refusal: all `ExplainedError`)
  becomes a French notification, or goes to `on_error` when the screen shows field errors;
- anything else becomes « Erreur inattendue : <type> ; rien n'a été modifié. » — never the message nor the
  locals, which hold personal data — and the screen stays usable;
- the result comes back on the UI thread as a message, so a screen closed meanwhile simply never gets it.
"""

from __future__ import annotations

import inspect
import itertools
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.worker import Worker

from lsc_tui.domain.errors import ExplainedError

if TYPE_CHECKING:
    from textual.dom import DOMNode as _Node
else:
    _Node = object

_calls = itertools.count(1)


@dataclass(frozen=True)
class PendingCall:
    number: int
    group: str
    exclusive: bool
    on_result: Callable[[Any], object] | None
    on_error: Callable[[ExplainedError], object] | None


class ServiceDone(Message, bubble=False):
    def __init__(self, call: PendingCall, result: object) -> None:
        super().__init__()
        self.call = call
        self.result = result


class ServiceFailed(Message, bubble=False):
    def __init__(self, call: PendingCall, error: BaseException) -> None:
        super().__init__()
        self.call = call
        self.error = error


def unexpected_message(error: BaseException) -> str:
    return f"Erreur inattendue : {type(error).__name__} ; rien n'a été modifié."


class ServiceCaller(_Node):
    """Mixed into our screens and the app (Textual nodes): `call_service` and the delivery of its outcome."""

    _pending_calls: dict[int, PendingCall]
    _latest_calls: dict[str, int]

    def _call_book(self) -> tuple[dict[int, PendingCall], dict[str, int]]:
        if not hasattr(self, "_pending_calls"):
            self._pending_calls, self._latest_calls = {}, {}
        return self._pending_calls, self._latest_calls

    def call_service(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_result: Callable[[Any], object] | None = None,
        on_error: Callable[[ExplainedError], object] | None = None,
        group: str = "service",
        exclusive: bool = False,
        thread: bool | None = None,
        **kwargs: Any,
    ) -> Worker[None]:
        """Run `fn(*args, **kwargs)` in a worker; `on_result(value)` on the UI thread when it returns.

        `exclusive`: only the latest call of `group` delivers (a list reloaded twice shows the second read).
        `thread`: default True for a plain function, False for a coroutine function.
        """
        pending, latest = self._call_book()
        call = PendingCall(next(_calls), group, exclusive, on_result, on_error)
        pending[call.number] = call
        if exclusive:
            latest[group] = call.number
        use_thread = not inspect.iscoroutinefunction(fn) if thread is None else thread
        if use_thread:
            return self.run_worker(
                lambda: self._run_sync(call, fn, args, kwargs),
                thread=True,
                group=group,
                exit_on_error=False,
                description=getattr(fn, "__qualname__", "service"),
            )
        return self.run_worker(
            self._run_async(call, fn, args, kwargs),
            group=group,
            exit_on_error=False,
            description=getattr(fn, "__qualname__", "service"),
        )

    def service_busy(self, group: str) -> bool:
        """A call of `group` has not answered yet (a second ctrl+s while saving is ignored)."""
        pending, _ = self._call_book()
        return any(c.group == group for c in pending.values())

    def _run_sync(self, call: PendingCall, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:  # everything reaches the user as a sentence, nothing kills the app
            self.post_message(ServiceFailed(call, exc))
            return
        self.post_message(ServiceDone(call, result))

    async def _run_async(
        self, call: PendingCall, fn: Callable[..., Awaitable[Any]], args: tuple, kwargs: dict
    ) -> None:
        try:
            result = await fn(*args, **kwargs)
        except Exception as exc:
            self.post_message(ServiceFailed(call, exc))
            return
        self.post_message(ServiceDone(call, result))

    def _take(self, call: PendingCall) -> bool:
        """Forget the call; whether it should still deliver (not superseded by a later exclusive call)."""
        pending, latest = self._call_book()
        pending.pop(call.number, None)
        return not call.exclusive or latest.get(call.group) == call.number

    def on_service_done(self, message: ServiceDone) -> None:
        if self._take(message.call) and message.call.on_result is not None:
            message.call.on_result(message.result)

    def on_service_failed(self, message: ServiceFailed) -> None:
        if not self._take(message.call):
            return
        error = message.error
        if isinstance(error, ExplainedError):
            if message.call.on_error is not None:
                message.call.on_error(error)
            else:
                self.notify(error.message, severity="error", timeout=8, markup=False)
            return
        # For whoever maintains the app (textual console): where it failed, without the message or locals.
        self.log.error(type(error).__name__, "".join(traceback.format_tb(error.__traceback__)))
        self.notify(unexpected_message(error), severity="error", timeout=10, markup=False)
