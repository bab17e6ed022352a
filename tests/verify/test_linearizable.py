"""The generic search on a plain read/write register: the classic linearizable and
non-linearizable shapes, open-ended unknown writes, memoization (a wide concurrent history
finishes quickly), and the budget (undecided, never a pass)."""

from __future__ import annotations

from .linearizable import Entry, check


class Register:
    init = 0

    def step(self, state, op):  # type: ignore[no-untyped-def]
        kind, value = op
        if kind == "w":
            return True, value
        return state == value, state


def test_write_then_read_of_old_value_is_not_linearizable() -> None:
    entries = [Entry(0, 10, ("w", 1)), Entry(20, 30, ("r", 0))]
    assert check(entries, Register()).ok is False


def test_overlapping_read_may_see_old_or_new() -> None:
    for seen in (0, 1):
        assert check([Entry(0, 30, ("w", 1)), Entry(10, 20, ("r", seen))], Register()).ok is True


def test_witness_order_respects_real_time() -> None:
    entries = [Entry(50, 60, ("r", 2)), Entry(0, 10, ("w", 1)), Entry(20, 30, ("w", 2))]
    result = check(entries, Register())
    assert result.ok is True and result.order == [1, 2, 0]


def test_unknown_write_is_optional_and_open_ended() -> None:
    unknown = Entry(0, None, ("w", 5), required=False)
    assert check([unknown, Entry(100, 110, ("r", 0))], Register()).ok is True
    assert check([unknown, Entry(100, 110, ("r", 5)), Entry(200, 210, ("r", 5))],
                 Register()).ok is True
    assert check([unknown, Entry(100, 110, ("r", 5)), Entry(200, 210, ("r", 0))],
                 Register()).ok is False


def test_wide_concurrency_is_fast_thanks_to_memoization() -> None:
    entries = [Entry(0, 1000, ("w", i)) for i in range(1, 15)]
    entries.append(Entry(2000, 2010, ("r", 99)))
    result = check(entries, Register())
    # without memoization 14! orders; with it at most (2^14 sets) x (15 states) configurations
    assert result.ok is False and result.explored <= 2**14 * 15


def test_budget_exhausted_is_undecided() -> None:
    entries = [Entry(0, 1000, ("w", i)) for i in range(1, 15)] + [Entry(2000, 2010, ("r", 99))]
    assert check(entries, Register(), max_states=50).ok is None
