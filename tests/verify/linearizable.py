"""Linearizability of one object's history: a Wing-Gong search with Lowe's memoization.

Input: entries, each an operation with its invocation time, its completion time (None when the
outcome is unknown: the operation may take effect at any moment after its invocation, or never)
and whether it must be linearized (`required`: every operation with a definite outcome; unknown
ones may be left out). The sequential model is any object with `init` (a hashable state) and
`step(state, op) -> (legal, next_state)`.

The search extends a linearized prefix one operation at a time. An operation may come next only
if it was invoked no later than the earliest completion among the operations not yet linearized
(otherwise that operation finished before this one began and must precede it). Every visited
(linearized set, state) pair is remembered, so no configuration is explored twice (Lowe, "Testing
for linearizability", 2017). The history is linearizable iff some prefix covers every required
entry.

Guarantees: `check` returns ok=True with a witness order, ok=False with the longest prefix it
could build (for the timeline), or ok=None when `max_states` configurations were explored
without an answer (reported, never counted as a pass).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Hashable, Protocol, Sequence


class Model(Protocol):
    init: Hashable

    def step(self, state: Hashable, op: Any) -> tuple[bool, Hashable]: ...


@dataclass(frozen=True)
class Entry:
    invoke: int
    complete: int | None     # None: open-ended (unknown outcome)
    op: Any
    required: bool = True


@dataclass
class Result:
    ok: bool | None
    explored: int
    order: list[int] = field(default_factory=list)   # witness, or the longest prefix found
    state: Hashable = None                            # the model state after `order`


def check(entries: Sequence[Entry], model: Model, max_states: int = 500_000) -> Result:
    n = len(entries)
    required_mask = 0
    for i, e in enumerate(entries):
        if e.required:
            required_mask |= 1 << i
    by_invoke = sorted(range(n), key=lambda i: entries[i].invoke)
    seen: set[tuple[int, Hashable]] = {(0, model.init)}
    stack: list[tuple[int, Hashable, tuple[int, ...]]] = [(0, model.init, ())]
    best: tuple[tuple[int, ...], Hashable] = ((), model.init)
    explored = 0
    while stack:
        mask, state, order = stack.pop()
        explored += 1
        if mask & required_mask == required_mask:
            return Result(True, explored, list(order), state)
        if len(order) > len(best[0]):
            best = (order, state)
        if explored >= max_states:
            return Result(None, explored, list(best[0]), best[1])
        horizon = min((entries[i].complete for i in range(n)
                       if not mask >> i & 1 and entries[i].complete is not None), default=None)
        for i in by_invoke:
            e = entries[i]
            if horizon is not None and e.invoke > horizon:
                break
            if mask >> i & 1:
                continue
            legal, nxt = model.step(state, e.op)
            if not legal:
                continue
            key = (mask | 1 << i, nxt)
            if key in seen:
                continue
            seen.add(key)
            stack.append((key[0], nxt, order + (i,)))
    return Result(False, explored, list(best[0]), best[1])
