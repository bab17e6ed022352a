"""API.md "Consistency and retries" and the Raft headers, on a healthy 3-node cluster:
Idempotency-Key replays (same answer, nothing changed; another body → 422; the key's length and
charset rules), `consistency=linearizable|stale`, `min_index=` read-your-writes through another
node, and X-Raft-Node / X-Raft-Leader / X-Raft-Index on answers."""

from __future__ import annotations

import secrets
import time

import pytest

from api_http import field_errors, problem

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(180)]


def _tagged(api, tag: str) -> list[int]:
    r = api.http().get("/v1/tasks", params={"tag": tag, "limit": 500})
    return [t["id"] for t in r.json()["items"]]


def test_create_replay_returns_the_first_answer_from_any_node_and_creates_once(api):
    tag, key = f"idem{secrets.token_hex(3)}", secrets.token_hex(16)
    body = {"title": "once", "tags": [tag]}
    first = api.http(api.nodes[0]).post("/v1/tasks", json=body, headers={"Idempotency-Key": key})
    assert first.status_code == 201
    for node in api.nodes:
        again = api.http(node).post("/v1/tasks", json=body, headers={"Idempotency-Key": key})
        assert (again.status_code, again.json()) == (201, first.json())
        assert again.headers["Location"] == first.headers["Location"]
        assert again.headers["ETag"] == first.headers["ETag"]
    assert _tagged(api, tag) == [first.json()["id"]]


def test_same_key_with_another_body_is_422_and_changes_nothing(api):
    tag, key = f"idem{secrets.token_hex(3)}", secrets.token_hex(16)
    first = api.http().post("/v1/tasks", json={"title": "a", "tags": [tag]},
                            headers={"Idempotency-Key": key})
    assert first.status_code == 201
    other = api.http(api.nodes[1]).post("/v1/tasks", json={"title": "b", "tags": [tag]},
                                        headers={"Idempotency-Key": key})
    problem(other, 422)
    assert _tagged(api, tag) == [first.json()["id"]]


def test_patch_and_delete_replays_change_nothing_more(api):
    task = api.create(title="counter")
    path, key = f"/v1/tasks/{task['id']}", secrets.token_hex(8)
    first = api.http().patch(path, json={"status": "done"}, headers={"Idempotency-Key": key})
    again = api.http(api.nodes[2]).patch(path, json={"status": "done"},
                                         headers={"Idempotency-Key": key})
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and first.json()["version"] == 2
    assert api.http().get(path).json()["version"] == 2
    dkey = secrets.token_hex(8)
    assert api.http().delete(path, headers={"Idempotency-Key": dkey}).status_code == 204
    assert api.http(api.nodes[1]).delete(path, headers={"Idempotency-Key": dkey}).status_code == 204
    assert api.http().delete(path).status_code == 404, "without the key it is a new request"


def test_a_replayed_refusal_is_the_first_refusal(api):
    task = api.create()
    path, key = f"/v1/tasks/{task['id']}", secrets.token_hex(8)
    first = api.http().patch(path, json={"title": "x"}, headers={"If-Match": '"9"',
                                                                 "Idempotency-Key": key})
    assert first.status_code == 412
    again = api.http(api.nodes[1]).patch(path, json={"title": "x"},
                                         headers={"If-Match": '"9"', "Idempotency-Key": key})
    assert (again.status_code, again.json()) == (412, first.json())


@pytest.mark.parametrize("key", ["", "k" * 65, "has space\x01", "tab\tkey", "é-key"],
                         ids=["empty", "65-chars", "control", "tab", "non-ascii"])
def test_idempotency_keys_outside_1_to_64_printable_ascii_are_refused(api, key):
    tag = f"badkey{secrets.token_hex(3)}"
    r = api.http().post("/v1/tasks", json={"title": "x", "tags": [tag]},
                        headers={"Idempotency-Key": key.encode("latin-1")})
    if r.status_code == 422:
        assert "Idempotency-Key" in field_errors(r)
    else:  # a control character is not even valid HTTP
        problem(r, 400)
    assert _tagged(api, tag) == []


