"""A text timeline of one task's operations, written into a failing run's directory.

One line per operation on the task, in invocation order: start and end (ms since the task's first
operation; `...` for an open-ended unknown), an ASCII bar of the interval on a common scale, the
process, the operation and its outcome. Operations the checker could linearize are numbered in
the order it placed them; the line after the longest linearizable prefix names the state the
model had reached, where no remaining operation could follow. Nemesis events inside the window
are interleaved, so a reader sees which fault coincided with the anomaly.
Guarantee: pure text from the entries given; nothing is re-checked here.
"""

from __future__ import annotations

from typing import Any, Hashable, Sequence

from .linearizable import Entry

WIDTH = 60


def _describe(op: Any) -> str:
    parts = [op.f]
    for name in ("title", "task_status", "if_match"):
        value = getattr(op, name)
        if value is not None and op.f != "read":
            parts.append(f"{name}={value}")
    parts.append(f"-> {op.outcome}")
    if op.status:
        parts.append(str(op.status))
    if op.value is not None or (op.f == "read" and op.outcome == "ok"):
        parts.append(f"value={op.value}")
    return " ".join(parts)


def render(key: int, entries: Sequence[Entry], order: Sequence[int], state: Hashable,
           processes: dict[int, str], events: Sequence[dict[str, Any]] = ()) -> str:
    if not entries:
        return f"task {key}: no operations\n"
    t0 = min(e.invoke for e in entries)
    t1 = max(max(e.invoke, e.complete or e.invoke) for e in entries)
    span = max(t1 - t0, 1)
    rank = {i: n for n, i in enumerate(order, 1)}

    def col(t: int) -> int:
        return min(WIDTH - 1, (t - t0) * WIDTH // span)

    rows: list[tuple[int, str]] = []
    for i, e in sorted(enumerate(entries), key=lambda p: p[1].invoke):
        a, b = col(e.invoke), col(e.complete) if e.complete is not None else WIDTH - 1
        bar = " " * a + "[" + "=" * max(0, b - a - 1) + ("]" if e.complete is not None else ">")
        end = f"{(e.complete - t0) / 1e6:9.1f}" if e.complete is not None else "      ..."
        mark = f"#{rank[i]:<3}" if i in rank else "    "
        rows.append((e.invoke, f"{mark} {(e.invoke - t0) / 1e6:9.1f} {end}  {bar:<{WIDTH + 1}} "
                               f"{processes.get(e.op.index, '?'):>6} op{e.op.index} "
                               f"{_describe(e.op)}"))
    for ev in events:
        if t0 <= ev["time_ns"] <= t1:
            rows.append((ev["time_ns"], f"     {(ev['time_ns'] - t0) / 1e6:9.1f}            "
                                        f"{'-' * col(ev['time_ns'])}! nemesis {ev['fault']} "
                                        f"{ev['nodes']} {ev.get('note', '')}"))
    rows.sort(key=lambda r: r[0])
    head = (f"task {key}: {len(entries)} operations over {span / 1e6:.1f} ms; #n = position in "
            f"the longest linearizable prefix ({len(order)} ops)\n"
            f"     start(ms)   end(ms)\n")
    tail = f"state after the prefix: {state}; no remaining operation can be linearized next\n"
    return head + "\n".join(r[1] for r in rows) + "\n" + tail
