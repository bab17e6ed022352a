"""Readable messages for everything that can go wrong when the UI calls the cluster.

Guarantees:
- `describe(exc, action)` turns any exception into one or two plain sentences that say what
  was being done and what to do next; it never includes a traceback.
- `reported(action)` is a context manager that shows such a message (st.error) in place of an
  exception raised inside it, so a page keeps rendering below it. Streamlit's own control flow
  (st.rerun, st.stop) passes through untouched: it is not an `Exception`.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import streamlit as st

from taskraft_client import (ApiError, BadRequest, Conflict, Forbidden, NotFound,
                             PreconditionFailed, Unauthorized, Unavailable, ValidationError)


def describe(exc: BaseException, action: str) -> str:
    if isinstance(exc, Unavailable):
        return (f"Could not {action}: no node of the cluster answered in time (it may be "
                "electing a leader, or a majority of nodes is down). Try again in a moment.")
    if isinstance(exc, Unauthorized):
        return f"Could not {action}: your session has expired. Log out and log in again."
    if isinstance(exc, Forbidden):
        return f"Could not {action}: your role does not allow it (admins only)."
    if isinstance(exc, NotFound):
        return f"Could not {action}: it does not exist (any more). Someone may have deleted it."
    if isinstance(exc, PreconditionFailed):
        current = exc.current
        now = f" (it is now at version {current.version})" if current else ""
        return f"Could not {action}: someone else changed it meanwhile{now}. Reload and retry."
    if isinstance(exc, ValidationError):
        fields = "; ".join(f"{e.field}: {e.message}" if e.field else e.message
                           for e in exc.errors)
        return f"Could not {action}: {fields or exc.detail or exc.title}."
    if isinstance(exc, (Conflict, BadRequest)):
        return f"Could not {action}: {exc.detail or exc.title}."
    if isinstance(exc, ApiError):
        text = exc.detail or exc.title or "the server reported an error"
        return f"Could not {action}: {text} (HTTP {exc.status})."
    return f"Could not {action}: unexpected {type(exc).__name__}: {exc}"


@contextmanager
def reported(action: str) -> Iterator[None]:
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - every failure becomes a message, never a trace
        st.error(describe(exc, action), icon=":material/warning:")
