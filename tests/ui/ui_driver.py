"""Drives ui/app.py headlessly with Streamlit's AppTest, the way a person would: log in, click
buttons by their label, read what the page says. Failures name what was on the page."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "ui" / "app.py"
TIMEOUT = 30.0


def open_app() -> AppTest:
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()


def log_in(username: str, password: str) -> AppTest:
    at = open_app()
    at.text_input(key="ui.login.username").input(username)
    at.text_input(key="ui.login.password").input(password)
    return click(at, "Log in")


def click(at: AppTest, label: str, nth: int = 0) -> AppTest:
    """Clicks the `nth` button (form submit buttons too) whose label is `label`, and reruns."""
    found = [b for b in at.button if b.label == label]
    assert len(found) > nth, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    return found[nth].click().run()


def text(at: AppTest) -> str:
    """Everything the page says in words: titles, markdown, metrics, alerts, captions."""
    parts: list[str] = []
    for kind in ("title", "subheader", "markdown", "caption", "success", "info", "warning",
                 "error"):
        parts.extend(str(e.value) for e in getattr(at, kind))
    parts.extend(f"{m.label}: {m.value}" for m in at.metric)
    parts.extend(str(e.label) for e in at.expander)
    return "\n".join(parts)


def errors(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.error]


def no_exception(at: AppTest) -> AppTest:
    assert not at.exception, f"the page raised: {[e.message for e in at.exception]}"
    return at
