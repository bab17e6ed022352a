"""`private_cluster`: a started n-node `Cluster` whose nodes each have a MariaDB server of their
own, for programs that run one cluster from start to end (bench/failover_timing.py,
bench/suite.py).

Node i listens on 127.0.0.(ip_base+i) and its MariaDB on port `mysql_port(ip_base, i)` =
23100+ip_base+i (the convention of the tests and the demo: below 32768). Guarantees: the `with`
block gets the cluster once every node is ready and one leader is agreed on; on leaving it, also
on an error or Ctrl-C, every node is killed, its database dropped and every server stopped (the
servers' directories stay under `workdir`, like the nodes' logs).
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .cluster import Cluster
from .mariadb import MariaDB, start_all


def mysql_port(ip_base: int, slot: int) -> int:
    """The private MariaDB port of node slot `slot` when nodes are on 127.0.0.(ip_base+slot)."""
    return 23100 + ip_base + slot


@contextmanager
def private_cluster(workdir: Path, *, n: int = 3, ip_base: int,
                    binary: Path | None = None) -> Iterator[Cluster]:
    workdir = Path(workdir)
    servers = [MariaDB(workdir / f"mysql-n{i}", mysql_port(ip_base, i)) for i in range(1, n + 1)]
    cluster: Cluster | None = None
    try:
        start_all(servers)
        cluster = Cluster(workdir / "cluster", servers, n, ip_base=ip_base, binary=binary)
        cluster.start()
        yield cluster
    finally:
        try:
            if cluster is not None:
                cluster.close()
        finally:
            for server in servers:
                server.stop()
