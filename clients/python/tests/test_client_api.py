"""The client speaks API.md: requests it sends, dataclasses it returns, errors it raises."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from fake_cluster import FakeCluster
from taskraft_client import (Client, NotFound, PreconditionFailed, Task, Unauthorized,
                             ValidationError)


def test_login_sends_credentials_and_then_the_bearer_token(fake: FakeCluster, client: Client):
    client.list_tasks()
    login, listing = fake.nodes[0].requests
    assert (login.method, login.path, login.body) == (
        "POST", "/v1/auth/login", {"username": "admin", "password": "pw"})
    assert "authorization" not in login.headers
    assert listing.headers["authorization"] == f"Bearer {client.session.token}"
    assert client.session.user is not None and client.session.user.username == "admin"


def test_wrong_password_raises_unauthorized(fake: FakeCluster):
    with pytest.raises(Unauthorized):
        Client(fake.urls, "admin", "wrong", deadline=2.0)


def test_create_returns_a_task_dataclass(client: Client):
    due = datetime(2026, 12, 1, 17, 0, tzinfo=timezone.utc)
    task = client.create_task("Ship v1", priority="high", tags=["release"], due_at=due)
    assert isinstance(task, Task)
    assert (task.title, task.priority, task.tags, task.status, task.version) == (
        "Ship v1", "high", ("release",), "todo", 1)
    assert task.due_at == due
    assert client.get_task(task.id) == task


def test_create_sends_only_given_fields_and_rfc3339_times(fake: FakeCluster, client: Client):
    client.create_task("t", due_at=datetime(2026, 12, 1, 17, 0))
    body = fake.nodes[0].requests[-1].body
    assert body == {"title": "t", "due_at": "2026-12-01T17:00:00Z"}


def test_update_with_if_match_sends_the_etag_and_may_clear_fields(fake: FakeCluster,
                                                                   client: Client):
    task = client.create_task("t", assignee="bob")
    updated = client.update_task(task.id, if_match=task.version, status="done", assignee=None)
    request = fake.nodes[0].requests[-1]
    assert request.headers["if-match"] == '"1"'
    assert request.body == {"status": "done", "assignee": None}
    assert (updated.status, updated.assignee, updated.version) == ("done", None, 2)


def test_stale_if_match_raises_precondition_failed_with_the_current_task(client: Client):
    task = client.create_task("t")
    client.update_task(task.id, title="t2")
    with pytest.raises(PreconditionFailed) as info:
        client.update_task(task.id, if_match=task.version, title="lost update")
    assert info.value.status == 412
    assert info.value.current is not None
    assert (info.value.current.title, info.value.current.version) == ("t2", 2)


def test_unknown_task_raises_not_found_and_delete_works(client: Client):
    task = client.create_task("t")
    client.delete_task(task.id)
    with pytest.raises(NotFound):
        client.get_task(task.id)
    with pytest.raises(NotFound):
        client.delete_task(task.id)


def test_validation_error_names_the_fields(client: Client):
    with pytest.raises(ValidationError) as info:
        client.create_task("")
    assert [(e.field, e.message) for e in info.value.errors] == [("title", "required")]


def test_list_passes_filters_and_consistency(fake: FakeCluster, fake_client_stale: Client):
    fake_client_stale.list_tasks(status="done", due_before=datetime(2027, 1, 1), limit=5)
    query = fake.nodes[0].requests[-1].query
    assert query == {"status": "done", "due_before": "2027-01-01T00:00:00Z", "limit": "5",
                     "consistency": "stale"}


@pytest.fixture
def fake_client_stale(fake: FakeCluster):
    with Client(fake.urls, "admin", "pw", consistency="stale") as c:
        yield c


def test_iter_tasks_follows_cursors_to_the_end(client: Client):
    created = [client.create_task(f"t{i}").id for i in range(7)]
    assert [t.id for t in client.iter_tasks(page_size=3)] == created
    first = client.list_tasks(limit=3)
    assert len(first.items) == 3 and first.next_cursor is not None


def test_history_users_and_cluster(client: Client, fake: FakeCluster):
    task = client.create_task("t")
    client.update_task(task.id, status="done")
    assert [(h.version, h.op) for h in client.task_history(task.id)] == [
        (1, "create"), (2, "update")]
    user = client.create_user("alice", "pw2")
    assert (user.username, user.role) == ("alice", "member")
    assert "alice" in {u.username for u in client.list_users()}
    status = client.cluster_status()
    assert status.leader_id == 1 and [n.id for n in status.nodes] == [1, 2, 3]
    assert status.node(2) is not None and status.node(2).http_addr == fake.nodes[1].url


def test_last_meta_exposes_the_raft_headers(client: Client):
    client.create_task("t")
    meta = client.last_meta
    assert meta is not None
    assert (meta.status, meta.node_id, meta.leader_id) == (201, 1, 1)
    assert meta.raft_index is not None and meta.raft_index >= 1
