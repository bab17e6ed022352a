"""The figures of one bench/suite.py run: the table it prints, the JSON file and the PNG plot.

A `Result` is one `taskraft bench` run: its series (cluster create, MariaDB autocommit, ...),
client count, command and the figures the CLI wrote with --json (kept whole). From a list of
them this module renders:
- `table()`: one row per run (throughput, p50/p99/p99.9, errors, and the InnoDB flushing meanwhile
  where the run recorded it) and, for cluster create in a closed loop, its throughput over the
  MariaDB autocommit and batched figures at the same client count (blank where that baseline did
  not run);
- `document()`: everything as one JSON-ready dict (runs, ratios, settings, micro benchmarks);
- `plot()`: throughput (x) against p99 latency (y), one line per series, points labelled by
  client count, drawn with matplotlib's Agg backend (no display needed).
It only renders: what it is given, never a verdict.
"""

from __future__ import annotations

import os
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

AUTOCOMMIT = "MariaDB autocommit"
BATCHED = "MariaDB batched x16"
CREATE = "cluster create"
CREATE_LEADER = "cluster create, to the leader"  # clients that send their writes to the leader
GET = "cluster get (linearizable)"
GET_STALE = "cluster get-stale"
OPEN_LOOP = "cluster create, open loop"
OPEN_LOOP_LEADER = "cluster create to the leader, open loop"
PROFILED = "cluster create, under perf"  # the profiled run: perf's cost is in its figures

CLOSED_LOOP_CREATES = (CREATE, CREATE_LEADER)  # the series compared with MariaDB
OPEN_LOOPS = (OPEN_LOOP, OPEN_LOOP_LEADER)
PLOTTED = (*CLOSED_LOOP_CREATES, AUTOCOMMIT, BATCHED)  # one line each; open loops: single points
FLUSHING = "mariadb_flushing"  # a Result's extras key: innodb_flushing.describe() of the run


@dataclass
class Result:
    series: str
    clients: int
    command: list[str]
    figures: dict[str, Any]  # the CLI's --json output
    note: str = ""           # e.g. "at 950/s"
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.series} {self.note}" if self.note else self.series

    @property
    def per_second(self) -> float:
        return float(self.figures["total"]["per_second"])

    @property
    def errors(self) -> int:
        return int(self.figures["total"]["errors"])

    def latency_ms(self, key: str) -> float:
        """`key` is one of the CLI's latency fields: mean, p50, p90, p99, p99_9, max."""
        return float(self.figures["total"]["latency_ms"][key])


def _find(results: list[Result], series: str, clients: int) -> Result | None:
    return next((r for r in results if r.series == series and r.clients == clients), None)


def ratios(results: list[Result]) -> list[dict[str, Any]]:
    """Cluster create throughput (each closed-loop series) over each baseline's at the same
    client count."""
    out = []
    for r in results:
        if r.series not in CLOSED_LOOP_CREATES:
            continue
        row: dict[str, Any] = {"series": r.series, "clients": r.clients,
                               "cluster_per_second": r.per_second}
        for key, series in (("autocommit", AUTOCOMMIT), ("batched", BATCHED)):
            base = _find(results, series, r.clients)
            row[f"{key}_per_second"] = base.per_second if base else None
            row[f"vs_{key}"] = r.per_second / base.per_second if base and base.per_second else None
        out.append(row)
    return out


def table(results: list[Result]) -> str:
    """With InnoDB flushing recorded for any run (`extras["mariadb_flushing"]`, see
    innodb_flushing.py), two more columns show it; runs recorded without it leave them blank."""
    by_run = {(row["series"], row["clients"]): row for row in ratios(results)}
    flushing = any(FLUSHING in r.extras for r in results)
    head = (f"{'WORKLOAD':<52} {'CLIENTS':>7} {'PER SECOND':>11} {'P50 ms':>8} {'P99 ms':>8} "
            f"{'P99.9 ms':>9} {'ERRORS':>7} "
            + (f"{'FLUSHED/s':>9} {'REDO':>5} " if flushing else "")
            + f"{'vs AUTOCOMMIT':>13} {'vs BATCHED':>10}")
    lines = [head]
    for r in results:
        row = by_run.get((r.series, r.clients), {})
        ratio = ["" if row.get(k) is None else f"{row[k]:.2f}" for k in ("vs_autocommit",
                                                                         "vs_batched")]
        flushed = ""
        if flushing:
            f = r.extras.get(FLUSHING)
            flushed = (f"{f['pages_flushed_per_s']:>9,.0f} {f['redo_full']:>5.0%} " if f
                       else f"{'':>9} {'':>5} ")
        lines.append(f"{r.label:<52} {r.clients:>7} {r.per_second:>11,.0f} "
                     f"{r.latency_ms('p50'):>8.2f} {r.latency_ms('p99'):>8.2f} "
                     f"{r.latency_ms('p99_9'):>9.2f} {r.errors:>7} {flushed}{ratio[0]:>13} "
                     f"{ratio[1]:>10}".rstrip())
    lines += ["MariaDB batched x16: rows per second, latency per 16-row transaction.",
              "vs: cluster create throughput over MariaDB's at the same client count.",
              "cluster create: clients spread over the nodes, followers forward writes to the "
              "leader; to the leader: clients send their writes to the leader."]
    if flushing:
        lines.append("FLUSHED/s: pages InnoDB wrote back per second, per MariaDB server the run "
                     "wrote to; REDO: how full the fullest one's redo log was at the end (InnoDB "
                     "flushes hard from about 88 %).")
    return "\n".join(lines)


def document(results: list[Result], *, options: dict[str, Any], settings: dict[str, Any],
             micro: dict[str, str], profiles: dict[str, Any]) -> dict[str, Any]:
    return {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cores": len(os.sched_getaffinity(0)), "kernel": platform.release(),
                    "python": platform.python_version()},
        "options": options,
        "settings": settings,
        "runs": [{"series": r.series, "clients": r.clients, "note": r.note, "command": r.command,
                  **r.extras, "figures": r.figures} for r in results],
        "ratios": ratios(results),
        "micro_benchmarks": micro,
        "profiles": profiles,
    }


def plot(results: list[Result], path: Path) -> None:
    fig, ax = plt.subplots(figsize=(9, 6.5))
    for series in PLOTTED:
        points = sorted((r for r in results if r.series == series), key=lambda r: r.clients)
        if not points:
            continue
        xs = [r.per_second for r in points]
        ys = [r.latency_ms("p99") for r in points]
        ax.plot(xs, ys, marker="o", label=series)
        for r, x, y in zip(points, xs, ys):
            ax.annotate(str(r.clients), (x, y), textcoords="offset points", xytext=(5, 5),
                        fontsize=8)
    for r in results:
        if r.series in OPEN_LOOPS:
            ax.plot([r.per_second], [r.latency_ms("p99")], marker="*", markersize=12,
                    linestyle="none", label=f"{r.label} ({r.clients} clients)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.set_xlabel("throughput per second (tasks; batched: rows)")
    ax.set_ylabel("p99 latency, ms")
    ax.set_title("taskraft bench: 3-node cluster vs one MariaDB (labels: clients)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
