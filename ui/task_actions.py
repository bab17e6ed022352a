"""One-click actions on a task, shared by the list, the board and the task page: change its
status, delete it, open its page. Each writes with `If-Match` = the version the person saw, so
a task someone else changed meanwhile is left alone; the outcome is a flash message (these run
in widget callbacks, before the page renders again)."""

from __future__ import annotations

from typing import Callable

import streamlit as st

from taskraft_client import Client, PreconditionFailed, Task, TaskraftError

from . import flash, problems, session
from .vocabulary import STATUS_LABEL


def _write(task: Task, doing: str, write: Callable[[Client], object], done: str) -> bool:
    """Runs one conditional write; True when it happened. Every outcome becomes a message."""
    try:
        write(session.require())
    except PreconditionFailed as exc:
        now = f" (now version {exc.current.version})" if exc.current else ""
        flash.push("warning", f"Task #{task.id} was changed by someone else meanwhile{now}, so "
                              f"it was left as it is; it is shown as it is now.")
    except TaskraftError as exc:
        flash.push("error", problems.describe(exc, f"{doing} task #{task.id}"))
    else:
        flash.push("success", done)
        return True
    return False


def set_status(task: Task, status: str) -> bool:
    return _write(task, "change the status of",
                  lambda c: c.update_task(task.id, if_match=task.version, status=status),
                  f"Task #{task.id} “{task.title}” is now {STATUS_LABEL[status]}.")


def delete(task: Task) -> bool:
    return _write(task, "delete", lambda c: c.delete_task(task.id, if_match=task.version),
                  f"Deleted task #{task.id} “{task.title}”.")


def open_page(task_id: int) -> None:
    """Shows the task's page (call from the script, not from a callback)."""
    st.session_state["ui.task_id"] = task_id
    st.switch_page("views/task.py")
