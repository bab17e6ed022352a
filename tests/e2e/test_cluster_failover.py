"""Crashes, restarts, pauses and a wiped node: no acknowledged write is lost, every node
converges, and clients keep working through the client library's failover."""

from __future__ import annotations

import shutil

import pytest

from checks import assert_all_present, assert_each_title_once, create_tasks
from harness import HarnessError, WriteLoad, wait_until

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(150)]


def test_kill9_of_the_leader_under_write_load_loses_no_acknowledged_write(start_cluster):
    cluster = start_cluster(3)
    old = cluster.leader()
    old_term = cluster.status_from(old).term
    load = WriteLoad(lambda: cluster.client(deadline=30.0), threads=4, prefix="kill9",
                     max_seconds=90).start()
    try:
        load.wait_for_acks(40, timeout=30)
        old.kill()
        acked_at_kill = load.acked_count
        new = cluster.wait_for_leader(timeout=30, not_id=old.id)
        assert cluster.status_from(new).term > old_term
        load.wait_for_acks(acked_at_kill + 40, timeout=40)
    finally:
        load.stop()
    assert not load.errors, f"writes failed with errors other than unavailability: {load.errors[:5]}"

    old.restart()
    old.wait_ready(40)
    content = cluster.wait_converged(must_include=[t.id for t in load.acked], timeout=60)
    assert_all_present(content, load.acked, "every node (compared by stale reads)")
    assert_each_title_once(content, "kill9-")


def test_a_restarted_node_catches_up(start_cluster):
    cluster = start_cluster(3)
    follower = cluster.followers()[0]
    assert follower.stop() == 0, "SIGTERM exits 0 (API.md)"
    with cluster.client(nodes=[n for n in cluster.nodes.values() if n is not follower]) as c:
        written = create_tasks(c, 50, "while-down")
    follower.restart()
    follower.wait_ready(40)
    content = cluster.wait_converged(must_include=[t.id for t in written], timeout=60)
    assert_all_present(content, written, f"node {follower.id} after its restart")


def test_a_paused_leader_is_replaced_and_steps_down_when_resumed(start_cluster):
    cluster = start_cluster(3)
    old = cluster.leader()
    old.pause()
    others = [n for n in cluster.nodes.values() if n is not old]
    cluster.wait_for_leader(timeout=30, among=others, not_id=old.id)
    with cluster.client(nodes=others) as c:
        written = create_tasks(c, 20, "while-paused")
    old.resume()
    cluster.wait_for_leader(timeout=30)      # all three, the old leader included, agree again
    content = cluster.wait_converged(must_include=[t.id for t in written], timeout=60)
    assert_all_present(content, written, "every node after the resume")


def test_a_wiped_node_rejoins_with_join_and_converges(start_cluster):
    """API.md: a node with an empty data dir started with --join joins as a learner and is
    promoted once caught up; the admin removes the lost member and adds it back
    (POST /v1/cluster/members) before it is started with --join."""
    cluster = start_cluster(3)
    leader = cluster.leader()
    lost = cluster.followers()[0]
    admin = cluster.admin()
    before = create_tasks(admin, 20, "before-wipe")

    lost.kill()
    lost.wipe()
    admin.remove_member(lost.id)
    remaining = [n for n in cluster.nodes.values() if n is not lost]
    _wait_membership(cluster, remaining, expect_present=False, node_id=lost.id)
    during = create_tasks(admin, 20, "while-removed")

    admin.add_member(lost.id, lost.peer_addr, lost.http_addr)
    lost.start(join=cluster.leader().url)
    lost.wait_ready(60)
    _wait_membership(cluster, remaining, expect_present=True, node_id=lost.id)
    after = create_tasks(admin, 20, "after-rejoin")

    written = before + during + after
    content = cluster.wait_converged(must_include=[t.id for t in written], timeout=60)
    assert_all_present(content, written, f"the rejoined node {lost.id} and the others")
    assert leader.is_running


def test_a_node_on_a_new_data_dir_but_its_old_database_says_so_and_exits(start_cluster):
    """A wiped data dir on a kept database would take the database's entries as applied while
    having forgotten its log and its votes (docs/operations.md: wipe both). The node refuses to
    start, says why, and the database keeps what it had."""
    cluster = start_cluster(3)
    admin = cluster.admin()
    written = create_tasks(admin, 10, "before-half-wipe")
    half = cluster.followers()[0]
    cluster.wait_converged(must_include=[t.id for t in written], timeout=30)
    half.kill()
    shutil.rmtree(half.data_dir)

    half.restart()
    with pytest.raises(HarnessError) as refused:
        half.wait_healthy(30)
    assert "exited with code" in str(refused.value) and half.returncode != 0
    assert "the data dir is new" in str(refused.value)
    assert "a new node needs an empty database" in str(refused.value)
    kept = half.mysql.query(f"SELECT COUNT(*) FROM `{half.database}`.tasks")
    assert kept == [[str(len(written))]]
    assert create_tasks(admin, 1, "after-refusal")  # the other two go on


def _wait_membership(cluster, asked, *, expect_present: bool, node_id: int) -> None:
    """Waits until the leader lists `node_id` as a voter (or no longer lists it at all)."""
    def settled() -> bool:
        leader = cluster.wait_for_leader(timeout=10, among=asked)
        member = cluster.status_from(leader).node(node_id)
        return (member is not None and member.voter) if expect_present else member is None

    wait_until(settled, timeout=60, interval=0.5, diagnostics=cluster.describe,
               what=f"node {node_id} to be {'a voter' if expect_present else 'removed'}")
