"""Fixtures shared by the end-to-end tests (tests/e2e) and the UI tests (tests/ui).

They live here, above both folders, so that one pytest session has one `mariadb_pool`.

- `mariadb_pool` (session): private MariaDB servers, started on first use, one per node slot,
  on ports 23201-23205 (node i of the cluster on 127.0.0.(100+i) uses port 23100+100+i), stopped
  at the end of the session. Harness self-tests use ports 23190-23199. `TASKRAFT_E2E_IP_BASE`
  (default 100, clear of make demo's 127.0.0.11-13) moves both the node addresses and the ports
  (base 20: 127.0.0.21.. and 23121..), so two test runs on one machine can use separate slots.
  Every MariaDB port of the tests and the demo lies below 32768, outside Linux's default range
  of ephemeral ports (32768-60999): a client connection elsewhere on the machine can then never
  hold the port a test server is about to bind.
- `start_cluster(n)`: starts an n-node cluster of build/taskraftd (or $TASKRAFTD) in the test's
  temporary directory and returns it; every cluster is closed at teardown. It is called inside
  the test, so a missing binary makes the test FAIL with a clear message (never skip).
- `module_cluster`: one started 3-node cluster for all the tests of a module (tests that leave
  it healthy), closed after the module's last test.
- `network`: an opened `Network` (iptables chain TASKRAFT-E2E), closed at teardown.
- When a test fails, each node's view of the cluster and log tail are added to its report.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable, Iterator

import pytest

from harness import (Cluster, HarnessError, MariaDB, Network, iptables_usable,
                     require_taskraftd, start_all)

NODE_SLOTS = 5
IP_BASE = int(os.environ.get("TASKRAFT_E2E_IP_BASE") or 100)  # clear of make demo (.11-.13)


class MariaDBPool:
    """The session's MariaDB servers for cluster nodes, started on first use."""

    def __init__(self, root: Path):
        self._root = root
        self._lock = threading.Lock()
        self._servers: list[MariaDB] = []

    def servers(self) -> list[MariaDB]:
        with self._lock:
            if not self._servers:
                servers = [MariaDB(self._root / f"mysql-n{i}", 23100 + IP_BASE + i)
                           for i in range(1, NODE_SLOTS + 1)]
                start_all(servers)
                self._servers = servers
            return self._servers

    def stop_all(self) -> None:
        for server in self._servers:
            server.stop()


@pytest.fixture(scope="session")
def ip_base() -> int:
    """The node address slot of this run (`TASKRAFT_E2E_IP_BASE`), for suites that build their
    own clusters from `mariadb_pool` (a test module can not import this conftest reliably: pytest
    loads several modules of that name)."""
    return IP_BASE


@pytest.fixture(scope="session")
def mariadb_pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MariaDBPool]:
    pool = MariaDBPool(tmp_path_factory.mktemp("mariadb"))
    yield pool
    pool.stop_all()


def _launch(pool: MariaDBPool, workdir: Path, n: int) -> Cluster:
    """A started n-node cluster in `workdir`, or the test FAILS saying what is missing."""
    try:
        binary = require_taskraftd()
    except HarnessError as exc:
        missing = str(exc)
    else:
        missing = ""
    if missing:
        pytest.fail(f"cannot run a cluster test: {missing}", pytrace=False)
    return Cluster(workdir, pool.servers(), n, ip_base=IP_BASE, binary=binary)


@pytest.fixture
def start_cluster(mariadb_pool: MariaDBPool, tmp_path: Path,
                  request: pytest.FixtureRequest) -> Iterator[Callable[..., Cluster]]:
    clusters: list[Cluster] = []
    request.node.e2e_clusters = clusters

    def start(n: int = 3) -> Cluster:
        cluster = _launch(mariadb_pool, tmp_path / f"cluster{len(clusters) + 1}", n)
        clusters.append(cluster)
        cluster.start()
        return cluster

    yield start
    for cluster in clusters:
        cluster.close()


@pytest.fixture(scope="module")
def module_cluster(mariadb_pool: MariaDBPool, tmp_path_factory: pytest.TempPathFactory,
                   ) -> Iterator[Cluster]:
    """One 3-node cluster shared by every test of a module: for tests that leave it healthy
    (no node killed or cut off), so a module pays for one cluster start."""
    cluster = _launch(mariadb_pool, tmp_path_factory.mktemp("module-cluster"), 3)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.close()


@pytest.fixture
def network() -> Iterator[Network]:
    reason = iptables_usable()
    if reason:
        pytest.fail(f"cannot inject partitions: {reason}", pytrace=False)
    net = Network().open()
    yield net
    net.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if report.failed and report.when in ("setup", "call"):
        for i, cluster in enumerate(getattr(item, "e2e_clusters", []), 1):
            report.sections.append((f"cluster {i}: nodes and log tails", cluster.describe()))
