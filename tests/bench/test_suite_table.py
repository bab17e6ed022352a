"""bench/suite_table.py renders what a real `make bench` run measured: the figures of the run
kept in docs/bench/2026-12-02 (bench.json) go in, and the ratios, the printed table, the JSON
document and the PNG plot come out as the README and the note quote them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import suite_table  # noqa: E402
from suite_table import Result  # noqa: E402

RUN = ROOT / "docs" / "bench" / "2026-12-02"


def results() -> list[Result]:
    runs = json.loads((RUN / "bench.json").read_text())["runs"]
    return [Result(r["series"], r["clients"], r["command"], r["figures"], r["note"]) for r in runs]


def test_ratios_divide_cluster_creates_by_mariadb_at_the_same_client_count():
    by_clients = {row["clients"]: row for row in suite_table.ratios(results())}
    assert sorted(by_clients) == [1, 16, 64, 256]
    row = by_clients[64]
    assert round(row["cluster_per_second"]) == 3717
    assert round(row["autocommit_per_second"]) == 6594
    assert round(row["vs_autocommit"], 2) == 0.56
    assert round(by_clients[256]["vs_autocommit"], 2) == 1.19


def test_the_table_shows_ratios_on_closed_loop_creates_only():
    lines = suite_table.table(results()).splitlines()
    create_64 = next(line for line in lines if line.startswith("cluster create ") and " 64 " in line
                     and "open loop" not in line and "perf" not in line)
    assert create_64.split()[-2:] == ["0.56", "0.27"]
    profiled = next(line for line in lines if line.startswith("cluster create, under perf"))
    assert not profiled.endswith(("0.56", "0.27"))  # perf's run is shown apart, without ratios
    assert lines == (RUN / "table.txt").read_text().splitlines()


def test_the_plot_is_a_png(tmp_path):
    out = tmp_path / "bench.png"
    suite_table.plot(results(), out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 10_000
