"""bench/suite_table.py renders what a real `make bench` run measured: the figures of the run
kept in docs/bench/2026-12-03 (bench.json) go in, and the ratios, the printed table, the JSON
document and the PNG plot come out as the README and the note quote them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import suite_table  # noqa: E402
from suite_table import Result  # noqa: E402

RUN = ROOT / "docs" / "bench" / "2026-12-03"


def results() -> list[Result]:
    runs = json.loads((RUN / "bench.json").read_text())["runs"]
    return [Result(r["series"], r["clients"], r["command"], r["figures"], r["note"]) for r in runs]


def test_ratios_divide_each_cluster_create_series_by_mariadb_at_the_same_client_count():
    by_run = {(row["series"], row["clients"]): row for row in suite_table.ratios(results())}
    assert sorted({c for _, c in by_run}) == [1, 16, 64, 256]
    spread = by_run[(suite_table.CREATE, 64)]
    assert round(spread["cluster_per_second"]) == 2725
    assert round(spread["autocommit_per_second"]) == 4257
    assert round(spread["vs_autocommit"], 2) == 0.64
    assert round(by_run[(suite_table.CREATE_LEADER, 64)]["vs_autocommit"], 2) == 0.85
    assert round(by_run[(suite_table.CREATE_LEADER, 256)]["vs_autocommit"], 2) == 1.44


def test_the_table_shows_ratios_on_closed_loop_creates_only():
    lines = suite_table.table(results()).splitlines()

    def row(prefix: str) -> str:
        return next(line for line in lines if line.startswith(prefix) and " 64 " in line)

    assert row("cluster create   ").split()[-2:] == ["0.64", "0.24"]
    assert row("cluster create, to the leader ").split()[-2:] == ["0.85", "0.32"]
    for prefix in ("cluster create, under perf", "cluster create, open loop",
                   "cluster create to the leader, open loop", "cluster get"):
        assert not row(prefix).endswith(("0.64", "0.24", "0.85", "0.32")), prefix
    assert lines == (RUN / "table.txt").read_text().splitlines()


def test_the_plot_is_a_png(tmp_path):
    out = tmp_path / "bench.png"
    suite_table.plot(results(), out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 10_000


def test_runs_recorded_with_innodb_flushing_show_it_before_the_ratios():
    runs = results()
    for r in runs:
        if r.clients == 64 and r.series in (suite_table.CREATE, suite_table.AUTOCOMMIT):
            r.extras[suite_table.FLUSHING] = {"pages_flushed_per_s": 1234.4, "redo_full": 0.876}
    lines = suite_table.table(runs).splitlines()
    assert lines[0].split()[-7:] == ["ERRORS", "FLUSHED/s", "REDO", "vs", "AUTOCOMMIT", "vs",
                                     "BATCHED"]
    spread = next(line for line in lines if line.startswith("cluster create   ") and " 64 " in line)
    assert spread.split()[-4:] == ["1,234", "88%", "0.64", "0.24"]
    leader = next(line for line in lines
                  if line.startswith("cluster create, to the leader ") and " 64 " in line)
    assert leader.split()[-3:] == ["0", "0.85", "0.32"]  # errors, then blank flushing columns
    assert lines[-1].startswith("FLUSHED/s: pages InnoDB wrote back per second")
