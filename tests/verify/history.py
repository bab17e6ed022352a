"""The history of a run: every operation a logical process performed, as Jepsen records it.

An operation is invoked (its `invoke_ns` taken from time.monotonic_ns() just before the first
request is sent) and then completes as exactly one of:
- "ok":      the server answered with a success; `value` holds what it returned;
- "fail":    the server answered definitely (404, 412, ...); `error` holds the status and, for a
             412, `value` the current task the server sent back;
- "unknown": no definite answer (timeout, lost connection, 503 after the deadline): the operation
             may or may not have taken effect; `complete_ns` is when the client gave up, and the
             checkers treat its end as open.
Guarantees: operations get consecutive indexes in invocation order; the history is safe to
append to from many threads; `to_jsonl` writes one invoke line and one completion line per
operation, in time order, and `from_jsonl` reads that back into the same operations.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

OK, FAIL, UNKNOWN = "ok", "fail", "unknown"


@dataclass
class Op:
    index: int
    process: str
    f: str                       # create | read | update | delete | list
    key: int | None              # task id (None for create and list)
    args: dict[str, Any] = field(default_factory=dict)
    invoke_ns: int = 0
    type: str | None = None      # ok | fail | unknown; None while in flight
    complete_ns: int | None = None
    value: Any = None
    error: str | None = None
    node: str | None = None      # the node(s) the request was sent to


class History:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.ops: list[Op] = []

    def invoke(self, process: str, f: str, key: int | None = None, node: str | None = None,
               **args: Any) -> Op:
        with self._lock:
            op = Op(len(self.ops), process, f, key, dict(args), time.monotonic_ns(), node=node)
            self.ops.append(op)
            return op

    @staticmethod
    def complete(op: Op, type_: str, value: Any = None, error: str | None = None) -> Op:
        assert type_ in (OK, FAIL, UNKNOWN) and op.type is None, (type_, op)
        op.complete_ns = time.monotonic_ns()
        op.value, op.error, op.type = value, error, type_
        return op

    def completed(self) -> list[Op]:
        with self._lock:
            return [op for op in self.ops if op.type is not None]

    def counts(self) -> dict[str, int]:
        out = {OK: 0, FAIL: 0, UNKNOWN: 0}
        for op in self.completed():
            out[op.type] += 1  # type: ignore[index]
        return out

    def to_jsonl(self, path: Path) -> None:
        events: list[tuple[int, int, dict[str, Any]]] = []
        for op in self.completed():
            d = asdict(op)
            invoke = {k: d[k] for k in ("index", "process", "f", "key", "args", "node")}
            events.append((op.invoke_ns, 0, {"event": "invoke", "time_ns": op.invoke_ns, **invoke}))
            done = {k: d[k] for k in ("index", "process", "f", "key", "value", "error")}
            events.append((op.complete_ns or 0, 1,
                           {"event": op.type, "time_ns": op.complete_ns, **done}))
        events.sort(key=lambda e: (e[0], e[1]))
        with open(path, "w") as out:
            for _, _, e in events:
                out.write(json.dumps(e) + "\n")

    @classmethod
    def from_jsonl(cls, lines: Iterable[str]) -> History:
        h = cls()
        by_index: dict[int, Op] = {}
        for line in lines:
            e = json.loads(line)
            if e["event"] == "invoke":
                by_index[e["index"]] = Op(e["index"], e["process"], e["f"], e["key"], e["args"],
                                          e["time_ns"], node=e.get("node"))
            else:
                op = by_index[e["index"]]
                op.type, op.complete_ns = e["event"], e["time_ns"]
                op.value, op.error, op.key = e["value"], e["error"], e["key"]
        h.ops = [by_index[i] for i in sorted(by_index)]
        return h
