"""What the cluster page knows about the cluster: one sample per refresh, and the last minutes
of samples in a rolling window.

A sample asks every node, in parallel and with short timeouts, for its /metrics (its own term,
role, commit and applied index, MySQL state, request histograms) and its GET /v1/cluster view;
the leader's view adds match index and reachability of every member. With a demo supervisor
it also holds the processes' state. Guarantees:
- `sample()` never raises: a node that does not answer within ~1 s is a NodeView with
  `answered=False`, a supervisor that does not answer sets `supervisor_error`.
- Nodes are found from the configured addresses and from the members the cluster reports, so
  a node added later appears on its own.
- `Window` keeps `WINDOW_SECONDS` of samples; `log_positions()` and `throughput()` derive the
  charts from it. Write throughput and latency are the task writes every node answered (a
  follower answers those its clients send it, relaying the command to the leader), from the
  deltas of the nodes' taskraft_http_request_duration_seconds histograms between two samples.
"""

from __future__ import annotations

import math
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Iterable

from taskraft_client import Client, ClusterStatus, HistogramTotals, NodeMetrics, TaskraftError
from taskraft_client.transport import normalize_node

from .supervisor import SupervisedNode, Supervisor, SupervisorError

WINDOW_SECONDS = 300
ROLES = {0.0: "follower", 1.0: "candidate", 2.0: "leader"}
WRITE_METHODS = frozenset({"POST", "PATCH", "DELETE"})


def _is_task_write(labels: Any) -> bool:
    return labels.get("method") in WRITE_METHODS and labels.get("route", "").startswith(
        "/v1/tasks")


@dataclass(frozen=True)
class NodeView:
    url: str
    id: int | None
    answered: bool
    role: str | None = None
    term: int | None = None
    leader_id: int | None = None
    commit: int | None = None
    applied: int | None = None
    mysql_up: bool | None = None
    writes: HistogramTotals | None = None
    status: ClusterStatus | None = None


@dataclass(frozen=True)
class Sample:
    at: float
    nodes: dict[int, NodeView]
    unidentified: tuple[str, ...] = ()
    supervised: dict[int, SupervisedNode] | None = None
    supervisor_error: str | None = None

    @property
    def leader(self) -> NodeView | None:
        """The answering node that calls itself leader in the highest term."""
        leaders = [n for n in self.nodes.values() if n.answered and n.role == "leader"]
        return max(leaders, key=lambda n: n.term or 0, default=None)

    @property
    def term(self) -> int:
        return max((n.term or 0 for n in self.nodes.values()), default=0)

    @property
    def commit(self) -> int:
        return max((n.commit or 0 for n in self.nodes.values()), default=0)

    @property
    def status(self) -> ClusterStatus | None:
        """GET /v1/cluster as the leader sees it (else as any answering node does)."""
        leader = self.leader
        if leader is not None and leader.status is not None:
            return leader.status
        return next((n.status for n in self.nodes.values() if n.status is not None), None)

    @property
    def members(self) -> dict[int, bool]:
        """Member id -> voter, as the status says (empty when no node answered)."""
        status = self.status
        return {n.id: n.voter for n in status.nodes} if status else {}


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


