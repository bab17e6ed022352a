"""Assertions shared by the cluster tests: writes that must all be there, exactly once."""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable

from taskraft_client import Client, Task

Content = dict[int, dict[str, Any]]


def create_tasks(client: Client, count: int, prefix: str) -> list[Task]:
    """`count` tasks titled `<prefix>-<i>`, each acknowledged before the next is sent."""
    return [client.create_task(f"{prefix}-{i}", tags=[prefix]) for i in range(count)]


def assert_all_present(content: Content, acked: Iterable[Task], where: str) -> None:
    """Every acknowledged write is in `content` with the id and title it was acknowledged with."""
    missing = [t.title for t in acked if content.get(t.id, {}).get("title") != t.title]
    assert not missing, f"{len(missing)} acknowledged writes missing on {where}: {missing[:10]}"


def assert_each_title_once(content: Content, prefix: str) -> None:
    """No logical write was applied twice (retries carry the same Idempotency-Key)."""
    counts = Counter(t["title"] for t in content.values() if t["title"].startswith(prefix))
    twice = {title: n for title, n in counts.items() if n > 1}
    assert not twice, f"writes applied more than once: {twice}"
