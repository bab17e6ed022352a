"""Users (admins only): who can log in, with which role, and a form to add someone."""

from __future__ import annotations

import streamlit as st

from taskraft_client import TaskraftError, ValidationError

from ui import flash, problems, session

client = session.require()
st.title("Users")
if not session.is_admin():
    st.warning("Only admins manage users.")
    st.stop()
flash.show()


def _create() -> None:
    get = st.session_state.get
    errors: dict[str, str] = {}
    try:
        user = session.require().create_user(get("ui.users.name", "").strip(),
                                             get("ui.users.password", ""),
                                             get("ui.users.role", "member"))
    except ValidationError as exc:
        errors = {e.field or "_": e.message for e in exc.errors} or {
            "_": problems.describe(exc, "create the user")}
    except TaskraftError as exc:
        errors = {"_": problems.describe(exc, "create the user")}
    else:
        flash.push("success", f"Created {user.role} “{user.username}”.")
        for key in ("ui.users.name", "ui.users.password"):
            st.session_state[key] = ""
    st.session_state["ui.users.errors"] = errors


left, right = st.columns([3, 2], gap="large")
with left:
    with problems.reported("list the users"):
        users = client.list_users()
        st.dataframe([{"username": u.username, "role": u.role} for u in users],
                     hide_index=True, width="stretch")
        st.caption(f"{len(users)} user(s)")
with right:
    st.subheader("Add a user")
    errors = st.session_state.get("ui.users.errors", {})
    if "_" in errors:
        st.error(errors["_"], icon=":material/warning:")
    with st.form("ui.users.form", border=True):
        st.text_input("Username", key="ui.users.name")
        if "username" in errors:
            st.error(errors["username"])
        st.text_input("Password", type="password", key="ui.users.password")
        if "password" in errors:
            st.error(errors["password"])
        st.selectbox("Role", ("member", "admin"), key="ui.users.role")
        if "role" in errors:
            st.error(errors["role"])
        st.form_submit_button("Create user", type="primary", on_click=_create)
