"""Messages that must survive one rerun: the outcome of an action taken in a widget callback
(or just before `st.rerun()`), shown once at the top of the next run of the page, then gone."""

from __future__ import annotations

import streamlit as st

_KEY = "ui.flash"


def push(kind: str, text: str) -> None:
    """`kind` is one of success, info, warning, error."""
    st.session_state.setdefault(_KEY, []).append((kind, text))


def show() -> None:
    for kind, text in st.session_state.pop(_KEY, []):
        getattr(st, kind)(text)
