"""The client hides failing nodes: retries elsewhere, same Idempotency-Key, bounded deadline."""

from __future__ import annotations

import time

import pytest

from fake_cluster import DROP, DROP_AFTER, HANG, FakeCluster
from taskraft_client import Client, NotFound, Unauthorized, Unavailable


def writes(fake: FakeCluster, path: str = "/v1/tasks") -> list[tuple[int, str]]:
    """(node id, idempotency key) of every write to `path`, in arrival order per node."""
    return [(n.node_id, r.headers.get("idempotency-key", ""))
            for n in fake.nodes for r in n.requests if r.method != "GET" and r.path == path]


def test_dropped_connection_after_commit_is_retried_with_the_same_key(fake: FakeCluster,
                                                                       client: Client):
    fake.nodes[0].fail(DROP_AFTER)
    task = client.create_task("exactly once")
    sent = writes(fake)
    assert len(sent) == 2 and sent[0][0] != sent[1][0], "retried on another node"
    assert sent[0][1] == sent[1][1] and sent[0][1], "the retry re-sent the same key"
    assert len(fake.tasks) == 1 and fake.tasks[task.id]["title"] == "exactly once"


def test_each_logical_write_gets_its_own_key_and_a_given_key_is_used(fake: FakeCluster,
                                                                     client: Client):
    client.create_task("a")
    client.create_task("b")
    client.create_task("c", idempotency_key="my-key-1")
    keys = [key for _, key in writes(fake)]
    assert len(set(keys)) == 3 and keys[2] == "my-key-1"


def test_connection_refused_fails_over_to_a_live_node(fake: FakeCluster, client: Client):
    fake.nodes[0].kill()
    task = client.create_task("t")
    assert client.get_task(task.id).title == "t"
    assert client.current_node != fake.nodes[0].url


def test_503_with_a_known_leader_hint_goes_straight_to_that_leader(fake: FakeCluster,
                                                                   client: Client):
    client.cluster_status()                      # learns every node's address
    fake.leader_id = 3
    fake.nodes[0].fail(503, hint=3)
    client.create_task("t")
    assert [node for node, _ in writes(fake)] == [1, 3], "node 2 skipped: hint followed"


def test_successful_answers_move_the_client_to_the_leader(fake: FakeCluster, client: Client):
    client.cluster_status()
    fake.leader_id = 2
    client.list_tasks()
    assert client.current_node == fake.nodes[1].url


def test_timeout_of_a_hung_node_fails_over(fake: FakeCluster, client: Client):
    fake.nodes[0].fail(HANG)
    started = time.monotonic()
    task = client.create_task("t")
    assert time.monotonic() - started < 3.0
    assert len(fake.tasks) == 1 and task.id in fake.tasks


def test_a_round_of_failures_backs_off_and_then_succeeds(fake: FakeCluster, client: Client):
    for node in fake.nodes:
        node.fail(503, times=2)
    client.create_task("t")
    assert len(writes(fake)) == 7
    assert len({key for _, key in writes(fake)}) == 1


def test_all_nodes_down_raises_unavailable_within_the_deadline(fake: FakeCluster):
    with Client(fake.urls, "admin", "pw", deadline=1.5, request_timeout=0.3) as c:
        for node in fake.nodes:
            node.fail(503, times=1000)
        started = time.monotonic()
        with pytest.raises(Unavailable) as info:
            c.create_task("never")
        elapsed = time.monotonic() - started
    assert 1.0 <= elapsed < 2.5
    assert info.value.last_status == 503 and info.value.attempts >= 3
    assert not fake.tasks


def test_dropped_connections_everywhere_raise_unavailable_with_the_cause(fake: FakeCluster):
    with Client(fake.urls, "admin", "pw", deadline=1.0, request_timeout=0.3) as c:
        for node in fake.nodes:
            node.fail(DROP, times=1000)
        with pytest.raises(Unavailable) as info:
            c.list_tasks()
    assert info.value.last_status is None and info.value.cause is not None


def test_client_errors_are_not_retried(fake: FakeCluster, client: Client):
    with pytest.raises(NotFound):
        client.get_task(99)
    assert sum(1 for n in fake.nodes for r in n.requests if r.path == "/v1/tasks/99") == 1


def test_pinned_client_asks_one_node_once(fake: FakeCluster, client: Client):
    pinned = client.pinned(fake.nodes[1].url)
    fake.nodes[1].fail(503, hint=1)
    with pytest.raises(Unavailable) as info:
        pinned.create_task("t")
    assert info.value.attempts == 1 and info.value.last_status == 503
    assert info.value.last_meta is not None and info.value.last_meta.leader_id == 1
    assert pinned.session.token == client.session.token
    assert pinned.create_task("t").title == "t"
    assert [n for n, _ in writes(fake)] == [2, 2]


def test_expired_token_logs_in_again_once(fake: FakeCluster, client: Client):
    old = client.session.token
    fake.revoke_tokens()
    client.list_tasks()
    assert client.session.token != old and fake.logins == 2


def test_refused_token_after_relogin_raises_unauthorized(fake: FakeCluster, client: Client):
    fake.nodes[0].fail(401, times=2, match=lambda r: r.path == "/v1/tasks")
    with pytest.raises(Unauthorized):
        client.list_tasks()
    assert fake.logins == 2


def test_learned_members_join_the_failover_list(fake: FakeCluster):
    with Client(fake.urls[:1], "admin", "pw", deadline=3.0, request_timeout=0.3) as c:
        c.cluster_status()
        assert c.nodes == fake.urls
        fake.nodes[0].kill()
        assert c.create_task("t").title == "t"
