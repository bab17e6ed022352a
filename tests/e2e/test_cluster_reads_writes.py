"""Every node serves every endpoint (API.md): a write through any node is read back from every
node at once (linearizable reads are the default), conditional writes and idempotency keys
hold across nodes, gets answered from a node's memory never lag a write, and concurrent
linearizable reads share ReadIndex requests."""

from __future__ import annotations

import re
import threading
import uuid

import httpx
import pytest

from taskraft_client import NotFound, PreconditionFailed, ValidationError

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(120)]


def test_writes_through_each_node_read_back_from_each_node(start_cluster):
    cluster = start_cluster(3)
    nodes = list(cluster.nodes.values())
    for writer in nodes:
        task = cluster.pinned(writer).create_task(f"via-{writer.id}", priority="high",
                                                  tags=["rw"], project="e2e")
        assert task.version == 1 and task.created_by == "admin"
        for reader in nodes:
            assert cluster.pinned(reader).get_task(task.id) == task, \
                f"written via node {writer.id}, read from node {reader.id}"

        editor = nodes[writer.id % len(nodes)]
        updated = cluster.pinned(editor).update_task(task.id, if_match=1, status="in_progress")
        assert (updated.status, updated.version) == ("in_progress", 2)
        for reader in nodes:
            assert cluster.pinned(reader).get_task(task.id) == updated

    for reader in nodes:
        titles = {t.title for t in cluster.pinned(reader).iter_tasks(tag="rw")}
        assert titles == {f"via-{n.id}" for n in nodes}


def test_stale_if_match_is_refused_on_any_node(start_cluster):
    cluster = start_cluster(3)
    first, second, third = cluster.nodes.values()
    task = cluster.pinned(first).create_task("contended")
    cluster.pinned(second).update_task(task.id, if_match=1, title="winner")
    with pytest.raises(PreconditionFailed) as info:
        cluster.pinned(third).update_task(task.id, if_match=1, title="loser")
    assert info.value.current is not None
    assert (info.value.current.title, info.value.current.version) == ("winner", 2)
    assert cluster.pinned(first).get_task(task.id).title == "winner"


def test_an_idempotency_key_is_honoured_by_every_node(start_cluster):
    cluster = start_cluster(3)
    first, second, third = cluster.nodes.values()
    key, tag = uuid.uuid4().hex, f"idem-{uuid.uuid4().hex[:8]}"
    created = cluster.pinned(first).create_task("once", tags=[tag], idempotency_key=key)
    again = cluster.pinned(second).create_task("once", tags=[tag], idempotency_key=key)
    assert again == created, "a retry with the same key returns the first response"
    with pytest.raises(ValidationError):
        cluster.pinned(third).create_task("different body", tags=[tag], idempotency_key=key)
    for node in cluster.nodes.values():
        assert [t.id for t in cluster.pinned(node).iter_tasks(tag=tag)] == [created.id]


def test_history_is_identical_on_every_node(start_cluster):
    cluster = start_cluster(3)
    client = cluster.admin()
    task = client.create_task("historic")
    client.update_task(task.id, status="in_progress")
    client.update_task(task.id, status="done")
    histories = [cluster.pinned(n).task_history(task.id) for n in cluster.nodes.values()]
    assert all(h == histories[0] for h in histories)
    assert [e.version for e in histories[0]] == [1, 2, 3]
    indexes = [e.raft_index for e in histories[0]]
    assert indexes == sorted(indexes) and len(set(indexes)) == 3


def _metric(node, name: str) -> float:
    text = httpx.get(node.url + "/metrics", timeout=3).text
    match = re.search(rf"^taskraft_{name} (\S+)$", text, re.M)
    assert match, f"GET /metrics names taskraft_{name}"
    return float(match.group(1))


def _cache_hits(node) -> float:
    return _metric(node, "task_cache_hits_total")


