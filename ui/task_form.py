"""The task form, for creating a task and for editing one, with the server's verdicts shown
where they belong.

Guarantees:
- The form is submitted through a callback, so its outcome is known before the page renders:
  a 422 puts each field's message right under that field (messages for fields the form does
  not have go above it), and the values typed stay in place to be corrected.
- An edit sends only the fields the person changed, with `If-Match` = the version the form was
  opened on. If someone else saved meanwhile (412), nothing is saved and the form shows the
  current version next to the person's changes, offering to reload it (dropping their changes)
  or to apply their changes on top of it.
- A successful create empties the form; a successful edit re-opens it on the new version.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Any, Callable

import streamlit as st

from taskraft_client import PreconditionFailed, Task, TaskraftError, ValidationError

from . import flash, problems, session
from .vocabulary import PRIORITIES, STATUS_LABEL, STATUSES, parse_tags

FIELDS = ("title", "description", "status", "priority", "due_at", "tags", "assignee",
          "project")


def _state(prefix: str) -> dict[str, Any]:
    """This form's own memory: generation (create), base task (edit), errors, conflict."""
    return st.session_state.setdefault(f"ui.form.{prefix}", {"gen": 0, "base": None,
                                                             "errors": {}, "conflict": None})


def _key(prefix: str, ns: str, name: str) -> str:
    return f"ui.form.{prefix}.{ns}.{name}"


def _values(prefix: str, ns: str) -> dict[str, Any]:
    """The form's fields as API values (due date + time -> UTC datetime, tags text -> list)."""
    get = lambda name: st.session_state.get(_key(prefix, ns, name))  # noqa: E731
    due_day: date | None = get("due_date")
    due_at = None
    if due_day is not None:
        due_at = datetime.combine(due_day, get("due_time") or time(0, 0), tzinfo=timezone.utc)
    return {
        "title": (get("title") or "").strip(),
        "description": get("description") or "",
        "status": get("status") or "todo",
        "priority": get("priority") or "medium",
        "due_at": due_at,
        "tags": parse_tags(get("tags") or ""),
        "assignee": (get("assignee") or "").strip() or None,
        "project": (get("project") or "").strip() or None,
    }


def changes(base: Task, values: dict[str, Any]) -> dict[str, Any]:
    """The fields of `values` that differ from `base` (what an edit sends)."""
    current = {"title": base.title, "description": base.description, "status": base.status,
               "priority": base.priority, "due_at": base.due_at, "tags": list(base.tags),
               "assignee": base.assignee, "project": base.project}
    return {k: v for k, v in values.items() if current[k] != v}


