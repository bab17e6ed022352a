"""Polling with explicit deadlines: the one way the harness waits for anything.

`wait_until(condition, timeout=..., what=...)` calls `condition` every `interval` seconds until
it returns a truthy value (returned) or the deadline passes (`WaitTimeout`, naming what was
awaited, the last value or exception, and optional diagnostics). Exceptions raised by the
condition count as "not yet", so a condition may poll a server that is still starting, except
HarnessError, which means waiting longer is pointless (a process died) and propagates at once.
"""

from __future__ import annotations

import time
from typing import Callable, TypeVar

T = TypeVar("T")


class HarnessError(RuntimeError):
    """The harness could not do what it was asked (a process would not start, a command
    failed); the message says what and where to look."""


class WaitTimeout(AssertionError):
    """A condition did not hold before its deadline (an AssertionError: a test failure)."""


def wait_until(condition: Callable[[], T | None], *, timeout: float, what: str,
               interval: float = 0.1, diagnostics: Callable[[], str] | None = None) -> T:
    deadline = time.monotonic() + timeout
    last: object = None
    while True:
        try:
            value = condition()
        except HarnessError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure of the probe means "not yet"
            value, last = None, exc
        else:
            last = value
        if value:
            return value
        if time.monotonic() >= deadline:
            message = f"timed out after {timeout:.1f} s waiting for {what}; last: {last!r}"
            if diagnostics is not None:
                message += "\n" + diagnostics()
            raise WaitTimeout(message)
        time.sleep(interval)
