"""A task as a versioned register, and a history split into one history per task.

The sequential model of one task id (API.md, store/applier.cc):
    state   NEVER (not created yet) | GONE (deleted) | (version, title, status)
    create  NEVER -> (1, title, status)
    read    returns the state (404 = NEVER or GONE)
    update  on a task whose version matches If-Match (when given): the fields change; the
            version grows by one unless nothing changed; 404 when absent; 412 when the version
            differs (the 412 carries the current task, which must be the state)
    delete  on a present, matching task -> GONE; 404 when absent; 412 as for update
Ids are never reused, so per-task histories are independent (P-compositionality): the whole
history is linearizable iff each task's is.

Splitting: an ok create belongs to the id it returned; an unknown create to the id of any
observation of its unique title at version 1 (dropped when never observed: then nothing else
could have touched that id); every item of an ok list is a read of that item over the list's
interval; unknown reads and lists are dropped (they constrain nothing). Operations that failed
for reasons outside the model (422 and the like) are dropped too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Hashable

from . import linearizable
from .history import FAIL, OK, UNKNOWN, History, Op

NEVER, GONE = "never", "gone"
Value = tuple[int, str, str]


def task_value(task: dict[str, Any] | None) -> Value | None:
    if task is None:
        return None
    return (int(task["version"]), str(task["title"]), str(task["status"]))


@dataclass(frozen=True)
class RegOp:
    f: str                      # create | read | update | delete
    outcome: str                # ok | fail | unknown
    index: int                  # the history op it came from
    value: Value | None = None  # what an ok op returned / what a 412 carried
    status: int | None = None   # HTTP status of a fail
    title: str | None = None
    task_status: str | None = None
    if_match: int | None = None


class TaskRegister:
    init: Hashable = NEVER

    def step(self, state: Hashable, op: RegOp) -> tuple[bool, Hashable]:
        present = isinstance(state, tuple)
        if op.f == "read":
            return (not present if op.value is None else state == op.value), state
        if op.f == "create":
            new = (1, op.title, op.task_status or "todo")
            if state != NEVER or (op.outcome == OK and op.value != new):
                return False, state
            return True, new
        if op.outcome == FAIL:
            if op.status == 404:
                return not present, state
            # 412: present, at another version; the body is the current task
            ok = present and state[0] != op.if_match and op.value in (None, state)
            return ok, state
        if not present or (op.if_match is not None and state[0] != op.if_match):
            return False, state
        if op.f == "delete":
            return True, GONE
        version, title, status = state
        new_title = op.title if op.title is not None else title
        new_status = op.task_status if op.task_status is not None else status
        changed = (new_title, new_status) != (title, status)
        new = (version + 1 if changed else version, new_title, new_status)
        if op.outcome == OK and op.value != new:
            return False, state
        return True, new


def _reg_op(op: Op, f: str | None = None, value: Value | None = None) -> RegOp:
    return RegOp(f=f or op.f, outcome=op.type or UNKNOWN, index=op.index, value=value,
                 status=int(op.error) if op.type == FAIL and str(op.error).isdigit() else None,
                 title=op.args.get("title"), task_status=op.args.get("status"),
                 if_match=op.args.get("if_match"))


def _entry(op: Op, reg: RegOp) -> linearizable.Entry:
    required = op.type in (OK, FAIL)
    return linearizable.Entry(op.invoke_ns, op.complete_ns if required else None, reg, required)


def split(history: History) -> dict[int, list[linearizable.Entry]]:
    """Per task id, the entries of the model, each pointing back at its history op."""
    ops = history.completed()
    created_as: dict[str, int] = {}
    for op in ops:
        for task in _observed(op):
            if int(task["version"]) == 1:
                created_as.setdefault(str(task["title"]), int(task["id"]))
    per_key: dict[int, list[linearizable.Entry]] = defaultdict(list)
    for op in ops:
        if op.f == "create":
            key = op.value["id"] if op.type == OK else created_as.get(op.args.get("title", ""))
            if key is not None and op.type in (OK, UNKNOWN):
                per_key[int(key)].append(_entry(op, _reg_op(op, value=task_value(op.value))))
        elif op.f == "list":
            if op.type == OK:
                for task in op.value:
                    per_key[int(task["id"])].append(_entry(op, _reg_op(op, "read", task_value(task))))
        elif op.f == "read":
            if op.type == OK:
                per_key[int(op.key)].append(_entry(op, _reg_op(op, value=task_value(op.value))))
        elif op.f in ("update", "delete"):
            if op.type == FAIL and op.error not in ("404", "412"):
                continue
            value = task_value(op.value) if isinstance(op.value, dict) else None
            per_key[int(op.key)].append(_entry(op, _reg_op(op, value=value)))
    return dict(per_key)


def _observed(op: Op) -> list[dict[str, Any]]:
    if op.type not in (OK, FAIL):
        return []
    if op.f == "list" and op.type == OK:
        return list(op.value)
    return [op.value] if isinstance(op.value, dict) and "version" in op.value else []


@dataclass
class KeyResult:
    key: int
    entries: list[linearizable.Entry]
    result: linearizable.Result


def check(history: History, max_states: int = 500_000) -> list[KeyResult]:
    """Every task's result; `ok` False is a violation, None undecided: within the budget, or
    for a task whose create is not in the history (an unknown create never seen at version 1:
    the model cannot know its first state)."""
    out = []
    for key, entries in sorted(split(history).items()):
        if not any(e.op.f == "create" for e in entries):
            out.append(KeyResult(key, entries, linearizable.Result(None, 0)))
        else:
            out.append(KeyResult(key, entries,
                                 linearizable.check(entries, TaskRegister(), max_states)))
    return out