def test_gets_from_memory_follow_every_later_write_also_after_a_restart(start_cluster):
    """Gets answer from the node's task cache (store/task_cache.h) when it holds the task. A
    restarted node starts with an empty cache and fills it from MySQL; what it filled must
    still give way to later updates and deletes made through other nodes."""
    cluster = start_cluster(3)
    follower = cluster.followers()[0]
    others = [n for n in cluster.nodes.values() if n is not follower]
    writer = cluster.pinned(others[0])
    kept, doomed = writer.create_task("kept"), writer.create_task("doomed")

    before = _cache_hits(follower)
    assert cluster.pinned(follower).get_task(kept.id) == kept
    assert _cache_hits(follower) > before, "a task written since the start is answered from memory"

    assert follower.stop() == 0
    follower.restart()
    follower.wait_ready(40)
    reader = cluster.pinned(follower)
    for _ in range(2):  # the first get fills from MySQL, the second answers from memory
        assert reader.get_task(kept.id) == kept
        assert reader.get_task(doomed.id) == doomed
    assert _cache_hits(follower) >= 2

    updated = writer.update_task(kept.id, if_match=1, title="kept, renamed")
    writer.delete_task(doomed.id)
    assert reader.get_task(kept.id) == updated
    with pytest.raises(NotFound):
        reader.get_task(doomed.id)


def test_concurrent_linearizable_reads_share_readindex_requests_and_see_every_write(start_cluster):
    """A burst of gets on one follower: every one sees the task as last written (through the
    leader), and they go to the leader in fewer ReadIndex requests than there are reads."""
    cluster = start_cluster(3)
    follower = cluster.followers()[0]
    writer = cluster.pinned(cluster.leader())
    task = writer.create_task("read in a burst")
    task = writer.update_task(task.id, if_match=1, title="read in a burst, renamed")
    reads_before = _metric(follower, "raft_reads_total")
    batches_before = _metric(follower, "raft_read_batches_total")
    seen, errors = [], []

    def reader() -> None:
        try:
            with cluster.client([follower], failover=False) as client:
                for _ in range(10):
                    seen.append(client.get_task(task.id))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(seen) == 160 and all(t == task for t in seen)
    reads = _metric(follower, "raft_reads_total") - reads_before
    batches = _metric(follower, "raft_read_batches_total") - batches_before
    assert reads >= 160
    assert 0 < batches < reads, f"{reads:.0f} reads went in {batches:.0f} ReadIndex requests"


def test_concurrent_writes_wait_for_each_other_in_the_propose_window_and_a_lone_writer_never_does(
        start_cluster):
    """The leader lets a write wait up to --propose-window-us (1 ms by default) for others to
    share its append, but only while enough writes are in flight (node/propose_window.h): one
    client writing alone is never held, many writing at once (to the leader, and through the
    followers, whose relayed commands it holds alike) are, and every write is kept."""
    cluster = start_cluster(3)
    leader = cluster.leader()
    nodes = list(cluster.nodes.values())
    writer = cluster.pinned(leader)
    tag = f"window-{uuid.uuid4().hex[:8]}"
    held_before = _metric(leader, "propose_window_held_total")
    alone = [writer.create_task(f"alone {i}", tags=[tag]) for i in range(20)]
    assert _metric(leader, "propose_window_held_total") == held_before, \
        "a lone writer's next write waits for this one: nothing can join it"

    created, errors = [], []

    def write(n: int) -> None:
        try:
            with cluster.client([nodes[n % len(nodes)]], failover=False) as client:
                for i in range(10):
                    created.append(client.create_task(f"together {n}.{i}", tags=[tag]))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(created) == 320
    assert _metric(leader, "propose_window_held_total") > held_before, \
        "32 clients writing at once: some writes waited for others"
    expected = {t.id for t in alone + created}
    for node in nodes:
        assert {t.id for t in cluster.pinned(node).iter_tasks(tag=tag)} == expected, \
            f"node {node.id} has every acknowledged write"
