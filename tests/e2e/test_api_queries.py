"""API.md `GET /v1/tasks` and `GET /v1/tasks/{id}/history` on a healthy 3-node cluster: every
filter, sort on each field both ways, the limit bounds, cursor pagination that neither skips nor
repeats while tasks are created, changed and deleted between pages, the history items, and a
page larger than the sockets' buffers.
Each test works in a project of its own, so the module's other tasks do not disturb it."""

from __future__ import annotations

import json
import secrets
import socket
import time
from typing import Any

import pytest

from api_http import problem

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(180)]

PRIORITY_RANK = {"low": 0, "medium": 1, "high": 2, "urgent": 3}
STATUS_RANK = {"todo": 0, "in_progress": 1, "done": 2}


def _project() -> str:
    return f"q{secrets.token_hex(4)}"


def _list(api, node=None, **params: Any) -> list[dict[str, Any]]:
    """Every task the listing returns for `params`, following next_cursor."""
    items, cursor = [], None
    while True:
        r = api.http(node).get("/v1/tasks", params={**params, **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200, r.text
        body = r.json()
        assert set(body) == {"items", "next_cursor"}
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


@pytest.fixture(scope="module")
def catalogue(api):
    """Twelve varied tasks in one project: (project, tasks by title)."""
    project = _project()
    tasks = {}
    for i in range(12):
        tasks[f"t{i:02d}"] = api.create(
            title=f"t{i:02d} {'kiwi' if i % 3 == 0 else 'plum'} title",
            description="mango smoothie" if i % 4 == 0 else "plain text",
            status=list(STATUS_RANK)[i % 3], priority=list(PRIORITY_RANK)[i % 4],
            tags=[f"even{project}"] if i % 2 == 0 else [f"odd{project}", "x"],
            assignee=f"user{i % 3}", project=project,
            due_at=f"2027-0{1 + i % 6}-1{i % 10}T08:00:00Z")
    return project, tasks


def _titles(items: list[dict[str, Any]]) -> set[str]:
    return {t["title"][:3] for t in items}


@pytest.mark.parametrize("params,expected", [
    ({"status": "done"}, lambda i: i % 3 == 2),
    ({"priority": "urgent"}, lambda i: i % 4 == 3),
    ({"tag": "even"}, lambda i: i % 2 == 0),
    ({"assignee": "user1"}, lambda i: i % 3 == 1),
    ({"q": "kiwi"}, lambda i: i % 3 == 0),
    ({"q": "mango"}, lambda i: i % 4 == 0),
    ({"q": "kiwi mango"}, lambda i: i % 12 == 0),
    ({"due_before": "2027-03-01T00:00:00Z"}, lambda i: i % 6 < 2),
    ({"due_after": "2027-05-01T00:00:00Z"}, lambda i: i % 6 >= 4),
    ({"status": "todo", "priority": "low"}, lambda i: i % 3 == 0 and i % 4 == 0),
], ids=["status", "priority", "tag", "assignee", "q-title", "q-description", "q-both",
        "due_before", "due_after", "status+priority"])
def test_each_filter_selects_exactly_the_matching_tasks(api, catalogue, params, expected):
    project, _ = catalogue
    if "tag" in params:
        params = {**params, "tag": params["tag"] + project}
    want = {f"t{i:02d}" for i in range(12) if expected(i)}
    assert _titles(_list(api, api.nodes[1], project=project, **params)) == want


@pytest.mark.parametrize("params,expected", [
    ({"tag": "odd"}, lambda i: i % 2 == 1),
    ({"q": "plum"}, lambda i: i % 3 != 0),
], ids=["tag", "q"])
def test_small_pages_of_a_tag_or_text_filter_keep_order_and_every_tag(api, catalogue, params, expected):
    """These filters page through a deferred join (ids first, then rows and tags): pages of 2
    in title order, each task with its id and its tags in their order."""
    project, tasks = catalogue
    if "tag" in params:
        params = {"tag": params["tag"] + project}
    for sort in ("title", "-title"):
        items = _list(api, api.nodes[2], project=project, sort=sort, limit=2, **params)
        titles = [t["title"] for t in items]
        assert titles == sorted(titles, reverse=sort.startswith("-"))
        assert [t[:3] for t in titles] == sorted((f"t{i:02d}" for i in range(12) if expected(i)),
                                                 reverse=sort.startswith("-"))
        for t in items:
            created = tasks[t["title"][:3]]
            assert (t["id"], t["tags"]) == (created["id"], created["tags"])


def test_project_filter_and_unknown_values_match_nothing(api, catalogue):
    project, tasks = catalogue
    assert _titles(_list(api, project=project)) == set(tasks)
    assert _list(api, project=project, assignee="nobody") == []
    assert _list(api, project=project + "-none") == []


SORT_KEYS = {
    "id": lambda t: t["id"],
    "created_at": lambda t: t["created_at"],
    "updated_at": lambda t: t["updated_at"],
    "due_at": lambda t: t["due_at"],
    "priority": lambda t: PRIORITY_RANK[t["priority"]],
    "status": lambda t: STATUS_RANK[t["status"]],
    "title": lambda t: t["title"],
}


@pytest.mark.parametrize("field", SORT_KEYS)
def test_sort_on_each_field_both_ways_with_id_breaking_ties(api, catalogue, field):
    project, tasks = catalogue
    expected = [t["id"] for t in sorted(tasks.values(), key=lambda t: (SORT_KEYS[field](t), t["id"]))]
    ascending = _list(api, project=project, sort=field, limit=5)
    descending = _list(api, project=project, sort=f"-{field}", limit=5)
    assert [t["id"] for t in ascending] == expected
    assert [t["id"] for t in descending] == expected[::-1]


def test_default_order_is_most_recently_updated_first(api):
    project = _project()
    first, second = api.create(project=project), api.create(project=project)
    api.http().patch(f"/v1/tasks/{first['id']}", json={"status": "done"})
    r = api.http().get("/v1/tasks", params={"project": project})
    assert [t["id"] for t in r.json()["items"]] == [first["id"], second["id"]]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 501}, {"limit": -1}, {"limit": "ten"},
                                    {"sort": "colour"}, {"sort": "-"}, {"status": "blocked"},
                                    {"priority": "critical"}, {"due_before": "soon"},
                                    {"due_after": "2027-02-30T00:00:00Z"}, {"cursor": "garbage"},
                                    {"consistency": "eventual"}, {"colour": "red"}])
