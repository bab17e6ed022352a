"""Login page: the only page before login. Wrong credentials or an unreachable cluster are
said in words under the form; success opens the task list."""

from __future__ import annotations

import streamlit as st

from ui import session, settings

_, middle, _ = st.columns([1, 1.3, 1])
with middle:
    st.title(":material/task_alt: taskraft")
    st.markdown("A task manager that keeps every task safe while machines fail: a Raft "
                "cluster where each node keeps a full copy in its own MySQL.")
    nodes = settings.load().nodes
    with st.form("ui.login"):
        username = st.text_input("Username", key="ui.login.username")
        password = st.text_input("Password", type="password", key="ui.login.password")
        submitted = st.form_submit_button("Log in", type="primary", width="stretch")
    if submitted:
        with st.spinner("Logging in…"):
            problem = session.login(username.strip(), password)
        if problem:
            st.error(problem, icon=":material/warning:")
        else:
            st.rerun()
    st.caption("Nodes: " + (", ".join(nodes) if nodes else "none configured (TASKRAFT_NODES)"))
