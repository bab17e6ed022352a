"""`DemoCluster`: the taskraftd nodes and MySQL servers of one demo, and the faults put on them.

It builds harness `Node`s (tests/e2e/harness) on the demo's layout and drives them the way the
end-to-end tests do. `act(id, action)` is what the supervisor exposes:

    kill         SIGKILL the node's process            start        start it again, same flags
    pause        SIGSTOP                               resume       SIGCONT
    isolate      iptables DROP between this node's IP and every other node IP, both ways
    heal         remove this node's isolation (other isolated nodes stay isolated)
    mysql-stop   clean shutdown of the node's own MariaDB   mysql-start   start it again

Guarantees:
- One action at a time (a lock); an action that does not fit the node's state (kill of a
  stopped node, mysql-stop of a shared TASKRAFT_MYSQL server, ...) raises `Conflict` and changes
  nothing; an unknown node or action raises `NotFound`.
- Partitions live in the iptables chain TASKRAFT-DEMO only (harness `Network`), emptied of
  any leftover when the nodes start; the rules in force are always exactly those for the
  isolated set.
- `--initial-cluster` is given only when no node has a data directory yet (a first start);
  later starts rejoin from the data directories, so a second demo keeps its tasks.
- `close()` refuses further actions, heals every partition and removes the chain, resumes paused
  nodes, stops every node with SIGTERM (SIGKILL past a deadline) and stops the private MariaDB
  servers. It is safe to call more than once.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Union

import httpx

from harness import HarnessError, Network, Node, iptables_usable, start_all, wait_until

from .errors import Conflict, DemoError, NotFound
from .layout import Layout
from .mysql import PrivateMySQL, SharedMySQL

MySQL = Union[PrivateMySQL, SharedMySQL]
CHAIN = "TASKRAFT-DEMO"


class DemoCluster:
    def __init__(self, layout: Layout, mysqls: dict[int, MySQL], binary: Path, *,
                 chain: str = CHAIN):
        self.layout = layout
        self.mysqls = mysqls
        self.secret_file = layout.credential("cluster.secret")
        self.admin_password_file = layout.credential("admin.pw")
        self.nodes = {
            i: Node(i, layout.node_ip(i), workdir=layout.directory, mysql=mysqls[i],  # type: ignore[arg-type]
                    database=layout.database(i), secret_file=self.secret_file,
                    admin_password_file=self.admin_password_file, binary=binary,
                    peer_port=layout.peer_port, http_port=layout.http_port)
            for i in layout.node_ids()}
        self.isolated: set[int] = set()
        self._chain = chain
        self._network: Network | None = None
        self._lock = threading.Lock()
        self._closed = False
        self._actions: dict[str, Callable[[Node], None]] = {
            "kill": self._kill, "start": self._start, "pause": self._pause,
            "resume": self._resume, "isolate": self._isolate, "heal": self._heal,
            "mysql-stop": self._mysql_stop, "mysql-start": self._mysql_start}

    @property
    def admin_password(self) -> str:
        return self.admin_password_file.read_text().strip()

    @property
    def private_mysqls(self) -> list[PrivateMySQL]:
        return [m for m in self.mysqls.values() if isinstance(m, PrivateMySQL)]

    # -- life cycle -------------------------------------------------------------------------

    def first_start(self) -> bool:
        """True when no node has been initialised yet; DemoError when only some have."""
        fresh = [i for i, n in self.nodes.items() if not n.data_dir.is_dir()
                 or not any(n.data_dir.iterdir())]
        if fresh and len(fresh) != len(self.nodes):
            raise DemoError(f"node(s) {fresh} have no data under {self.layout.directory} while "
                            f"the others have: remove {self.layout.directory} to start a new "
                            f"demo cluster")
        return bool(fresh)

    def start_mysql(self) -> None:
        """Starts every private MariaDB (installing it on first use); a shared server is
        only checked to answer."""
        start_all(self.private_mysqls)
        for mysql in self.mysqls.values():
            if isinstance(mysql, SharedMySQL) and not mysql.running():
                raise DemoError(f"TASKRAFT_MYSQL server {mysql.host}:{mysql.port} does not "
                                f"accept connections")

    def start_nodes(self) -> None:
        """Starts every node; first removes the partitions a demo killed with SIGKILL may have
        left in the chain (they would cut the new nodes off from each other)."""
        if iptables_usable() is None:
            self._network = Network(self._chain).open()
        initial = (",".join(f"{n.id}={n.peer_addr}" for n in self.nodes.values())
                   if self.first_start() else None)
        for node in self.nodes.values():
            node.start(initial_cluster=initial)

    def wait_ready(self, timeout: float) -> None:
        """Returns once every node answers GET /readyz with 200 (it has a leader and has
        applied what is committed) and accepts the admin login (a first start creates the
        admin user through the log, which can commit after the first /readyz); HarnessError
        with the log tail if a node exits, WaitTimeout past `timeout`."""
        login = {"username": "admin", "password": self.admin_password}
        for node in self.nodes.values():
            node.wait_ready(timeout)
            wait_until(lambda: httpx.post(f"{node.url}/v1/auth/login", json=login,
                                          timeout=2).status_code == 200,
                       timeout=timeout, what=f"node {node.id} to accept the admin login",
                       diagnostics=node.log_tail)

    def close(self) -> list[str]:
        """Stops everything (see the module comment); returns what went wrong, if anything."""
        with self._lock:
            self._closed = True
            problems: list[str] = []
            if self._network is not None:
                self._guard(problems, self._network.close)
                self.isolated.clear()
            for node in self.nodes.values():
                if node.is_running and node.paused:
                    self._guard(problems, node.resume)
            with ThreadPoolExecutor(len(self.nodes)) as pool:
                for node in self.nodes.values():
                    pool.submit(self._guard, problems, node.stop)
            with ThreadPoolExecutor(max(1, len(self.private_mysqls))) as pool:
                for mysql in self.private_mysqls:
                    pool.submit(self._guard, problems, mysql.stop)
            return problems

    @staticmethod
    def _guard(problems: list[str], step: Callable[[], object]) -> None:
        try:
            step()
        except (HarnessError, OSError) as exc:
            problems.append(str(exc))

    # -- the supervisor's view and actions --------------------------------------------------

    def node(self, node_id: int) -> Node:
        if node_id not in self.nodes:
            raise NotFound(f"no node {node_id}: the nodes are {sorted(self.nodes)}")
        return self.nodes[node_id]

    def view(self, node_id: int) -> dict[str, Any]:
        node = self.node(node_id)
        running = node.is_running
        return {"id": node.id, "http_addr": node.http_addr, "peer_addr": node.peer_addr,
                "running": running, "paused": running and node.paused,
                "isolated": node.id in self.isolated,
                "mysql_running": self.mysqls[node.id].running()}

    def views(self) -> list[dict[str, Any]]:
        return [self.view(i) for i in self.nodes]

    def act(self, node_id: int, action: str) -> dict[str, Any]:
        node = self.node(node_id)
        if action not in self._actions:
            raise NotFound(f"no action {action!r}: the actions are {sorted(self._actions)}")
        with self._lock:
            if self._closed:
                raise Conflict("the demo is stopping")
            try:
                self._actions[action](node)
            except HarnessError as exc:
                raise Conflict(str(exc)) from exc
        return self.view(node_id)

    def _kill(self, node: Node) -> None:
        self._require(node.is_running, f"node {node.id} is not running")
        node.kill()

    def _start(self, node: Node) -> None:
        self._require(not node.is_running, f"node {node.id} is already running")
        node.restart()

    def _pause(self, node: Node) -> None:
        self._require(node.is_running, f"node {node.id} is not running")
        self._require(not node.paused, f"node {node.id} is already paused")
        node.pause()

    def _resume(self, node: Node) -> None:
        self._require(node.is_running and node.paused, f"node {node.id} is not paused")
        node.resume()

    def _isolate(self, node: Node) -> None:
        self._require(node.id not in self.isolated, f"node {node.id} is already isolated")
        self._partition(self.isolated | {node.id})

    def _heal(self, node: Node) -> None:
        self._require(node.id in self.isolated, f"node {node.id} is not isolated")
        self._partition(self.isolated - {node.id})

    def _mysql_stop(self, node: Node) -> None:
        mysql = self.mysqls[node.id]
        self._require(mysql.shared or mysql.running(), f"node {node.id}'s MySQL is not running")
        mysql.stop()

    def _mysql_start(self, node: Node) -> None:
        mysql = self.mysqls[node.id]
        self._require(mysql.shared or not mysql.running(), f"node {node.id}'s MySQL is running")
        mysql.start()

    def _partition(self, isolated: set[int]) -> None:
        """Makes the iptables rules exactly those that cut each node of `isolated` off from
        every other node."""
        if self._network is None:
            reason = iptables_usable()
            self._require(reason is None, f"cannot isolate nodes: {reason}")
            self._network = Network(self._chain).open()
        self._network.heal()
        ips = [n.ip for n in self.nodes.values()]
        for node_id in sorted(isolated):
            self._network.isolate(self.nodes[node_id].ip, ips)
        self.isolated = set(isolated)

    @staticmethod
    def _require(condition: bool, message: str) -> None:
        if not condition:
            raise Conflict(message)
