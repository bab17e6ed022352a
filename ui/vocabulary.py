"""The task vocabulary of API.md as the UI shows it: statuses, priorities, sort orders, and
how a value looks on screen (labels, coloured badges, dates). Pure functions, no Streamlit."""

from __future__ import annotations

from datetime import datetime, timezone

STATUSES = ("todo", "in_progress", "done")
PRIORITIES = ("low", "medium", "high", "urgent")

STATUS_LABEL = {"todo": "To do", "in_progress": "In progress", "done": "Done"}
STATUS_SHORT = {"todo": "To do", "in_progress": "Doing", "done": "Done"}
STATUS_COLOR = {"todo": "gray", "in_progress": "blue", "done": "green"}
PRIORITY_COLOR = {"low": "gray", "medium": "blue", "high": "orange", "urgent": "red"}

SORTS = {
    "-updated_at": "Recently updated",
    "updated_at": "Least recently updated",
    "-created_at": "Newest",
    "created_at": "Oldest",
    "due_at": "Due soonest",
    "-due_at": "Due latest",
    "-priority": "Priority, highest first",
    "priority": "Priority, lowest first",
    "title": "Title A-Z",
    "-title": "Title Z-A",
    "-id": "Id, highest first",
    "id": "Id, lowest first",
}


def status_badge(status: str) -> str:
    return f":{STATUS_COLOR.get(status, 'gray')}-badge[{STATUS_LABEL.get(status, status)}]"


def priority_badge(priority: str) -> str:
    return f":{PRIORITY_COLOR.get(priority, 'gray')}-badge[{priority}]"


def when(value: datetime | None, *, seconds: bool = False) -> str:
    """A timestamp as UTC text, 'YYYY-MM-DD HH:MM' (or with seconds); '—' for none."""
    if value is None:
        return "—"
    fmt = "%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M"
    return value.astimezone(timezone.utc).strftime(fmt)


def tags_text(tags: tuple[str, ...] | list[str]) -> str:
    return " ".join(f"`{t}`" for t in tags)


def parse_tags(text: str) -> list[str]:
    """'a, b ,,c' -> ['a', 'b', 'c'] (order kept, duplicates dropped)."""
    seen: list[str] = []
    for part in text.split(","):
        tag = part.strip()
        if tag and tag not in seen:
            seen.append(tag)
    return seen
