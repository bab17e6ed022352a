"""API.md "Tasks" and "Errors", one rule per test against a healthy 3-node cluster: create, get,
patch, delete with their status codes and headers, If-Match, every field rule of the task (422
naming the field), malformed JSON (400), bodies over 1 MiB (413) and invalid UTF-8.
Nothing a rejected request carried may be stored."""

from __future__ import annotations

import secrets
from datetime import datetime

import pytest

from api_http import field_errors, problem

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(180)]

TASK_FIELDS = {"id", "title", "description", "status", "priority", "due_at", "tags", "assignee",
               "project", "created_by", "created_at", "updated_at", "version"}


def _instant(text: str) -> datetime:
    """An RFC 3339 UTC timestamp as the server writes it (Z, optional fraction)."""
    assert text.endswith("Z"), text
    return datetime.fromisoformat(text)


def test_create_answers_201_with_location_etag_and_defaults(api):
    r = api.http().post("/v1/tasks", json={"title": "Ship v1", "tags": ["release"],
                                           "due_at": "2026-12-01T17:00:00Z"})
    assert r.status_code == 201, r.text
    task = r.json()
    assert set(task) == TASK_FIELDS
    assert r.headers["Location"] == f"/v1/tasks/{task['id']}"
    assert r.headers["ETag"] == '"1"'
    assert (task["status"], task["priority"], task["version"]) == ("todo", "medium", 1)
    assert (task["created_by"], task["tags"]) == ("admin", ["release"])
    assert _instant(task["due_at"]) == _instant("2026-12-01T17:00:00Z")
    assert task["created_at"].endswith("Z") and task["updated_at"] == task["created_at"]


def test_get_from_every_node_answers_200_with_etag_and_unknown_id_404(api):
    task = api.create(priority="urgent")
    for node in api.nodes:
        r = api.http(node).get(f"/v1/tasks/{task['id']}")
        assert r.status_code == 200 and r.json() == task
        assert r.headers["ETag"] == '"1"'
    problem(api.http().get("/v1/tasks/999999999"), 404)
    problem(api.http().get("/v1/tasks/not-a-number"), 404)


def test_patch_changes_only_the_given_fields_and_bumps_version(api):
    task = api.create(description="keep me", tags=["a"], assignee="alice", project="core")
    r = api.http(api.nodes[1]).patch(f"/v1/tasks/{task['id']}", json={"status": "in_progress"})
    assert r.status_code == 200, r.text
    after = r.json()
    assert r.headers["ETag"] == '"2"'
    assert (after["status"], after["version"]) == ("in_progress", 2)
    unchanged = {k: v for k, v in task.items() if k not in ("status", "version", "updated_at")}
    assert {k: after[k] for k in unchanged} == unchanged
    cleared = api.http().patch(f"/v1/tasks/{task['id']}", json={"assignee": None, "tags": []})
    assert cleared.status_code == 200, cleared.text
    assert (cleared.json()["assignee"], cleared.json()["tags"], cleared.json()["version"]) == \
        (None, [], 3)
    problem(api.http().patch("/v1/tasks/999999999", json={"title": "x"}), 404)


