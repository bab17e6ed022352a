"""Exactly-once: no idempotent create took effect twice, however often it was retried.

Every create of the workload carries a title no other create uses, and its retries re-send the
same Idempotency-Key and body. `applied` counts, per title, how many tasks were ever created with
it (from the task_history table of a node's MySQL, which keeps deleted tasks' creations too).
Guarantee: any title of the history created more than once is a Violation; so is a created
title that no create of the history sent (a write out of nowhere).
"""

from __future__ import annotations

from typing import Mapping

from .history import History
from .violations import Violation

NAME = "exactly-once"


def check(history: History, applied: Mapping[str, int]) -> list[Violation]:
    creates = {op.args["title"]: op for op in history.completed() if op.f == "create"}
    out: list[Violation] = []
    for title, count in sorted(applied.items()):
        op = creates.get(title)
        if op is None:
            out.append(Violation(NAME, None, f"{count} task(s) created with title {title!r}, "
                                 "which no client sent"))
        elif count > 1:
            tries = op.args.get("attempts", 1)
            out.append(Violation(NAME, None, f"create {title!r} (op {op.index}, {tries} "
                                 f"attempt(s) with one key) took effect {count} times",
                                 (op.index,)))
    return out
