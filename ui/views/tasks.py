"""Task list: search, filters, sort and paging over the API's cursors (one page of tasks per
request, however many the cluster holds); the create form; quick status changes; delete with
confirmation; bulk status changes and deletes on the selected tasks of the page."""

from __future__ import annotations

from datetime import datetime, time, timezone

import streamlit as st

from taskraft_client import PreconditionFailed, Task, TaskraftError

from ui import flash, problems, session, task_actions, task_form
from ui.paging import Pager
from ui.vocabulary import (PRIORITIES, SORTS, STATUS_LABEL, STATUSES, priority_badge,
                           tags_text, when)

client = session.require()
ANY = "any"


def _select_key(task_id: int) -> str:
    return f"ui.sel.{task_id}"


def _quick_status(task: Task, key: str) -> None:
    task_actions.set_status(task, st.session_state[key])


def _delete(task: Task) -> None:
    st.session_state.pop("ui.tasks.confirm", None)
    task_actions.delete(task)


def _bulk(tasks: list[Task], action: str) -> None:
    """Applies `action` ("delete" or a status) to each task at the version the page showed."""
    st.session_state.pop("ui.tasks.bulk_confirm", None)
    c = session.require()
    done, stale, failed = [], [], []
    for task in tasks:
        try:
            if action == "delete":
                c.delete_task(task.id, if_match=task.version)
            else:
                c.update_task(task.id, if_match=task.version, status=action)
        except PreconditionFailed:
            stale.append(task.id)
        except TaskraftError as exc:
            failed.append(problems.describe(exc, f"update task #{task.id}"))
        else:
            done.append(task.id)
            st.session_state[_select_key(task.id)] = False
    verb = "Deleted" if action == "delete" else f"Set to {STATUS_LABEL[action]}:"
    if done:
        flash.push("success", f"{verb} {len(done)} task(s) ({', '.join(f'#{i}' for i in done)}).")
    if stale:
        flash.push("warning", f"{len(stale)} task(s) were changed by someone else meanwhile and "
                              f"were left alone: {', '.join(f'#{i}' for i in stale)}.")
    for text in failed:
        flash.push("error", text)


st.title("Tasks")
flash.show()

with st.expander("New task", icon=":material/add_task:", key="ui.tasks.new_open",
                 on_change="rerun"):
    task_form.render("new", on_created=lambda _: st.session_state.update(
        {"ui.tasks.new_open": False}))

# -- query -------------------------------------------------------------------------------------
top = st.columns([3, 1.4, 0.8])
q = top[0].text_input("Search", key="ui.tasks.q", placeholder="Words in title or description",
                      icon=":material/search:")
sort = top[1].selectbox("Sort", list(SORTS), format_func=SORTS.get, key="ui.tasks.sort")
size = top[2].selectbox("Per page", (25, 50, 100), key="ui.tasks.size")
row = st.columns(7)
status = row[0].selectbox("Status", (ANY, *STATUSES), key="ui.tasks.status",
                          format_func=lambda s: "Any" if s == ANY else STATUS_LABEL[s])
priority = row[1].selectbox("Priority", (ANY, *PRIORITIES), key="ui.tasks.priority",
                            format_func=lambda p: "Any" if p == ANY else p)
tag = row[2].text_input("Tag", key="ui.tasks.tag")
assignee = row[3].text_input("Assignee", key="ui.tasks.assignee")
project = row[4].text_input("Project", key="ui.tasks.project")
due_after = row[5].date_input("Due from", value=None, key="ui.tasks.due_after")
due_before = row[6].date_input("Due until", value=None, key="ui.tasks.due_before")

query = dict(
    q=q.strip() or None, sort=sort, status=None if status == ANY else status,
    priority=None if priority == ANY else priority, tag=tag.strip() or None,
    assignee=assignee.strip() or None, project=project.strip() or None,
    due_after=datetime.combine(due_after, time.min, tzinfo=timezone.utc) if due_after else None,
    due_before=datetime.combine(due_before, time.max, tzinfo=timezone.utc) if due_before
    else None)
pager = Pager("tasks", (tuple(sorted(query.items(), key=lambda kv: kv[0])), size))

page = None
with problems.reported("load the tasks"):
    page = client.list_tasks(limit=size, cursor=pager.cursor, **query)
if page is None:
    st.stop()
tasks = list(page.items)

