"""Task details: one task's fields, its edit form (stale edits get a 412 and the offer to
reload), delete with confirmation, and its history as a timeline: who changed what, when, at
which Raft log index and term (GET /v1/tasks/{id}/history)."""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from taskraft_client import HistoryEntry, NotFound, Task, TaskraftError

from ui import flash, problems, session, task_actions, task_form
from ui.vocabulary import priority_badge, status_badge, tags_text, when

client = session.require()


def _chosen_id() -> int | None:
    raw = st.session_state.get("ui.task_id") or st.query_params.get("id")
    try:
        return int(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None


def _value(value: Any) -> str:
    if value in (None, "", []):
        return "∅"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value) if isinstance(value, (str, int, float)) else json.dumps(value)


def _timeline(entries: list[HistoryEntry]) -> None:
    icons = {"create": ":material/add_circle:", "update": ":material/edit:",
             "delete": ":material/delete:"}
    for entry in reversed(entries):
        label = (f"**v{entry.version} · {entry.op}** by **{entry.actor or 'unknown'}** · "
                 f"{when(entry.at, seconds=True)} UTC")
        with st.expander(label, expanded=True, type="step",
                         icon=icons.get(entry.op, ":material/circle:")):
            st.caption(f"Raft log index {entry.raft_index}, term {entry.raft_term}")
            changes = entry.changes if isinstance(entry.changes, dict) else {}
            lines = []
            for field, change in changes.items():
                if isinstance(change, dict) and ("from" in change or "to" in change):
                    if entry.op == "create":
                        lines.append(f"- `{field}` = {_value(change.get('to'))}")
                    else:
                        lines.append(f"- `{field}`: {_value(change.get('from'))} → "
                                     f"**{_value(change.get('to'))}**")
                else:
                    lines.append(f"- `{field}`: {_value(change)}")
            if lines:
                st.markdown("\n".join(lines))


def _delete(task: Task) -> None:
    st.session_state.pop("ui.task.confirm", None)
    if task_actions.delete(task):
        st.session_state.pop("ui.task_id", None)
        st.query_params.pop("id", None)


flash.show()
with st.sidebar:
    picked = st.number_input("Open task by id", min_value=1, step=1, value=_chosen_id(),
                             key="ui.task.pick", placeholder="Task id")
task_id = int(picked) if picked else None
if task_id is None:
    st.title("Task details")
    st.info("Open a task from the task list or the board, or enter its id in the sidebar.")
    st.stop()
st.session_state["ui.task_id"] = task_id
st.query_params["id"] = str(task_id)

task = None
try:
    task = client.get_task(task_id)
except NotFound:
    st.title(f"Task #{task_id}")
    st.warning(f"There is no task #{task_id} (it may have been deleted).")
    st.stop()
except TaskraftError as exc:
    st.error(problems.describe(exc, f"load task #{task_id}"), icon=":material/warning:")
    st.stop()

st.title(f"#{task.id} · {task.title}")
st.markdown(" ".join(x for x in (status_badge(task.status), priority_badge(task.priority),
                                 tags_text(task.tags)) if x))
meta = st.columns(4)
meta[0].metric("Version", task.version)
meta[1].metric("Assignee", task.assignee or "—")
meta[2].metric("Project", task.project or "—")
meta[3].metric("Due (UTC)", when(task.due_at))
st.caption(f"Created by {task.created_by or 'unknown'} on {when(task.created_at)} UTC · last "
           f"updated {when(task.updated_at, seconds=True)} UTC")
if task.description:
    st.markdown(task.description)

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader("Edit")
    task_form.render(f"edit{task.id}", task)
    if st.button("Delete this task", key="ui.task.delete", icon=":material/delete:"):
        st.session_state["ui.task.confirm"] = task.id
    if st.session_state.get("ui.task.confirm") == task.id:
        st.warning(f"Delete task #{task.id} “{task.title}”? This cannot be undone.")
        yes, no, _ = st.columns([1, 1, 3])
        yes.button("Yes, delete", key="ui.task.delete_yes", type="primary", on_click=_delete,
                   args=(task,))
        no.button("Cancel", key="ui.task.delete_no",
                  on_click=lambda: st.session_state.pop("ui.task.confirm", None))
with right:
    st.subheader("History")
    with problems.reported("load the history"):
        _timeline(client.task_history(task.id))