def _field_errors(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for e in exc.errors:
        name = e.field.split("[")[0].split(".")[0]
        name = name if name in FIELDS else "_"
        errors[name] = f"{errors[name]}; {e.message}" if name in errors else e.message
    if not errors:
        errors["_"] = problems.describe(exc, "save the task")
    return errors


def _submit(prefix: str, ns: str, on_created: Callable[[Task], None] | None) -> None:
    state = _state(prefix)
    state["errors"], state["conflict"] = {}, None
    client = session.client()
    if client is None:
        return
    values = _values(prefix, ns)
    base: Task | None = state["base"]
    try:
        if base is None:
            body = {k: v for k, v in values.items() if k != "title" and v not in (None, "", [])}
            task = client.create_task(values["title"], **body)
            state["gen"] += 1
            flash.push("success", f"Created task #{task.id} “{task.title}”.")
            if on_created is not None:
                on_created(task)
            return
        diff = changes(base, values)
        if not diff:
            flash.push("info", "Nothing to save: no field was changed.")
            return
        _save(state, base.id, base.version, diff)
    except ValidationError as exc:
        state["errors"] = _field_errors(exc)
    except TaskraftError as exc:
        state["errors"] = {"_": problems.describe(exc, "save the task")}


def _save(state: dict[str, Any], task_id: int, version: int, diff: dict[str, Any]) -> None:
    client = session.client()
    assert client is not None
    try:
        task = client.update_task(task_id, if_match=version, **diff)
    except PreconditionFailed as exc:
        state["conflict"] = (exc.current, diff)
        return
    state["base"] = task
    flash.push("success", f"Saved task #{task.id} (now version {task.version}).")


def _reload(prefix: str) -> None:
    state = _state(prefix)
    current, _ = state["conflict"]
    state["base"], state["conflict"], state["errors"] = current, None, {}


def _overwrite(prefix: str) -> None:
    state = _state(prefix)
    current, diff = state["conflict"]
    state["conflict"], state["errors"] = None, {}
    try:
        _save(state, current.id, current.version, diff)
    except ValidationError as exc:
        state["errors"] = _field_errors(exc)
    except TaskraftError as exc:
        state["errors"] = {"_": problems.describe(exc, "save the task")}


def _show_conflict(prefix: str) -> None:
    state = _state(prefix)
    current, diff = state["conflict"]
    if current is None:
        st.warning("Someone else changed this task meanwhile; nothing was saved.",
                   icon=":material/warning:")
        return
    base: Task = state["base"]
    st.warning(
        f"**Someone else saved this task while you were editing it.** You started from "
        f"version {base.version}; it is now at **version {current.version}** "
        f"(updated {current.updated_at:%Y-%m-%d %H:%M:%S} UTC). Your changes were not saved.",
        icon=":material/warning:")
    rows = [{"field": k, "your change": _show(v), "current version": _show(current.raw.get(k))}
            for k, v in diff.items()]
    st.table(rows)
    left, right, _ = st.columns([1, 1, 2])
    left.button("Reload the current version", key=f"ui.form.{prefix}.reload",
                on_click=_reload, args=(prefix,), type="primary")
    right.button("Apply my changes to it", key=f"ui.form.{prefix}.overwrite",
                 on_click=_overwrite, args=(prefix,))


def _show(value: Any) -> str:
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M} UTC"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) or "—"
    return "—" if value in (None, "") else str(value)


def render(prefix: str, base: Task | None = None,
           on_created: Callable[[Task], None] | None = None) -> None:
    """Create form (`base` None; `on_created` runs after a successful create) or edit form for
    `base`. An edit form keeps the version it was first opened on until it is saved or
    reloaded, whatever the page fetched since."""
    state = _state(prefix)
    if base is not None and (state["base"] is None or state["base"].id != base.id):
        state["base"], state["errors"], state["conflict"] = base, {}, None
    base = state["base"]
    ns = f"v{base.id}-{base.version}" if base else f"g{state['gen']}"
    errors: dict[str, str] = state["errors"]
    if state["conflict"] is not None:
        _show_conflict(prefix)
    if "_" in errors:
        st.error(errors["_"], icon=":material/warning:")

    def under(field: str) -> None:
        if field in errors:
            st.error(errors[field])

    key = lambda name: _key(prefix, ns, name)  # noqa: E731
    with st.form(f"ui.form.{prefix}.{ns}", border=base is None):
        st.text_input("Title", value=base.title if base else "", key=key("title"),
                      max_chars=200, placeholder="What needs doing?")
        under("title")
        st.text_area("Description", value=base.description if base else "",
                     key=key("description"), height=90)
        under("description")
        c1, c2, c3, c4 = st.columns(4)
        with c1:
            st.selectbox("Status", STATUSES, key=key("status"),
                         index=STATUSES.index(base.status) if base else 0,
                         format_func=STATUS_LABEL.get)
            under("status")
        with c2:
            st.selectbox("Priority", PRIORITIES, key=key("priority"),
                         index=PRIORITIES.index(base.priority) if base else 1)
            under("priority")
        due = base.due_at if base else None
        with c3:
            st.date_input("Due date", value=due.date() if due else None, key=key("due_date"))
            under("due_at")
        with c4:
            st.time_input("Due time (UTC)", value=due.time() if due else time(17, 0),
                          key=key("due_time"))
        c5, c6, c7 = st.columns(3)
        with c5:
            st.text_input("Tags (comma-separated)", value=", ".join(base.tags) if base else "",
                          key=key("tags"))
            under("tags")
        with c6:
            st.text_input("Assignee", value=(base.assignee or "") if base else "",
                          key=key("assignee"))
            under("assignee")
        with c7:
            st.text_input("Project", value=(base.project or "") if base else "",
                          key=key("project"))
            under("project")
        st.form_submit_button("Save changes" if base else "Create task", type="primary",
                              on_click=_submit, args=(prefix, ns, on_created))
