"""taskraft's web UI: the entry point, `.venv/bin/streamlit run ui/app.py`.

Reads TASKRAFT_NODES (and optionally TASKRAFT_SUPERVISOR, see ui/settings.py). Before login
only the login page exists; after it, the pages of ui/views/ (Users for admins only) and a
sidebar saying who is logged in, with a logout button. Whatever a page raises is shown as a
readable message (ui/problems.py), never as a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "clients" / "python"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import streamlit as st  # noqa: E402

from ui import problems, session, settings, style  # noqa: E402

st.set_page_config(page_title="taskraft", page_icon=":material/task_alt:", layout="wide")
style.inject()

user = session.user()
if user is None:
    page = st.navigation([st.Page("views/login.py", title="Log in", icon=":material/login:")])
else:
    work = [
        st.Page("views/tasks.py", title="Tasks", icon=":material/checklist:", default=True),
        st.Page("views/board.py", title="Board", icon=":material/view_kanban:"),
        st.Page("views/task.py", title="Task details", icon=":material/description:"),
    ]
    system = [st.Page("views/cluster.py", title="Cluster", icon=":material/hub:")]
    if session.is_admin():
        system.append(st.Page("views/users.py", title="Users", icon=":material/group:"))
    page = st.navigation({"Work": work, "System": system})
    with st.sidebar:
        st.markdown(f"Logged in as **{user.username}** · {user.role}")
        st.caption(f"Cluster: {len(settings.load().nodes)} node address(es) configured")
        st.button("Log out", icon=":material/logout:", on_click=session.logout,
                  key="ui.logout")

try:
    page.run()
except Exception as exc:  # noqa: BLE001 - the last line of defence against a raw traceback
    st.error(problems.describe(exc, "show this page"), icon=":material/warning:")
