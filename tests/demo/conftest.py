"""Fixtures of the demo tests: a small demo cluster on its own addresses, torn down fully.

- The demo package (scripts/taskraft_demo) is on sys.path (demo_setup.py puts it there).
- `demo_mysqls` (module): three private MariaDB servers on 127.0.0.1:23271-23273.
- `start_demo(binary)`: a `DemoCluster` of three nodes on 127.0.0.71-73 in the test's temporary
  directory, with fresh databases, its partitions in the chain TASKRAFT-DEMO-TEST (never the
  real demo's TASKRAFT-DEMO), its nodes started and ready. Teardown is `DemoCluster.close()`,
  then a check that it left no process running and no iptables rule behind.
- `api`: an httpx client of a `Supervisor` (on 127.0.0.1, a free port) over the test module's
  `demo` fixture, which each module defines with the binary it runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import httpx
import pytest

from demo_setup import CHAIN, layout_in
from harness import Network, start_all
from taskraft_demo.cluster import DemoCluster
from taskraft_demo.mysql import PrivateMySQL
from taskraft_demo.supervisor import Supervisor


@pytest.fixture(scope="module")
def demo_mysqls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, PrivateMySQL]]:
    layout = layout_in(tmp_path_factory.mktemp("demo-mysql"))
    servers = {i: PrivateMySQL(layout.mysql_dir(i), layout.mysql_port(i))
               for i in layout.node_ids()}
    yield servers
    for server in servers.values():
        server.stop()


@pytest.fixture
def start_demo(demo_mysqls: dict[int, PrivateMySQL],
               tmp_path: Path) -> Iterator[Callable[[Path], DemoCluster]]:
    clusters: list[DemoCluster] = []

    def start(binary: Path) -> DemoCluster:
        layout = layout_in(tmp_path / f"demo{len(clusters) + 1}")
        layout.create()
        cluster = DemoCluster(layout, dict(demo_mysqls), binary, chain=CHAIN)
        clusters.append(cluster)
        start_all(list(demo_mysqls.values()))
        for node_id, server in demo_mysqls.items():
            server.drop_database(layout.database(node_id))
        cluster.start_nodes()
        cluster.wait_ready(60)
        return cluster

    yield start
    for cluster in clusters:
        assert cluster.close() == [], "the demo cluster stopped cleanly"
        assert not [n for n in cluster.nodes.values() if n.is_running], "no node left running"
        assert Network(CHAIN).installed_anywhere() == [], "no iptables rule left behind"


@pytest.fixture
def api(demo: DemoCluster) -> Iterator[httpx.Client]:
    supervisor = Supervisor(demo, "127.0.0.1", 0).start()
    with httpx.Client(base_url=supervisor.url, timeout=60) as client:
        yield client
    supervisor.close()
