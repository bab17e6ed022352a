"""Network partitions between node addresses (iptables, harness.Network).

A minority cannot commit: its nodes answer writes and linearizable reads with 503 (or not at
all), never with success or stale data; the majority elects a leader and goes on; after the
partition heals every node converges (DESIGN.md "Failure semantics", API.md 503 rule)."""

from __future__ import annotations

import threading

import pytest

from checks import assert_all_present, create_tasks
from harness import Cluster, Node
from taskraft_client import TaskraftError, Unavailable

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(150)]


def test_a_partitioned_follower_misses_writes_and_converges_after_healing(start_cluster,
                                                                           network):
    cluster = start_cluster(3)
    follower = cluster.followers()[0]
    majority = [n for n in cluster.nodes.values() if n is not follower]

    network.isolate(follower.ip, cluster.ips)
    with cluster.client(nodes=majority) as c:
        written = create_tasks(c, 30, "while-cut-off")
    on_follower = cluster.tasks_on(follower)
    assert not {t.id for t in written} & on_follower.keys(), "the follower cannot have them"
    with pytest.raises(Unavailable):
        cluster.pinned(follower).get_task(written[-1].id)   # never stale data, never 404

    network.heal()
    content = cluster.wait_converged(must_include=[t.id for t in written], timeout=60)
    assert_all_present(content, written, f"node {follower.id} after healing")


class MinorityWriter:
    """Sends writes to one node in a loop until stopped; records every outcome."""

    def __init__(self, cluster: Cluster, node: Node, prefix: str):
        self.client = cluster.pinned(node, request_timeout=10.0)
        self.prefix = prefix
        self.acked: list[str] = []
        self.refused: list[tuple[str, int | None]] = []
        self.other: list[tuple[str, TaskraftError]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MinorityWriter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(30)

    def _run(self) -> None:
        seq = 0
        while not self._stop.is_set() and seq < 500:
            title = f"{self.prefix}-{seq}"
            seq += 1
            try:
                self.client.create_task(title)
            except Unavailable as exc:
                self.refused.append((title, exc.last_status))
                self._stop.wait(0.2)
            except TaskraftError as exc:
                self.other.append((title, exc))
            else:
                self.acked.append(title)


def test_a_partitioned_leader_never_acknowledges_and_the_majority_elects_a_new_one(
        start_cluster, network):
    cluster = start_cluster(3)
    old = cluster.leader()
    majority = [n for n in cluster.nodes.values() if n is not old]

    network.isolate(old.ip, cluster.ips)
    with MinorityWriter(cluster, old, "to-cut-off-leader") as minority:
        new = cluster.wait_for_leader(timeout=30, among=majority, not_id=old.id)
        with cluster.client(nodes=majority) as c:
            written = create_tasks(c, 20, "majority")
    assert not minority.acked, f"the cut-off leader acknowledged writes: {minority.acked[:5]}"
    assert not minority.other, f"unexpected answers from the cut-off leader: {minority.other[:3]}"
    assert minority.refused, "the cut-off leader was sent writes"
    assert any(status == 503 for _, status in minority.refused), \
        f"at least one refusal is an explicit 503: {minority.refused[:5]}"

    network.heal()
    cluster.wait_for_leader(timeout=30)
    content = cluster.wait_converged(must_include=[t.id for t in written], timeout=60)
    assert_all_present(content, written, "every node after healing")
    resurrected = {t["title"] for t in content.values()} & {t for t, _ in minority.refused}
    assert not resurrected, f"writes refused by the minority later appeared: {resurrected}"
    assert new.is_running


def test_a_five_node_cluster_split_two_three_goes_on_in_the_majority(start_cluster, network):
    cluster = start_cluster(5)
    old = cluster.leader()
    minority = [old, next(n for n in cluster.nodes.values() if n is not old)]
    majority = [n for n in cluster.nodes.values() if n not in minority]

    network.partition([n.ip for n in minority], [n.ip for n in majority])
    cluster.wait_for_leader(timeout=30, among=majority, not_id=old.id)
    with cluster.client(nodes=majority) as c:
        written = create_tasks(c, 20, "majority-of-five")
    for node in minority:
        with pytest.raises(Unavailable):
            cluster.pinned(node, request_timeout=10.0).create_task(f"minority-{node.id}")

    network.heal()
    cluster.wait_for_leader(timeout=30)
    content = cluster.wait_converged(must_include=[t.id for t in written], timeout=60)
    assert_all_present(content, written, "all five nodes after healing")
    assert not any(t["title"].startswith("minority-") for t in content.values())
