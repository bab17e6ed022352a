"""One verification run: start a cluster, load it, inject the seed's faults, heal, check.

`run_once(config, mariadbs, network)`:
  1. starts a fresh n-node cluster (harness `Cluster`, own databases) in `<out>/seed-<seed>/`;
  2. runs the workload for `seconds` while the nemesis executes the seed's plan;
  3. heals everything, lets the workload run a quiet period without faults, stops it;
  4. waits until every node is ready, reads every task through a linearizable list (recorded in
     the history as process "final", with each known id missing from it a read of "absent");
  5. checks: linearizability per task, lost writes, exactly-once (creations counted in node 1's
     task_history), convergence (digests of every node's MySQL);
  6. writes history.jsonl, nemesis.json (plan and executed events) and result.json; when a checker
     found something, also a timeline-<task>.txt per failing task, and keeps each node's log and
     data; when not, deletes the node data (history and logs stay).
Guarantees: the cluster is closed (nodes killed, databases dropped) whatever happens; a harness
failure (the cluster would not start or recover) is reported as a violation of checker
"harness", never as a pass.
"""

from __future__ import annotations

import json
import shutil
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Sequence

from harness import Cluster, MariaDB, Network, taskraftd_path

from . import convergence, exactly_once, lost_writes, task_register
from .history import OK, History
from .nemesis import FAULTS, Nemesis, plan
from .timeline import render
from .violations import Violation
from .workload import Workload, task_dict


@dataclass
class RunConfig:
    seed: int
    seconds: float = 30.0
    nodes: int = 3
    clients: int = 10
    quiet: float = 5.0
    ip_base: int = 150
    out: Path = Path("/tmp/taskraft-verify")
    faults: tuple[str, ...] = FAULTS
    binary: Path | None = None     # default: a copy of the harness's taskraftd, see keep_binary


@dataclass
class RunResult:
    seed: int
    counts: dict[str, int]
    faults: int
    violations: list[Violation]
    undecided: int
    run_dir: Path
    seconds: float
    notes: list[str] = field(default_factory=list)


def keep_binary(dest: Path) -> Path:
    """A private copy of the taskraftd under test (TASKRAFTD or build/taskraftd), so a rebuild
    of that file during the runs cannot make a restart fail or change the binary mid-run."""
    source = taskraftd_path()
    dest.mkdir(parents=True, exist_ok=True)
    copy = dest / "taskraftd"
    for attempt in range(30):
        try:
            shutil.copy2(source, copy)
            return copy
        except OSError:
            if attempt == 29:
                raise
            time.sleep(2)
    raise AssertionError("unreachable")


def _final_read(cluster: Cluster, history: History) -> dict[int, dict[str, Any]]:
    with cluster.client(deadline=60.0) as client:
        op = history.invoke("final", "list", node="failover")
        tasks = [task_dict(t) for t in client.iter_tasks(page_size=500)]
        history.complete(op, OK, value=tasks)
        final = {t["id"]: t for t in tasks}
        known = {o.key for o in history.completed() if o.key is not None}
        known |= {o.value["id"] for o in history.completed() if o.f == "create" and o.type == OK}
        for key in sorted(known - final.keys()):
            miss = history.invoke("final", "read", key, node="failover")
            miss.invoke_ns = op.invoke_ns
            history.complete(miss, OK, value=None)
            miss.complete_ns = op.complete_ns
    return final


def _created_titles(cluster: Cluster) -> dict[str, int]:
    node = cluster.node(1)
    rows = node.mysql.query(
        "SELECT JSON_UNQUOTE(JSON_EXTRACT(CAST(changes AS CHAR), '$.title.to')), COUNT(*) "
        f"FROM `{node.database}`.task_history WHERE op = 'create' GROUP BY 1")
    return {row[0]: int(row[1]) for row in rows}


def run_once(config: RunConfig, mariadbs: Sequence[MariaDB], network: Network) -> RunResult:
    run_dir = config.out / f"seed-{config.seed}"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    started = time.monotonic()
    history = History()
    violations: list[Violation] = []
    notes: list[str] = []
    undecided = 0
    steps = plan(config.seed, config.seconds, config.faults, config.nodes)
    cluster = Cluster(run_dir / "cluster", mariadbs, config.nodes, ip_base=config.ip_base,
                      binary=config.binary or keep_binary(run_dir))
    nemesis = Nemesis(cluster, network, steps)
    try:
        cluster.start(timeout=90)
        workload = Workload(cluster, history, config.seed, config.clients).start()
        try:
            nemesis.start()
            time.sleep(config.seconds)
        finally:
            nemesis.stop()
            time.sleep(config.quiet)
            workload.stop()
        notes += nemesis.errors
        violations += [Violation("harness", None, f"client thread died: {e}")
                       for e in workload.errors]
        for node in cluster.nodes.values():
            node.wait_ready(90)
        final = _final_read(cluster, history)
        for r in task_register.check(history):
            if r.result.ok is False:
                violations.append(Violation("linearizable", r.key, f"no linearization of its "
                                            f"{len(r.entries)} operations (longest prefix "
                                            f"{len(r.result.order)})",
                                            tuple(e.op.index for e in r.entries)))
                processes = {o.index: o.process for o in history.ops}
                (run_dir / f"timeline-{r.key}.txt").write_text(render(
                    r.key, r.entries, r.result.order, r.result.state, processes, nemesis.events))
            elif r.result.ok is None:
                undecided += 1
        violations += lost_writes.check(history, final)
        violations += exactly_once.check(history, _created_titles(cluster))
        violations += convergence.check(convergence.wait_digests(list(cluster.nodes.values())))
    except Exception as exc:  # noqa: BLE001 - a run that cannot finish is a failed run
        violations.append(Violation("harness", None, f"{type(exc).__name__}: {exc}"[:2000]))
        (run_dir / "harness-error.txt").write_text(traceback.format_exc() + "\n" + cluster.describe())
    finally:
        nemesis.heal_all()
        cluster.close()
    history.to_jsonl(run_dir / "history.jsonl")
    (run_dir / "nemesis.json").write_text(json.dumps(
        {"plan": nemesis.schedule(), "events": nemesis.events}, indent=1))
    result = RunResult(config.seed, history.counts(), sum(
        1 for e in nemesis.events if e["fault"] in FAULTS), violations, undecided, run_dir,
        round(time.monotonic() - started, 1), notes)
    (run_dir / "result.json").write_text(json.dumps(
        {**{k: v for k, v in asdict(result).items() if k not in ("violations", "run_dir")},
         "violations": [str(v) for v in violations], "config": {
             k: str(v) if isinstance(v, Path) else v for k, v in asdict(config).items()}},
        indent=1))
    if not violations:
        for node in cluster.nodes.values():
            shutil.rmtree(node.data_dir.parent, ignore_errors=True)
    return result
