"""The timeline of a failing key names every operation, marks the linearized prefix, and
shows nemesis events inside the window."""

from __future__ import annotations

from . import task_register
from .history import OK
from .test_task_register import H, created, task
from .timeline import render


def test_timeline_of_a_stale_read() -> None:
    h = created(H())
    h.op("a", "update", 20, 30, OK, value=task(1, 2, "u1"), title="u1")
    h.op("b", "read", 40, 50, OK, value=task(1, 1, "c"))
    [r] = task_register.check(h.history)
    assert r.result.ok is False
    text = render(1, r.entries, r.result.order, r.result.state,
                  {o.index: o.process for o in h.history.ops},
                  [{"time_ns": 35, "fault": "kill", "nodes": [2]}])
    lines = text.splitlines()
    assert sum("op" in line and "-> ok" in line for line in lines) == 3
    assert sum(line.startswith("#") for line in lines) == 2      # create, update linearized
    assert any("nemesis kill [2]" in line for line in lines)
    assert lines[-1].startswith("state after the prefix")
