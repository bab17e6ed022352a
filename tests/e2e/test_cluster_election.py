"""3- and 5-node clusters elect exactly one leader, and every node agrees on it (API.md:
GET /v1/cluster, X-Raft-Node / X-Raft-Leader on every response)."""

from __future__ import annotations

import time

import httpx
import pytest

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(120)]


@pytest.mark.parametrize("n", [3, 5])
def test_cluster_elects_exactly_one_leader(start_cluster, n: int):
    cluster = start_cluster(n)
    leader = cluster.leader()
    statuses = {node.id: cluster.status_from(node) for node in cluster.nodes.values()}
    assert all(statuses.values()), f"every node answers GET /v1/cluster: {statuses}"

    assert {s.leader_id for s in statuses.values()} == {leader.id}
    assert len({s.term for s in statuses.values()}) == 1, "one term everywhere"
    self_declared = [i for i, s in statuses.items() if s.node(i).role == "leader"]
    assert self_declared == [leader.id], "exactly one node calls itself leader"

    view = statuses[leader.id]
    assert sorted(m.id for m in view.nodes) == list(range(1, n + 1))
    assert all(m.voter and m.reachable for m in view.nodes), view.nodes
    assert {s.cluster_id for s in statuses.values()} == {view.cluster_id}

    for node in cluster.nodes.values():
        response = httpx.get(node.url + "/readyz", timeout=3)
        assert response.status_code == 200
        assert response.headers.get("X-Raft-Node") == str(node.id)
        assert response.headers.get("X-Raft-Leader") == str(leader.id)


@pytest.mark.parametrize("n", [3, 5])
def test_a_healthy_cluster_keeps_its_leader(start_cluster, n: int):
    """Watched for a few seconds without faults, no node ever names another leader or term."""
    cluster = start_cluster(n)
    leader = cluster.leader()
    term = cluster.status_from(leader).term
    seen: set[tuple[int | None, int]] = set()
    watch_until = time.monotonic() + 3.0
    while time.monotonic() < watch_until:
        for node in cluster.nodes.values():
            status = cluster.status_from(node)
            assert status is not None, f"node {node.id} stopped answering"
            seen.add((status.leader_id, status.term))
    assert seen == {(leader.id, term)}
