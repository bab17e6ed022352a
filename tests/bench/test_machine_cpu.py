"""bench/machine_cpu.py: the share of processor time a benchmark run kept the machine busy, as
the suite prints and records it for every run."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import machine_cpu  # noqa: E402

#            user  nice system  idle  iowait irq softirq steal guest guest_nice
BEFORE = "cpu  1000  10   400    5000  100    0   50      0     0     0"
AFTER = "cpu  1600  10   700    5300  200    0   90      100   0     0"


def write_stat(tmp_path: Path, cpu_line: str) -> Path:
    stat = tmp_path / "stat"
    stat.write_text(f"{cpu_line}\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 12345\nctxt 999\n")
    return stat


def test_busy_is_the_share_of_time_neither_idle_nor_waiting_for_io(tmp_path):
    before = machine_cpu.sample(write_stat(tmp_path, BEFORE))
    after = machine_cpu.sample(write_stat(tmp_path, AFTER))
    # 600 user + 300 system + 40 softirq + 100 steal busy; 300 idle + 100 iowait not: 1040 / 1440.
    assert machine_cpu.busy(before, after) == pytest.approx(1040 / 1440)


def test_no_time_passed_means_nothing_was_busy(tmp_path):
    same = machine_cpu.sample(write_stat(tmp_path, BEFORE))
    assert machine_cpu.busy(same, same) == 0.0


def test_a_stat_file_without_the_aggregate_line_is_refused(tmp_path):
    stat = tmp_path / "stat"
    stat.write_text("cpu0 1 2 3 4 5 6 7 8\n")
    with pytest.raises(ValueError, match="no aggregate cpu line"):
        machine_cpu.sample(stat)


def test_this_machines_counters_read_and_give_a_share_between_0_and_1():
    before = machine_cpu.sample()
    sum(i * i for i in range(200_000))  # some time passes, partly busy
    after = machine_cpu.sample()
    assert len(before) == 8
    assert 0.0 <= machine_cpu.busy(before, after) <= 1.0
