"""The per-task linearizability checker on small hand-made histories: ones known to be
linearizable must pass, ones known not to be must be caught (stale read, lost write, two CAS
winners, double apply, read after delete, a 412 that should have matched)."""

from __future__ import annotations

from typing import Any

from . import task_register
from .history import FAIL, OK, UNKNOWN, History, Op


def task(id_: int, version: int, title: str, status: str = "todo") -> dict[str, Any]:
    return {"id": id_, "version": version, "title": title, "status": status}


class H:
    """Builds a history: op(process, f, start, end, type, key=, value=, error=, **args)."""

    def __init__(self) -> None:
        self.history = History()

    def op(self, process: str, f: str, start: int, end: int | None, type_: str, key: int | None = 1,
           value: Any = None, error: str | None = None, **args: Any) -> "H":
        self.history.ops.append(Op(len(self.history.ops), process, f, key, args, start, type_,
                                   end if end is not None else start + 10**9, value, error))
        return self

    def results(self) -> dict[int, bool | None]:
        return {r.key: r.result.ok for r in task_register.check(self.history)}


def created(h: H) -> H:
    return h.op("a", "create", 0, 10, OK, key=None, value=task(1, 1, "c"), title="c", status="todo")


def test_sequential_history_is_linearizable() -> None:
    h = created(H())
    h.op("a", "read", 20, 30, OK, value=task(1, 1, "c"))
    h.op("a", "update", 40, 50, OK, value=task(1, 2, "u1"), title="u1")
    h.op("b", "read", 60, 70, OK, value=task(1, 2, "u1"))
    h.op("b", "update", 80, 90, OK, value=task(1, 3, "u1", "done"), status="done", if_match=2)
    h.op("a", "delete", 100, 110, OK)
    h.op("b", "read", 120, 130, OK, value=None)
    assert h.results() == {1: True}


def test_stale_read_after_acknowledged_update_is_caught() -> None:
    h = created(H())
    h.op("a", "update", 20, 30, OK, value=task(1, 2, "u1"), title="u1")
    h.op("b", "read", 40, 50, OK, value=task(1, 1, "c"))
    assert h.results() == {1: False}


def test_read_concurrent_with_update_may_see_either_value() -> None:
    for seen in (task(1, 1, "c"), task(1, 2, "u1")):
        h = created(H())
        h.op("a", "update", 20, 60, OK, value=task(1, 2, "u1"), title="u1")
        h.op("b", "read", 30, 40, OK, value=seen)
        assert h.results() == {1: True}


def test_reads_cannot_go_back_in_time() -> None:
    h = created(H())
    h.op("a", "update", 20, 100, OK, value=task(1, 2, "u1"), title="u1")
    h.op("b", "read", 30, 40, OK, value=task(1, 2, "u1"))
    h.op("c", "read", 50, 60, OK, value=task(1, 1, "c"))
    assert h.results() == {1: False}


def test_unknown_update_may_take_effect_late_or_never() -> None:
    h = created(H())
    h.op("a", "update", 20, None, UNKNOWN, title="u1")
    h.op("b", "read", 30, 40, OK, value=task(1, 1, "c"))
    h.op("b", "read", 500, 510, OK, value=task(1, 2, "u1"))
    assert h.results() == {1: True}
    h = created(H())
    h.op("a", "update", 20, None, UNKNOWN, title="u1")
    h.op("b", "read", 500, 510, OK, value=task(1, 1, "c"))
    assert h.results() == {1: True}


def test_unknown_update_cannot_explain_a_value_nobody_wrote() -> None:
    h = created(H())
    h.op("a", "update", 20, None, UNKNOWN, title="u1")
    h.op("b", "read", 500, 510, OK, value=task(1, 2, "u2"))
    assert h.results() == {1: False}


def test_lost_acknowledged_write_is_caught() -> None:
    h = created(H())
    h.op("a", "update", 20, 30, OK, value=task(1, 2, "u1"), title="u1")
    h.op("final", "read", 1000, 1010, OK, value=task(1, 1, "c"))
    assert h.results() == {1: False}


def test_two_concurrent_if_match_winners_are_caught() -> None:
    h = created(H())
    h.op("a", "update", 20, 50, OK, value=task(1, 2, "ua"), title="ua", if_match=1)
    h.op("b", "update", 25, 55, OK, value=task(1, 2, "ub"), title="ub", if_match=1)
    assert h.results() == {1: False}
    h = created(H())
    h.op("a", "update", 20, 50, OK, value=task(1, 2, "ua"), title="ua", if_match=1)
    h.op("b", "update", 25, 55, FAIL, error="412", value=task(1, 2, "ua"), title="ub", if_match=1)
    assert h.results() == {1: True}


def test_412_while_the_version_matched_is_caught() -> None:
    h = created(H())
    h.op("b", "update", 25, 55, FAIL, error="412", value=task(1, 1, "c"), title="ub", if_match=1)
    assert h.results() == {1: False}


def test_applied_twice_is_caught() -> None:
    h = created(H())
    h.op("a", "update", 20, 30, OK, value=task(1, 2, "u1"), title="u1")
    h.op("b", "read", 40, 50, OK, value=task(1, 3, "u1"))
    assert h.results() == {1: False}


def test_no_op_update_keeps_the_version() -> None:
    h = created(H())
    h.op("a", "update", 20, 30, OK, value=task(1, 1, "c"), status="todo")
    assert h.results() == {1: True}


def test_read_after_delete_is_caught_but_concurrent_one_is_not() -> None:
    h = created(H())
    h.op("a", "delete", 20, 30, OK)
    h.op("b", "read", 40, 50, OK, value=task(1, 1, "c"))
    assert h.results() == {1: False}
    h = created(H())
    h.op("a", "delete", 20, 60, OK)
    h.op("b", "read", 30, 40, OK, value=task(1, 1, "c"))
    h.op("c", "update", 35, 45, FAIL, error="404", title="x")
    assert h.results() == {1: True}


def test_keys_are_checked_apart_and_unknown_creates_found_by_title() -> None:
    h = created(H())
    h.op("b", "create", 0, None, UNKNOWN, key=None, title="c2", status="todo")
    h.op("c", "list", 100, 110, OK, key=None, value=[task(2, 1, "c2"), task(1, 1, "c")])
    h.op("c", "read", 120, 130, OK, key=2, value=task(2, 2, "zzz"))
    assert h.results() == {1: True, 2: False}


def test_task_without_its_create_is_undecided_not_a_violation() -> None:
    h = H().op("b", "read", 20, 30, OK, key=7, value=task(7, 3, "x"))
    assert h.results() == {7: None}


def test_history_round_trips_through_jsonl(tmp_path) -> None:  # type: ignore[no-untyped-def]
    h = created(H())
    h.op("b", "read", 20, 30, OK, value=task(1, 1, "c"))
    path = tmp_path / "h.jsonl"
    h.history.to_jsonl(path)
    back = History.from_jsonl(path.read_text().splitlines())
    assert [vars(o) for o in back.ops] == [vars(o) for o in h.history.ops]
