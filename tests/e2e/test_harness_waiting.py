"""Self-tests of the harness's waiting and binary lookup (no server needed)."""

from __future__ import annotations

import time

import pytest

from harness import HarnessError, WaitTimeout, require_taskraftd, wait_until


def test_wait_until_returns_the_first_truthy_value():
    calls = iter([None, 0, ValueError("not yet"), "done"])

    def probe():
        value = next(calls)
        if isinstance(value, Exception):
            raise value
        return value

    assert wait_until(probe, timeout=5, interval=0.01, what="probe") == "done"


def test_wait_until_times_out_naming_what_it_waited_for():
    started = time.monotonic()
    with pytest.raises(WaitTimeout) as info:
        wait_until(lambda: False, timeout=0.3, interval=0.05, what="the moon",
                   diagnostics=lambda: "node logs here")
    assert 0.3 <= time.monotonic() - started < 2
    assert "the moon" in str(info.value) and "node logs here" in str(info.value)


def test_harness_errors_stop_the_wait_at_once():
    def probe():
        raise HarnessError("process died")

    started = time.monotonic()
    with pytest.raises(HarnessError, match="process died"):
        wait_until(probe, timeout=10, what="never")
    assert time.monotonic() - started < 1


def test_missing_taskraftd_is_reported_with_its_path(monkeypatch, tmp_path):
    monkeypatch.setenv("TASKRAFTD", str(tmp_path / "nope" / "taskraftd"))
    with pytest.raises(HarnessError, match=r"taskraftd binary not found at .*nope/taskraftd"):
        require_taskraftd()
