"""The logged-in user of one browser session: their client, who they are, and logging out.

Guarantees:
- `login()` creates a failover `Client` over every configured node and keeps it in this
  session's state only (never shared between browser sessions); it returns a readable message
  instead of raising when the credentials are wrong or no node answers.
- `logout()` forgets everything the UI kept for this session (keys "ui.*"), closing what holds
  connections or threads.
- `client()` is that client, or None before login / after logout; `require()` stops the page
  (showing nothing more) when nobody is logged in, so pages can assume a client.
- The UI's deadline for one call is `DEADLINE` seconds: long enough to ride out a leader
  election (the client retries other nodes with the same Idempotency-Key), short enough that a
  person is told something went wrong instead of waiting forever.
"""

from __future__ import annotations

import streamlit as st

from taskraft_client import Client, TaskraftError, Unauthorized, Unavailable, User

from . import settings

DEADLINE = 12.0
_KEY = "taskraft.client"


def client() -> Client | None:
    found = st.session_state.get(_KEY)
    return found if isinstance(found, Client) else None


def user() -> User | None:
    c = client()
    return c.session.user if c else None


def is_admin() -> bool:
    u = user()
    return u is not None and u.role == "admin"


def login(username: str, password: str) -> str | None:
    """Logs in; None on success, else what to tell the person."""
    nodes = settings.load().nodes
    if not nodes:
        return "TASKRAFT_NODES is not set: start the UI with the cluster's node addresses."
    if not username or not password:
        return "Enter a username and a password."
    try:
        c = Client(list(nodes), username, password, deadline=DEADLINE, request_timeout=4.0)
    except Unauthorized:
        return "Wrong username or password."
    except Unavailable:
        return ("No node of the cluster answered (tried " + ", ".join(nodes) +
                "). Is the cluster running?")
    except TaskraftError as exc:
        return f"Could not log in: {exc}"
    logout()
    st.session_state[_KEY] = c
    return None


def logout() -> None:
    old = st.session_state.pop(_KEY, None)
    if isinstance(old, Client):
        old.close()
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("ui.")]:
        value = st.session_state.pop(key)
        if callable(getattr(value, "close", None)):
            value.close()  # the cluster page's watcher: its threads and connections


def require() -> Client:
    c = client()
    if c is None:
        st.info("Please log in first.")
        st.stop()
    return c
