"""Paging over the API's cursors (`next_cursor` of GET /v1/tasks), remembered per list.

Guarantees:
- A list (named by the page that shows it) remembers the cursors of the pages visited so far,
  so "previous" goes back without the API having backward cursors, and only one page of
  tasks is ever requested at a time: the UI stays fast however many tasks the cluster holds.
- Changing the query (filters, search, sort, page size) starts again at page 1.
"""

from __future__ import annotations

from typing import Any, Hashable

import streamlit as st


class Pager:
    def __init__(self, name: str, query: Hashable):
        self._state: dict[str, Any] = st.session_state.setdefault(
            f"ui.pager.{name}", {"query": query, "cursors": [None]})
        if self._state["query"] != query:
            self._state.update(query=query, cursors=[None])

    @property
    def cursor(self) -> str | None:
        """The cursor of the page to show now (None: the first page)."""
        return self._state["cursors"][-1]

    @property
    def number(self) -> int:
        return len(self._state["cursors"])

    def forward(self, next_cursor: str) -> None:
        self._state["cursors"].append(next_cursor)

    def back(self) -> None:
        if len(self._state["cursors"]) > 1:
            self._state["cursors"].pop()