# -- bulk actions --------------------------------------------------------------------------------
selected = [t for t in tasks if st.session_state.get(_select_key(t.id))]
bar = st.columns([1.6, 1.4, 0.8, 1.6, 2.6], vertical_alignment="center")
bar[0].markdown(f"**{len(selected)} selected** of {len(tasks)} on this page")
bar[1].selectbox("Set status of the selected", STATUSES, key="ui.tasks.bulk_status",
                               format_func=STATUS_LABEL.get, label_visibility="collapsed")
bar[2].button("Apply", key="ui.tasks.bulk_apply", disabled=not selected,
              on_click=lambda: _bulk(selected, st.session_state["ui.tasks.bulk_status"]))
if bar[3].button("Delete selected", key="ui.tasks.bulk_delete", disabled=not selected,
                 icon=":material/delete:"):
    st.session_state["ui.tasks.bulk_confirm"] = [t.id for t in selected]
pending = st.session_state.get("ui.tasks.bulk_confirm")
if pending:
    doomed = [t for t in tasks if t.id in pending]
    with st.container(border=True):
        st.warning(f"Delete {len(doomed)} task(s): "
                   f"{', '.join(f'#{t.id} “{t.title}”' for t in doomed)}? This cannot be undone.")
        yes, no, _ = st.columns([1, 1, 4])
        yes.button("Yes, delete them", key="ui.tasks.bulk_yes", type="primary",
                   on_click=_bulk, args=(doomed, "delete"))
        no.button("Cancel", key="ui.tasks.bulk_no",
                  on_click=lambda: st.session_state.pop("ui.tasks.bulk_confirm", None))

# -- the page of tasks ---------------------------------------------------------------------------
WIDTHS = [0.35, 3.7, 1.5, 0.9, 1.0, 1.6, 0.95, 0.55]
if not tasks:
    st.info("No task matches." if any(v for k, v in query.items() if k != "sort")
            else "No tasks yet: create the first one above.")
else:
    head = st.columns(WIDTHS)
    for col, label in zip(head[1:], ("Task", "Status", "Priority", "Assignee", "Due")):
        col.caption(f"**{label}**")
for task in tasks:
    with st.container(border=True):
        cols = st.columns(WIDTHS, vertical_alignment="center")
        cols[0].checkbox(f"select #{task.id}", key=_select_key(task.id),
                         label_visibility="collapsed")
        folder = task.project and f":material/folder: {task.project}"
        meta = " · ".join(x for x in (f"#{task.id}", folder, tags_text(task.tags)) if x)
        cols[1].markdown(f"**{task.title}**  \n:gray[{meta}]")
        key = f"ui.quick.{task.id}.{task.version}"
        cols[2].selectbox(f"Status of #{task.id}", STATUSES, key=key,
                          index=STATUSES.index(task.status), format_func=STATUS_LABEL.get,
                          label_visibility="collapsed", on_change=_quick_status,
                          args=(task, key))
        cols[3].markdown(priority_badge(task.priority))
        cols[4].markdown(task.assignee or ":gray[—]")
        cols[5].markdown(when(task.due_at))
        if cols[6].button("Open", key=f"ui.open.{task.id}", help="Details and history",
                          width="stretch"):
            task_actions.open_page(task.id)
        if cols[7].button("", key=f"ui.del.{task.id}", icon=":material/delete:",
                          help=f"Delete task #{task.id}"):
            st.session_state["ui.tasks.confirm"] = task.id
        if st.session_state.get("ui.tasks.confirm") == task.id:
            st.warning(f"Delete task #{task.id} “{task.title}”? This cannot be undone.")
            yes, no, _ = st.columns([1, 1, 5])
            yes.button("Yes, delete", key=f"ui.del.yes.{task.id}", type="primary",
                       on_click=_delete, args=(task,))
            no.button("Cancel", key=f"ui.del.no.{task.id}",
                      on_click=lambda: st.session_state.pop("ui.tasks.confirm", None))

# -- paging --------------------------------------------------------------------------------------
nav = st.columns([1, 1, 1, 5])
nav[0].button("← Previous", key="ui.tasks.prev", disabled=pager.number == 1, on_click=pager.back)
nav[1].markdown(f"Page **{pager.number}**")
nav[2].button("Next →", key="ui.tasks.next", disabled=not page.next_cursor,
              on_click=pager.forward, args=(page.next_cursor,))
