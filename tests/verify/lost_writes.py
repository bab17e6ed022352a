"""No acknowledged write lost: every ok create, update and delete is reflected in the final state.

`final` is the task table as a linearizable read of the healed cluster returned it (id -> task).
- an ok create: its id is still there, unless a delete of it was acknowledged or may have
  happened (unknown);
- an ok update that returned version v: the task is still there at version >= v (or was, possibly,
  deleted), and if it is at exactly v, it holds the title and status the update returned;
- an ok delete: the id is gone.
Guarantee: each lost write is one Violation naming the operation.
"""

from __future__ import annotations

from typing import Any

from .history import OK, UNKNOWN, History
from .violations import Violation

NAME = "lost-write"


def check(history: History, final: dict[int, dict[str, Any]]) -> list[Violation]:
    ops = history.completed()
    maybe_deleted = {op.key for op in ops if op.f == "delete" and op.type in (OK, UNKNOWN)}
    out: list[Violation] = []
    for op in ops:
        if op.type != OK or op.process == "final":
            continue
        if op.f == "create":
            key = int(op.value["id"])
            if key not in final and key not in maybe_deleted:
                out.append(Violation(NAME, key, f"acknowledged create (op {op.index}, title "
                                     f"{op.value['title']!r}) is missing", (op.index,)))
        elif op.f == "update":
            key = int(op.key)
            now = final.get(key)
            if now is None:
                if key not in maybe_deleted:
                    out.append(Violation(NAME, key, f"task of acknowledged update (op {op.index}) "
                                         "is missing and was never deleted", (op.index,)))
                continue
            want = op.value
            if now["version"] < want["version"]:
                out.append(Violation(NAME, key, f"acknowledged update (op {op.index}) made version "
                                     f"{want['version']}; the final task is at {now['version']}",
                                     (op.index,)))
            elif now["version"] == want["version"] and (now["title"], now["status"]) != (
                    want["title"], want["status"]):
                out.append(Violation(NAME, key, f"final task at version {now['version']} holds "
                                     f"{now['title']!r}/{now['status']}, not what acknowledged "
                                     f"update (op {op.index}) wrote", (op.index,)))
        elif op.f == "delete" and int(op.key) in final:
            out.append(Violation(NAME, int(op.key), f"acknowledged delete (op {op.index}) undone: "
                                 "the task is back", (op.index,)))
    return out
