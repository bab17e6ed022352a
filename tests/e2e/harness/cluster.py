"""`Cluster`: n taskraftd nodes on 127.0.0.(ip_base+i), each with its own MariaDB server.

It writes the cluster secret and the admin password into its work directory, starts the nodes
with `--initial-cluster`, and answers the questions tests ask: who leads (as every node it asks
agrees, via GET /v1/cluster), which nodes follow, what each node holds (stale reads of its own
database), and whether they converged. Every wait has a deadline and, when it fails, the error
carries each node's view and log tail. `close()` kills what runs and drops the databases.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any, Iterable, Sequence

import httpx

from taskraft_client import Client, ClusterStatus, TaskraftError

from .mariadb import MariaDB
from .node import Node
from .waiting import wait_until

ADMIN = "admin"


class Cluster:
    def __init__(self, workdir: Path, mariadbs: Sequence[MariaDB], n: int = 3, *,
                 ip_base: int = 10, binary: Path | None = None):
        if not 1 <= n <= len(mariadbs):
            raise ValueError(f"{n} nodes need as many MariaDB servers (have {len(mariadbs)})")
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.mariadbs = list(mariadbs)
        self.ip_base = ip_base
        self.binary = binary
        self.tag = secrets.token_hex(3)
        self.secret_file = self._write_private("cluster.secret", secrets.token_hex(32))
        self.admin_password = secrets.token_urlsafe(18)
        self.admin_password_file = self._write_private("admin.pw", self.admin_password)
        self.nodes: dict[int, Node] = {}
        for node_id in range(1, n + 1):
            self.add_node(node_id)
        self._admin: Client | None = None
        self._pinned: dict[int, Client] = {}

    def _write_private(self, name: str, content: str) -> Path:
        path = self.workdir / name
        path.write_text(content + "\n")
        path.chmod(0o600)
        return path

    def add_node(self, node_id: int) -> Node:
        """The Node for slot `node_id` (created on first use; not started)."""
        if node_id not in self.nodes:
            self.nodes[node_id] = Node(
                node_id, f"127.0.0.{self.ip_base + node_id}", workdir=self.workdir,
                mysql=self.mariadbs[node_id - 1], database=f"taskraft_{self.tag}_n{node_id}",
                secret_file=self.secret_file, admin_password_file=self.admin_password_file,
                binary=self.binary)
        return self.nodes[node_id]

    def node(self, node_id: int) -> Node:
        return self.nodes[node_id]

    @property
    def ips(self) -> list[str]:
        return [n.ip for n in self.nodes.values()]

    @property
    def initial_cluster(self) -> str:
        return ",".join(f"{n.id}={n.peer_addr}" for n in self.nodes.values())

    def live(self) -> list[Node]:
        """Nodes whose process runs and is not paused."""
        return [n for n in self.nodes.values() if n.is_running and not n.paused]

    # -- life cycle -------------------------------------------------------------------------

    def start(self, timeout: float = 60.0) -> Node:
        """Starts every node for the first time; returns the leader once all are ready."""
        for node in self.nodes.values():
            node.mysql.start()
        for node in self.nodes.values():
            node.start(initial_cluster=self.initial_cluster)
        for node in self.nodes.values():
            node.wait_healthy(timeout)
        leader = self.wait_for_leader(timeout=timeout)
        for node in self.nodes.values():
            node.wait_ready(timeout)
        return leader

    def close(self) -> None:
        """Kills every node, closes clients, drops the nodes' databases (restarting a MariaDB
        a test left stopped). Logs stay in the work directory."""
        for node in self.nodes.values():
            if node.is_running:
                if node.paused:
                    node.resume()
                node.kill()
        for client in [*self._pinned.values(), *([self._admin] if self._admin else [])]:
            client.close()
        self._pinned.clear()
        self._admin = None
        for node in self.nodes.values():
            node.mysql.start()
            node.mysql.drop_database(node.database)

    # -- clients ----------------------------------------------------------------------------

    def client(self, nodes: Iterable[Node] | None = None, **options: Any) -> Client:
        """A new admin client failing over between `nodes` (default: every node). The caller
        closes it."""
        urls = [n.url for n in (nodes if nodes is not None else self.nodes.values())]
        return Client(urls, ADMIN, self.admin_password, **options)

    def admin(self) -> Client:
        """The cluster's shared admin client over every node (closed by close())."""
        if self._admin is None:
            self._admin = self.client()
        return self._admin

    def pinned(self, node: Node, request_timeout: float = 3.0) -> Client:
        """An admin client that asks `node` only, once per call; logs in through `node` itself
        when no shared login exists yet."""
        if node.id not in self._pinned:
            if self._admin is not None:
                client = self._admin.pinned(node.url, request_timeout=request_timeout)
            else:
                client = Client([node.url], ADMIN, self.admin_password, failover=False,
                                request_timeout=request_timeout)
            self._pinned[node.id] = client
        return self._pinned[node.id]

    # -- views ------------------------------------------------------------------------------

    def status_from(self, node: Node) -> ClusterStatus | None:
        """GET /v1/cluster as `node` answers it, or None when it does not answer."""
        try:
            return self.pinned(node).cluster_status()
        except (TaskraftError, httpx.HTTPError):
            return None

    def wait_for_leader(self, timeout: float = 30.0, among: Iterable[Node] | None = None,
                        not_id: int | None = None) -> Node:
        """The leader once every node of `among` (default: the live ones) names the same leader,
        that leader is among them and calls itself leader; `not_id` excludes a former leader."""
        asked = list(among) if among is not None else self.live()

        def agreed() -> Node | None:
            statuses = [self.status_from(n) for n in asked]
            if any(s is None for s in statuses):
                return None
            named = {s.leader_id for s in statuses if s is not None}
            if len(named) != 1:
                return None
            leader_id = named.pop()
            if leader_id is None or leader_id == not_id:
                return None
            leader = self.nodes.get(leader_id)
            if leader not in asked:
                return None
            own = statuses[asked.index(leader)]
            me = own.node(leader_id) if own else None
            return leader if me is not None and me.role == "leader" else None

        return wait_until(agreed, timeout=timeout, interval=0.2, diagnostics=self.describe,
                          what=f"one leader agreed on by nodes {[n.id for n in asked]}"
                               + (f" other than {not_id}" if not_id else ""))

    def leader(self, timeout: float = 15.0) -> Node:
        return self.wait_for_leader(timeout=timeout)

    def followers(self, timeout: float = 15.0) -> list[Node]:
        leader = self.leader(timeout)
        return [n for n in self.live() if n is not leader]

    def tasks_on(self, node: Node) -> dict[int, dict[str, Any]]:
        """Every task in `node`'s own database (consistency=stale), by id, as raw JSON."""
        return {t.id: t.raw for t in self.pinned(node).iter_tasks(consistency="stale",
                                                                  page_size=500)}

    def wait_converged(self, nodes: Iterable[Node] | None = None, must_include: Iterable[int] = (),
                       timeout: float = 60.0) -> dict[int, dict[str, Any]]:
        """Waits until every node of `nodes` (default: the live ones) holds the very same tasks,
        including the ids in `must_include`; returns that common content."""
        asked = list(nodes) if nodes is not None else self.live()
        required = set(must_include)
        seen: dict[int, str] = {}

        def converged() -> dict[int, dict[str, Any]] | None:
            contents = {n.id: self.tasks_on(n) for n in asked}
            for node_id, tasks in contents.items():
                missing = required - tasks.keys()
                seen[node_id] = f"{len(tasks)} tasks, {len(missing)} required missing"
            first = next(iter(contents.values()))
            if all(c == first for c in contents.values()) and required <= first.keys():
                return first
            return None

        return wait_until(converged, timeout=timeout, interval=0.5,
                          what=f"nodes {[n.id for n in asked]} to converge",
                          diagnostics=lambda: f"per node: {seen}\n{self.describe()}")

    def describe(self) -> str:
        """Each node's state, its view of the cluster, and its log tail (for failures)."""
        parts = []
        for node in self.nodes.values():
            status = self.status_from(node) if node.is_running and not node.paused else None
            view = (f"leader={status.leader_id} term={status.term} commit={status.commit_index}"
                    if status else "no answer")
            parts.append(f"node {node.id} {node!r}: {view}\n{node.log_tail()}")
        return "\n".join(parts)