def test_patch_with_stale_if_match_is_412_with_the_current_task(api):
    task = api.create()
    path = f"/v1/tasks/{task['id']}"
    ok = api.http().patch(path, json={"title": "first"}, headers={"If-Match": '"1"'})
    assert ok.status_code == 200
    stale = api.http(api.nodes[2]).patch(path, json={"title": "second"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412, stale.text
    assert stale.json()["title"] == "first" and stale.json()["version"] == 2
    assert api.http().get(path).json()["title"] == "first"


def test_delete_answers_204_then_404_and_honours_if_match(api):
    task = api.create()
    path = f"/v1/tasks/{task['id']}"
    assert api.http().delete(path, headers={"If-Match": '"7"'}).status_code == 412
    assert api.http().get(path).status_code == 200
    r = api.http(api.nodes[1]).delete(path, headers={"If-Match": '"1"'})
    assert r.status_code == 204 and r.content == b""
    for node in api.nodes:
        problem(api.http(node).get(path), 404)
    problem(api.http().delete(path), 404)


def test_if_match_that_is_no_version_is_400(api):
    task = api.create()
    problem(api.http().patch(f"/v1/tasks/{task['id']}", json={"title": "x"},
                             headers={"If-Match": "yesterday"}), 400)


def _count(api) -> int:
    total, cursor = 0, None
    while True:
        r = api.http().get("/v1/tasks", params={"limit": 500, **({"cursor": cursor} if cursor else {})})
        total += len(r.json()["items"])
        cursor = r.json()["next_cursor"]
        if not cursor:
            return total


INVALID = [
    ({"title": ""}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"title": 7}, "title"),
    ({"title": "ok", "description": "d" * 10_001}, "description"),
    ({"title": "ok", "description": ["no"]}, "description"),
    ({"title": "ok", "tags": [f"t{i}" for i in range(21)]}, "tags"),
    ({"title": "ok", "tags": [""]}, "tags"),
    ({"title": "ok", "tags": ["t" * 41]}, "tags"),
    ({"title": "ok", "tags": "release"}, "tags"),
    ({"title": "ok", "tags": [3]}, "tags"),
    ({"title": "ok", "status": "blocked"}, "status"),
    ({"title": "ok", "priority": "critical"}, "priority"),
    ({"title": "ok", "priority": 2}, "priority"),
    ({"title": "ok", "due_at": "tomorrow"}, "due_at"),
    ({"title": "ok", "due_at": "2026-13-01T00:00:00Z"}, "due_at"),
    ({"title": "ok", "due_at": "2026-12-01 17:00:00"}, "due_at"),
    ({"title": "ok", "due_at": 1767225600}, "due_at"),
    ({"title": "ok", "assignee": 5}, "assignee"),
    ({"title": "ok", "project": {"a": 1}}, "project"),
    ({"description": "no title"}, "title"),
]


@pytest.mark.parametrize("body,field", INVALID, ids=[f"{f}-{i}" for i, (_, f) in enumerate(INVALID)])
def test_each_field_rule_is_a_422_naming_the_field(api, body, field):
    r = api.http().post("/v1/tasks", json=body)
    assert any(f == field or f.startswith(field + "[") for f in field_errors(r)), r.text


def test_edge_lengths_are_accepted(api):
    task = api.create(title="é" * 200, description="ü" * 10_000,
                      tags=["t" * 40] + [f"t{i}" for i in range(19)])
    assert len(task["title"]) == 200 and len(task["tags"]) == 20


def test_patch_is_validated_like_create_and_invalid_changes_store_nothing(api):
    task = api.create()
    path = f"/v1/tasks/{task['id']}"
    assert "title" in field_errors(api.http().patch(path, json={"title": ""}))
    assert {"status", "priority"} <= field_errors(
        api.http().patch(path, json={"status": "x", "priority": "y"}))
    assert api.http().get(path).json() == task


def test_malformed_json_is_400_and_not_an_object_is_refused(api):
    before = _count(api)
    for body in (b"{", b'{"title": "x",}', b"nul", b""):
        problem(api.http().post("/v1/tasks", content=body,
                                headers={"Content-Type": "application/json"}), 400)
    r = api.http().post("/v1/tasks", content=b'["title"]', headers={"Content-Type": "application/json"})
    assert r.status_code in (400, 422), r.text
    assert _count(api) == before


def test_body_over_one_mebibyte_is_413(api):
    before = _count(api)
    body = b'{"title": "big", "description": "' + b"x" * (1024 * 1024) + b'"}'
    r = api.http(api.nodes[1]).post("/v1/tasks", content=body,
                                    headers={"Content-Type": "application/json"})
    problem(r, 413)
    assert _count(api) == before


def test_invalid_utf8_is_refused(api):
    before = _count(api)
    r = api.http().post("/v1/tasks", content=b'{"title": "bad \xff\xfe"}',
                        headers={"Content-Type": "application/json"})
    assert r.status_code in (400, 422), r.text
    assert _count(api) == before


def test_unicode_round_trips(api):
    title = "Ünïcødé ✓ 任务 " + secrets.token_hex(2)
    task = api.create(title=title, tags=["ça", "日本"])
    assert api.http(api.nodes[2]).get(f"/v1/tasks/{task['id']}").json()["title"] == title
