"""Every node serves every endpoint (API.md): a write through any node is read back from every
node at once (linearizable reads are the default), conditional writes and idempotency keys
hold across nodes."""

from __future__ import annotations

import uuid

import pytest

from taskraft_client import PreconditionFailed, ValidationError

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