class Watcher:
    """Samples one cluster for one browser session (kept in its session state)."""

    def __init__(self, client: Client, nodes: Iterable[str], supervisor_url: str | None = None):
        self._client = client
        self._urls: list[str] = [normalize_node(n) for n in nodes]
        self._pinned: dict[str, Client] = {}
        self._ids: dict[str, int] = {}
        self._pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="cluster-watch")
        self.supervisor = Supervisor(supervisor_url, timeout=2.0) if supervisor_url else None
        self.window = Window()

    def close(self) -> None:
        self._pool.shutdown(wait=False)
        for pinned in self._pinned.values():
            pinned.close()
        if self.supervisor:
            self.supervisor.close()

    def _pin(self, url: str) -> Client:
        if url not in self._pinned:
            self._pinned[url] = self._client.pinned(url, deadline=1.2, request_timeout=1.0,
                                                    connect_timeout=0.5)
        return self._pinned[url]

    def _view(self, url: str) -> NodeView:
        pinned = self._pin(url)
        try:
            metrics = pinned.metrics()
        except (TaskraftError, ValueError):
            return NodeView(url=url, id=self._ids.get(url), answered=False)
        try:
            status: ClusterStatus | None = pinned.cluster_status()
        except TaskraftError:
            status = None
        node_id = metrics.node_id or self._ids.get(url)
        if node_id is not None:
            self._ids[url] = node_id
        return self._from_metrics(url, node_id, metrics, status)

    @staticmethod
    def _from_metrics(url: str, node_id: int | None, m: NodeMetrics,
                      status: ClusterStatus | None) -> NodeView:
        role = m.value("taskraft_raft_role")
        leader = _int(m.value("taskraft_raft_leader_id"))
        store = m.value("taskraft_store_up")
        return NodeView(
            url=url, id=node_id, answered=True,
            role=ROLES.get(role, "unknown") if role is not None else None,
            term=_int(m.value("taskraft_raft_term")), leader_id=leader or None,
            commit=_int(m.value("taskraft_raft_commit_index")),
            applied=_int(m.value("taskraft_raft_applied_index")),
            mysql_up=None if store is None else store >= 1,
            writes=m.histogram("taskraft_http_request_duration_seconds", _is_task_write),
            status=status)

    def _learn_members(self) -> None:
        last = self.window.last
        status = last.status if last else None
        for member in status.nodes if status else ():
            if member.http_addr:
                url = normalize_node(member.http_addr)
                if url not in self._urls:
                    self._urls.append(url)

    def sample(self) -> Sample:
        self._learn_members()
        supervised_future = self._pool.submit(self._supervised) if self.supervisor else None
        views = list(self._pool.map(self._view, self._urls))
        nodes = {v.id: v for v in views if v.id is not None}
        unidentified = tuple(v.url for v in views if v.id is None)
        supervised, problem = supervised_future.result() if supervised_future else (None, None)
        return Sample(time.time(), nodes, unidentified, supervised, problem)

    def _supervised(self) -> tuple[dict[int, SupervisedNode] | None, str | None]:
        assert self.supervisor is not None
        try:
            return self.supervisor.nodes(), None
        except SupervisorError as exc:
            return None, str(exc)


@dataclass
class Window:
    """The samples of the last WINDOW_SECONDS, oldest first."""

    samples: deque[Sample] = field(default_factory=deque)

    @property
    def last(self) -> Sample | None:
        return self.samples[-1] if self.samples else None

    def add(self, sample: Sample) -> None:
        self.samples.append(sample)
        while self.samples and self.samples[0].at < sample.at - WINDOW_SECONDS:
            self.samples.popleft()

    def log_positions(self) -> list[dict[str, Any]]:
        """Rows (time, node, position, index) for the chart of commit and applied indexes."""
        rows = []
        for s in self.samples:
            for node_id, view in sorted(s.nodes.items()):
                for position, value in (("commit", view.commit), ("applied", view.applied)):
                    if value is not None:
                        rows.append({"time": s.at, "node": f"node {node_id}",
                                     "position": position, "index": value})
        return rows

    def throughput(self) -> list[dict[str, Any]]:
        """Rows (time, writes_per_s, mean_ms, p95_ms) per pair of samples: the task writes all
        nodes answered in between (each answers those its clients sent it), over the nodes that
        reported writes both times; latency is None when no write happened in between. A node
        whose counters went back (it restarted) counts for nothing in that interval."""
        rows = []
        for before, after in zip(self.samples, list(self.samples)[1:]):
            dt = after.at - before.at
            deltas = [d for node_id, view in after.nodes.items()
                      if (d := _delta(before.nodes.get(node_id), view)) is not None]
            if dt <= 0 or not deltas:
                continue
            count = sum(d.count for d in deltas)
            mean = p95 = None
            if count > 0:
                mean = 1000 * sum(d.sum for d in deltas) / count
                p95 = _quantile_ms(deltas, 0.95)
            rows.append({"time": after.at, "writes_per_s": count / dt, "mean_ms": mean,
                         "p95_ms": p95})
        return rows


def _delta(before: NodeView | None, after: NodeView) -> HistogramTotals | None:
    """What a node's write histogram gained between two samples (None when unknown)."""
    if before is None or before.writes is None or after.writes is None:
        return None
    if after.writes.count < before.writes.count:
        return None
    return HistogramTotals(after.writes.count - before.writes.count,
                           after.writes.sum - before.writes.sum,
                           {bound: n - before.writes.buckets.get(bound, 0.0)
                            for bound, n in after.writes.buckets.items()})


def _quantile_ms(deltas: list[HistogramTotals], q: float) -> float | None:
    """The upper bound (ms) of the bucket holding quantile `q` of the writes in `deltas`."""
    total = sum(d.count for d in deltas)
    if total <= 0:
        return None
    bounds = sorted({b for d in deltas for b in d.buckets})
    finite = [b for b in bounds if not math.isinf(b)]
    for bound in bounds:
        if sum(d.buckets.get(bound, 0.0) for d in deltas) >= q * total:
            return 1000 * (bound if not math.isinf(bound) else max(finite, default=0.0))
    return None
