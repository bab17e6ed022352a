"""Board: a column per status (To do, In progress, Done) holding the most recently updated
tasks of that status, each card movable to the neighbouring columns. Each column is one page
request to the API (20 cards, "Show more" asks for 20 more), never the whole task set."""

from __future__ import annotations

import streamlit as st

from ui import flash, problems, session, task_actions
from ui.vocabulary import STATUS_LABEL, STATUS_SHORT, STATUSES, priority_badge, when

client = session.require()
STEP = 20
MAX = 500  # the API's largest page


def _more(status: str) -> None:
    key = f"ui.board.limit.{status}"
    st.session_state[key] = min(MAX, st.session_state.get(key, STEP) + STEP)


st.title("Board")
flash.show()
filters = st.columns([1, 1, 2])
project = filters[0].text_input("Project", key="ui.board.project").strip() or None
assignee = filters[1].text_input("Assignee", key="ui.board.assignee").strip() or None
q = filters[2].text_input("Search", key="ui.board.q", icon=":material/search:").strip() or None

columns = st.columns(len(STATUSES), gap="medium")
for position, (status, column) in enumerate(zip(STATUSES, columns)):
    limit = st.session_state.get(f"ui.board.limit.{status}", STEP)
    with column:
        page = None
        with problems.reported(f"load the {STATUS_LABEL[status]} column"):
            page = client.list_tasks(status=status, project=project, assignee=assignee, q=q,
                                     sort="-updated_at", limit=limit)
        count = "…" if page is None else f"{len(page.items)}{'+' if page.next_cursor else ''}"
        st.subheader(f"{STATUS_LABEL[status]} · {count}", divider="gray")
        if page is None:
            continue
        if not page.items:
            st.caption("Nothing here.")
        for task in page.items:
            with st.container(border=True):
                st.markdown(f"**{task.title}**")
                bits = [f"#{task.id}", priority_badge(task.priority)]
                if task.assignee:
                    bits.append(f":material/person: {task.assignee}")
                if task.due_at:
                    bits.append(f":material/event: {when(task.due_at)}")
                st.markdown(" · ".join(bits))
                left, mid, right = st.columns(3, gap="small")
                if position > 0:
                    back = STATUSES[position - 1]
                    left.button(f"◀ {STATUS_SHORT[back]}", key=f"ui.move.{task.id}.{back}",
                                on_click=task_actions.set_status, args=(task, back),
                                width="stretch")
                if mid.button("Open", key=f"ui.board.open.{task.id}", width="stretch"):
                    task_actions.open_page(task.id)
                if position < len(STATUSES) - 1:
                    ahead = STATUSES[position + 1]
                    right.button(f"{STATUS_SHORT[ahead]} ▶", key=f"ui.move.{task.id}.{ahead}",
                                 on_click=task_actions.set_status, args=(task, ahead),
                                 width="stretch",
                                 type="primary")
        if page.next_cursor and limit < MAX:
            st.button("Show more", key=f"ui.board.more.{status}", on_click=_more,
                      args=(status,), width="stretch")
