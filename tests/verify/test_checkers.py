"""The lost-write, exactly-once and convergence checkers on hand-made inputs: passing states
pass, and each kind of wrong state is reported."""

from __future__ import annotations

from .convergence import Digest, check as converged
from .exactly_once import check as once
from .history import OK, UNKNOWN
from .lost_writes import check as lost
from .test_task_register import H, task

SUMS = (("tasks", "1"), ("task_tags", "2"))


def base() -> H:
    h = H()
    h.op("a", "create", 0, 10, OK, key=None, value=task(1, 1, "c1"), title="c1")
    h.op("a", "create", 0, 10, OK, key=None, value=task(2, 1, "c2"), title="c2")
    h.op("b", "update", 20, 30, OK, key=1, value=task(1, 2, "u1"), title="u1")
    return h


def test_lost_writes_pass_when_everything_is_there() -> None:
    assert lost(base().history, {1: task(1, 2, "u1"), 2: task(2, 1, "c2")}) == []
    assert lost(base().history, {1: task(1, 5, "later"), 2: task(2, 1, "c2")}) == []


def test_lost_create_update_and_undone_delete_are_reported() -> None:
    assert [v.key for v in lost(base().history, {1: task(1, 2, "u1")})] == [2]
    assert [v.key for v in lost(base().history, {1: task(1, 1, "c1"), 2: task(2, 1, "c2")})] == [1]
    assert [v.key for v in lost(base().history, {1: task(1, 2, "other"), 2: task(2, 1, "c2")})] == [1]
    h = base().op("c", "delete", 40, 50, OK, key=2)
    assert [v.key for v in lost(h.history, {1: task(1, 2, "u1"), 2: task(2, 1, "c2")})] == [2]


def test_a_possible_delete_excuses_a_missing_task() -> None:
    h = base().op("c", "delete", 40, 50, UNKNOWN, key=2)
    assert lost(h.history, {1: task(1, 2, "u1")}) == []


def test_exactly_once() -> None:
    h = base()
    assert once(h.history, {"c1": 1, "c2": 1}) == []
    assert [v.checker for v in once(h.history, {"c1": 2, "c2": 1})] == ["exactly-once"]
    assert len(once(h.history, {"c1": 1, "c2": 1, "ghost": 1})) == 1


def test_convergence() -> None:
    same = Digest(10, SUMS)
    assert converged({1: same, 2: same, 3: same}) == []
    behind = converged({1: same, 2: same, 3: Digest(9, SUMS)})
    assert len(behind) == 1 and "node 3" in behind[0].detail
    differs = converged({1: same, 2: Digest(10, (("tasks", "9"), ("task_tags", "2"))), 3: same})
    assert len(differs) == 1 and "tasks" in differs[0].detail
    assert len(converged({1: same, 2: None, 3: same})) == 1
