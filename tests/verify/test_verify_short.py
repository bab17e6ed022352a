"""The short verification for `make test` (marker `cluster`): three fault schedules of 20 s on
a 3-node cluster, each checked by every checker (linearizability, lost writes, exactly-once,
convergence). A failure names the violations, the run directory and the replay command."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import Network, iptables_usable

from .run import RunConfig, run_once

SCHEDULES = {
    "crashes": (("kill", "kill-leader", "kill-all"), 7101),
    "partitions": (("partition-leader", "partition-random", "bridge", "one-way-leader"), 7102),
    "pauses-mysql-membership": (("pause", "pause-leader", "mysql-kill", "transfer-leader",
                                 "replace-member"), 7113),
}


@pytest.fixture(scope="module")
def verify_network(ip_base: int):  # type: ignore[no-untyped-def]
    reason = iptables_usable()
    if reason:
        pytest.fail(f"cannot inject partitions: {reason}", pytrace=False)
    net = Network(f"TASKRAFT-VERIFY-{ip_base}").open()
    yield net
    net.close()


@pytest.mark.cluster
@pytest.mark.timeout(150)
@pytest.mark.parametrize("name", list(SCHEDULES))
def test_no_violations_under_faults(name: str, mariadb_pool, verify_network,  # type: ignore[no-untyped-def]
                                    ip_base: int, tmp_path: Path) -> None:
    faults, seed = SCHEDULES[name]
    config = RunConfig(seed=seed, seconds=20, nodes=3, clients=10, quiet=4,
                       ip_base=ip_base, out=tmp_path, faults=faults)
    r = run_once(config, mariadb_pool.servers(), verify_network)
    print(f"{name}: seed {seed}: {r.counts} ops, {r.faults} faults, {len(r.violations)} violations")
    assert r.faults >= 2, f"the nemesis injected only {r.faults} faults: {r.run_dir}"
    assert r.counts["ok"] > 100, f"the workload made too little progress: {r.counts}"
    assert not r.violations, (
        f"{len(r.violations)} violations (run directory {r.run_dir}):\n"
        + "\n".join(str(v) for v in r.violations[:20])
        + f"\nreplay: .venv/bin/python -m tests.verify --runs 1 --seconds 20 --nodes 3 "
          f"--seed {seed} --faults {','.join(faults)}")
