"""Self-tests of `Node` and `Cluster` process control, run against fake_taskraftd.py (a stand-in
that takes taskraftd's documented flags and serves the probes). Nodes on 127.0.0.21-23, MariaDB
on ports 23193-23195."""

from __future__ import annotations

import os
import signal
import stat
import time
from pathlib import Path
from typing import Iterator

import pytest

from harness import Cluster, HarnessError, MariaDB, Node, procs, start_all

FAKE = Path(__file__).with_name("fake_taskraftd.py")


@pytest.fixture(scope="module")
def mariadbs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[MariaDB]]:
    root = tmp_path_factory.mktemp("selftest-mysql")
    servers = [MariaDB(root / f"m{i}", 23193 + i) for i in range(3)]
    start_all(servers)
    yield servers
    for server in servers:
        server.stop()


@pytest.fixture
def cluster(tmp_path: Path, mariadbs: list[MariaDB]) -> Iterator[Cluster]:
    c = Cluster(tmp_path, mariadbs, 3, ip_base=20, binary=FAKE)
    yield c
    c.close()


def test_node_life_cycle(cluster: Cluster):
    node = cluster.node(1)
    node.start(initial_cluster=cluster.initial_cluster)
    node.wait_healthy(10)
    node.wait_ready(10)
    assert node.database in node.mysql.databases(), "the node got the DSN of its database"
    assert (node.data_dir / "identity").read_text() == "1\n"

    node.pause()
    assert node.probe("/healthz", timeout=0.5) is None, "a stopped process answers nothing"
    node.resume()
    node.wait_healthy(10)

    assert node.stop() == 0
    assert node.probe("/healthz") is None
    node.restart()
    node.wait_healthy(10)
    assert node.kill() == -signal.SIGKILL
    assert not node.is_running

    node.wipe()
    assert not node.data_dir.exists()
    assert node.database not in node.mysql.databases()

    log = node.log_path.read_text()
    assert log.count("==== harness: start at") == 2
    assert "--initial-cluster 1=127.0.0.21:7000,2=127.0.0.22:7000,3=127.0.0.23:7000" in log
    assert "fake_taskraftd 1: serving on 127.0.0.21:8000" in log


def test_sigterm_reaches_a_paused_node(cluster: Cluster):
    node = cluster.node(2)
    node.start(initial_cluster=cluster.initial_cluster)
    node.wait_healthy(10)
    node.pause()
    assert node.stop(timeout=10) == 0


def test_a_node_that_exits_fails_the_wait_at_once_with_its_log(cluster: Cluster, tmp_path: Path):
    node = Node(3, "127.0.0.23", workdir=tmp_path / "bad", mysql=MariaDB(tmp_path / "none", 23199),
                database="taskraft_x", secret_file=cluster.secret_file,
                admin_password_file=cluster.admin_password_file, binary=FAKE)
    node.start(initial_cluster=cluster.initial_cluster)
    started = time.monotonic()
    with pytest.raises(HarnessError) as info:
        node.wait_healthy(30)
    assert time.monotonic() - started < 10
    assert "exited with code 2" in str(info.value)
    assert "cannot reach MySQL at mysql://root@127.0.0.1:23199/taskraft_x" in str(info.value)


def test_cluster_writes_private_files_and_finds_the_leader(cluster: Cluster):
    assert stat.S_IMODE(os.stat(cluster.secret_file).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(cluster.admin_password_file).st_mode) == 0o600
    assert cluster.admin_password_file.read_text().strip() == cluster.admin_password
    leader = cluster.start(timeout=30)
    assert leader is cluster.node(1)
    assert [n.id for n in cluster.followers()] == [2, 3]
    assert "node 2" in cluster.describe() and "log tail" in cluster.describe()


def test_close_kills_every_node_and_drops_the_databases(cluster: Cluster):
    cluster.start(timeout=30)
    cluster.node(3).pause()
    pids = [n.pid for n in cluster.nodes.values()]
    cluster.close()
    assert not any(procs.alive(pid) for pid in pids if pid)
    assert not any(n.database in n.mysql.databases() for n in cluster.nodes.values())


def test_close_restarts_a_mariadb_a_test_left_stopped(cluster: Cluster):
    cluster.start(timeout=30)
    cluster.node(2).mysql.stop()
    cluster.close()
    assert cluster.node(2).mysql.is_running()