def test_bad_list_parameters_are_refused_naming_the_parameter(api, params):
    r = api.http().get("/v1/tasks", params=params)
    body = problem(r, r.status_code)
    assert 400 <= r.status_code < 500
    assert [e["field"] for e in body.get("errors", [])] == list(params), body


def test_limit_defaults_to_50_and_bounds_1_and_500_are_accepted(api):
    project = _project()
    for _ in range(51):
        api.create(project=project)
    default = api.http().get("/v1/tasks", params={"project": project}).json()
    assert len(default["items"]) == 50 and default["next_cursor"]
    one = api.http().get("/v1/tasks", params={"project": project, "limit": 1}).json()
    assert len(one["items"]) == 1 and one["next_cursor"]
    most = api.http().get("/v1/tasks", params={"project": project, "limit": 500}).json()
    assert len(most["items"]) == 51 and most["next_cursor"] is None


@pytest.mark.parametrize("sort", ["id", "-created_at", "due_at", "-priority"])
def test_cursor_pages_neither_skip_nor_repeat_while_tasks_change(api, sort):
    project = _project()
    tasks = [api.create(project=project, priority=list(PRIORITY_RANK)[i % 4],
                        due_at=f"2027-01-{1 + i:02d}T00:00:00Z") for i in range(20)]
    seen: list[int] = []
    deleted: set[int] = set()
    cursor, page = None, 0
    while True:
        params = {"project": project, "sort": sort, "limit": 3, **({"cursor": cursor} if cursor else {})}
        body = api.http(api.nodes[page % 3]).get("/v1/tasks", params=params).json()
        seen += [t["id"] for t in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
        # between pages: a new task, a change (not of the sort key) and a deletion of one not seen
        api.create(project=project, priority="low", due_at="2027-01-15T12:00:00Z")
        unseen = [t["id"] for t in tasks if t["id"] not in seen and t["id"] not in deleted]
        if unseen:
            api.http().patch(f"/v1/tasks/{unseen[0]}", json={"status": "done", "title": "changed"})
        if len(unseen) > 1:
            api.http().delete(f"/v1/tasks/{unseen[-1]}")
            deleted.add(unseen[-1])
        page += 1
    assert len(seen) == len(set(seen)), f"repeated: {seen}"
    survivors = {t["id"] for t in tasks} - deleted
    assert survivors <= set(seen), f"skipped: {survivors - set(seen)}"
    assert not deleted & set(seen)


def test_history_lists_every_change_with_raft_position_actor_and_changes(api):
    member = api.member()
    task = api.create(title="historic", priority="low")
    api.http(api.nodes[1], token=member).patch(f"/v1/tasks/{task['id']}",
                                               json={"status": "in_progress", "priority": "high"})
    api.http(api.nodes[2]).patch(f"/v1/tasks/{task['id']}", json={"title": "historic 2"})
    r = api.http(api.nodes[2]).get(f"/v1/tasks/{task['id']}/history")
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert [i["version"] for i in items] == [1, 2, 3]
    for item in items:
        assert {"version", "raft_index", "raft_term", "at", "actor", "op", "changes"} <= set(item)
        assert item["raft_term"] >= 1 and item["at"].endswith("Z")
    assert [i["raft_index"] for i in items] == sorted({i["raft_index"] for i in items})
    assert items[0]["actor"] == "admin" and items[1]["actor"] != "admin"
    assert len({i["op"] for i in items}) == 2, "create and update are different ops"
    assert set(items[1]["changes"]) == {"status", "priority"}, items[1]
    assert set(items[2]["changes"]) == {"title"}, items[2]
    problem(api.http().get("/v1/tasks/999999999/history"), 404)


def test_history_of_a_deleted_task_ends_with_the_deletion(api):
    task = api.create()
    assert api.http().delete(f"/v1/tasks/{task['id']}").status_code == 204
    r = api.http().get(f"/v1/tasks/{task['id']}/history")
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert [i["version"] for i in items][:1] == [1] and len(items) == 2
    assert items[-1]["op"] != items[0]["op"]


def test_query_values_are_percent_decoded_and_a_plus_is_a_space(api):
    project = _project()
    task = api.create(title="plus and space", project=f"{project}+a b")
    http = api.http()
    encoded = http.get(f"/v1/tasks?project={project}%2Ba+b")  # %2B is '+', '+' is ' '
    assert encoded.status_code == 200, encoded.text
    assert [t["id"] for t in encoded.json()["items"]] == [task["id"]]
    spaced = http.get(f"/v1/tasks?project={project}+a+b")  # another project: "<p> a b"
    assert spaced.status_code == 200, spaced.text
    assert spaced.json()["items"] == []


def _read_answer(sock: socket.socket) -> tuple[int, bytes]:
    """One HTTP/1.1 answer with a Content-Length from `sock`: its status and body."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, "the node closed the connection before answering"
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    fields = {name.strip().lower(): value.strip()
              for name, value in (line.split(":", 1) for line in lines[1:])}
    length = int(fields["content-length"])
    while len(body) < length:
        chunk = sock.recv(1 << 20)
        assert chunk, "the node closed the connection mid-answer"
        body += chunk
    assert len(body) == length
    return int(lines[0].split()[1]), body


def test_a_page_larger_than_the_socket_buffers_reaches_a_slow_reader_whole(api):
    """A 500-task page of 10,000-character descriptions (about 5 MB) to a client that reads only
    after a pause: the node's answering thread writes what the socket takes, the io thread the
    rest later. Every task arrives intact, and the same connection then serves the next request."""
    project = _project()
    client = api.http()
    for i in range(500):
        api.create(client, project=project, description=f"{i:05d}" + "d" * 9_995)
    host, port = api.nodes[0].url.removeprefix("http://").rsplit(":", 1)
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)  # before connecting: stays small
        sock.settimeout(30)
        sock.connect((host, int(port)))
        def ask(limit: int) -> None:
            sock.sendall(f"GET /v1/tasks?project={project}&limit={limit}&sort=id HTTP/1.1\r\n"
                         f"Host: {host}\r\nAuthorization: Bearer {api.token}\r\n\r\n".encode())

        ask(500)
        time.sleep(1.0)  # the node writes meanwhile; the socket's buffers fill up
        status, body = _read_answer(sock)
        assert status == 200, body[:500]
        items = json.loads(body)["items"]
        assert [t["description"] for t in items] == [f"{i:05d}" + "d" * 9_995 for i in range(500)]
        ask(1)
        status, body = _read_answer(sock)
        assert status == 200 and len(json.loads(body)["items"]) == 1