@pytest.mark.parametrize("key", ["k", "k" * 64, "~!@#$%^&*()_+{}|:<>?`-=[];',./\""],
                         ids=["1-char", "64-chars", "punctuation"])
def test_idempotency_keys_of_1_to_64_printable_ascii_are_accepted(api, key):
    body = {"title": f"key {key}"}
    first = api.http().post("/v1/tasks", json=body, headers={"Idempotency-Key": key})
    assert first.status_code == 201, first.text
    again = api.http(api.nodes[1]).post("/v1/tasks", json=body, headers={"Idempotency-Key": key})
    assert again.json()["id"] == first.json()["id"]


def test_every_answer_names_node_and_leader(api, module_cluster):
    leader = module_cluster.leader()
    for node in api.nodes:
        for r in (api.http(node).get("/v1/tasks", params={"limit": 1}),
                  api.http(node).get("/v1/tasks/999999999"),
                  api.http(node, token=None).get("/v1/tasks"),
                  api.http(node, token=None).get("/healthz")):
            assert r.headers["X-Raft-Node"] == str(node.id), r.url
            assert r.headers["X-Raft-Leader"] == str(leader.id), r.url


def test_reads_and_writes_carry_a_growing_raft_index(api):
    created = api.http(api.nodes[1]).post("/v1/tasks", json={"title": "indexed"})
    write_index = int(created.headers["X-Raft-Index"])
    for node in api.nodes:
        for consistency in ("linearizable", "stale"):
            r = api.http(node).get("/v1/tasks", params={"limit": 1, "consistency": consistency})
            assert r.status_code == 200 and int(r.headers["X-Raft-Index"]) > 0
        r = api.http(node).get(f"/v1/tasks/{created.json()['id']}")
        assert int(r.headers["X-Raft-Index"]) >= write_index, "linearizable sees the write"
    later = api.http().patch(f"/v1/tasks/{created.json()['id']}", json={"status": "done"})
    assert int(later.headers["X-Raft-Index"]) > write_index


def test_linearizable_reads_see_an_acknowledged_write_on_every_node(api):
    for writer in api.nodes:
        task = api.create(api.http(writer))
        for reader in api.nodes:
            r = api.http(reader).get(f"/v1/tasks/{task['id']}", params={"consistency": "linearizable"})
            assert r.status_code == 200, f"written via {writer.id}, read on {reader.id}"


def test_min_index_reads_your_writes_through_another_node(api):
    for writer, reader in zip(api.nodes, api.nodes[1:] + api.nodes[:1]):
        created = api.http(writer).post("/v1/tasks", json={"title": "ryw"})
        index = created.headers["X-Raft-Index"]
        r = api.http(reader).get(f"/v1/tasks/{created.json()['id']}",
                                 params={"consistency": "stale", "min_index": index})
        assert r.status_code == 200, r.text
        assert int(r.headers["X-Raft-Index"]) >= int(index)
        listed = api.http(reader).get("/v1/tasks", params={"min_index": index, "limit": 500,
                                                           "sort": "-id"})
        assert created.json()["id"] in [t["id"] for t in listed.json()["items"]]
    problem(api.http().get("/v1/tasks", params={"min_index": "x"}), 400)



def test_a_min_index_beyond_the_log_is_refused_at_once_naming_min_index(api):
    """No write was acknowledged at an index the cluster has not committed, so waiting for it
    could only run out the deadline: every node (a follower asks the leader) answers 400 at once."""
    committed = int(api.http(api.nodes[1]).get("/v1/tasks", params={"limit": 1}).headers["X-Raft-Index"])
    for node in api.nodes:
        started = time.monotonic()
        r = api.http(node).get("/v1/tasks", params={"min_index": 10**12})
        assert time.monotonic() - started < 2.0, "it waited for the request deadline"
        body = problem(r, 400)
        assert [e["field"] for e in body["errors"]] == ["min_index"], body
        message = body["errors"][0]["message"]
        assert "beyond the log" in message, body
        # What it names as committed is at least what this node had already seen.
        assert int(message.rsplit(" ", 1)[1]) >= committed
        got = api.http(node).get("/v1/tasks", params={"min_index": committed, "limit": 1})
        assert got.status_code == 200, got.text
