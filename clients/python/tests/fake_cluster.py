"""A tiny in-process stand-in for a taskraft cluster, to test the client's retry logic.

Each `FakeNode` is a real HTTP/1.1 server on 127.0.0.1 (its own thread); all nodes share one
`FakeCluster` state, as if every write were replicated at once. The state implements just enough
of API.md (login, tasks with versions, If-Match, idempotency keys, cursors, users, cluster) for
the client's behaviour to be observable. Faults are queued per node and consumed by the next
matching request:

    node.fail(503, hint=2)          # answer 503 with X-Raft-Leader: 2
    node.fail(DROP)                 # close the connection without answering
    node.fail(DROP_AFTER)           # apply the request, then close without answering
    node.fail(HANG)                 # answer nothing until the client gives up
    node.kill()                     # close every connection and stop listening (refused)

Every request is recorded in `node.requests` (method, path, query, headers, body).
"""

from __future__ import annotations

import collections
import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

DROP = "drop"
DROP_AFTER = "drop-after"
HANG = "hang"


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


@dataclass
class Fault:
    action: str | int
    hint: int | None
    match: Callable[[Recorded], bool]


@dataclass
class Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


def problem(status: int, title: str, **extra: Any) -> Reply:
    return Reply(status, {"type": "about:blank", "title": title, "status": status, **extra},
                 {"Content-Type": "application/problem+json"})


class FakeCluster:
    """Shared state of all fake nodes: users, tokens, tasks, idempotency records."""

    def __init__(self, n: int = 3, password: str = "pw"):
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.leader_id: int | None = 1
        self.passwords = {"admin": password}
        self.tokens: set[str] = set()
        self.logins = 0
        self.tasks: dict[int, dict[str, Any]] = {}
        self.history: dict[int, list[dict[str, Any]]] = {}
        self.records: dict[str, tuple[str, Reply]] = {}
        self.index = 0
        self.nodes = [FakeNode(i + 1, self) for i in range(n)]

    @property
    def urls(self) -> list[str]:
        return [n.url for n in self.nodes]

    def close(self) -> None:
        self.stopping.set()
        for node in self.nodes:
            node.kill()

    def revoke_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    def handle(self, req: Recorded) -> Reply:
        with self.lock:
            if req.path == "/v1/auth/login":
                return self._login(req.body or {})
            token = req.headers.get("authorization", "").removeprefix("Bearer ")
            if token not in self.tokens:
                return problem(401, "Unauthorized")
            key = req.headers.get("idempotency-key")
            if key and req.method != "GET":
                fingerprint = json.dumps([req.method, req.path, req.body], sort_keys=True)
                if key in self.records:
                    first, reply = self.records[key]
                    return reply if first == fingerprint else problem(422, "Key reused")
                reply = self._route(req)
                self.records[key] = (fingerprint, reply)
                return reply
            return self._route(req)

    def _login(self, body: dict[str, Any]) -> Reply:
        if self.passwords.get(body.get("username", "")) != body.get("password"):
            return problem(401, "Bad credentials")
        self.logins += 1
        token = f"tok-{self.logins}"
        self.tokens.add(token)
        return Reply(200, {"token": token, "expires_at": "2030-01-01T00:00:00Z",
                           "user": {"username": body["username"], "role": "admin"}})

    def _route(self, req: Recorded) -> Reply:
        parts = req.path.strip("/").split("/")
        if parts[:2] == ["v1", "tasks"]:
            if len(parts) == 2:
                return self._create(req) if req.method == "POST" else self._list(req)
            task_id = int(parts[2])
            if task_id not in self.tasks:
                return problem(404, "Not Found")
            if len(parts) == 4:
                return Reply(200, {"items": self.history[task_id]})
            return self._one(req, task_id)
        if req.path == "/v1/users":
            if req.method == "POST":
                self.passwords[req.body["username"]] = req.body["password"]
                return Reply(201, {"username": req.body["username"], "role": req.body["role"]})
            return Reply(200, {"items": [{"username": u, "role": "member"}
                                         for u in sorted(self.passwords)]})
        if req.path == "/v1/cluster":
            return Reply(200, {"cluster_id": "fake", "leader_id": self.leader_id, "term": 3,
                               "commit_index": self.index, "nodes": [
                                   {"id": n.node_id, "peer_addr": "", "http_addr": n.url,
                                    "role": "leader" if n.node_id == self.leader_id
                                    else "follower", "voter": True, "reachable": True,
                                    "match_index": self.index, "applied_index": self.index}
                                   for n in self.nodes]})
        return problem(404, "No route")

    def _commit(self, task_id: int, op: str, changes: dict[str, Any]) -> None:
        self.index += 1
        task = self.tasks[task_id]
        self.history.setdefault(task_id, []).append(
            {"version": task["version"], "raft_index": self.index, "raft_term": 3,
             "at": "2026-01-01T00:00:00Z", "actor": "admin", "op": op, "changes": changes})

    def _create(self, req: Recorded) -> Reply:
        body = req.body or {}
        if not body.get("title"):
            return problem(422, "Invalid", errors=[{"field": "title", "message": "required"}])
        task_id = len(self.tasks) + 1
        self.tasks[task_id] = {
            "id": task_id, "title": body["title"], "description": body.get("description", ""),
            "status": body.get("status", "todo"), "priority": body.get("priority", "medium"),
            "due_at": body.get("due_at"), "tags": body.get("tags", []),
            "assignee": body.get("assignee"), "project": body.get("project"),
            "created_by": "admin", "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z", "version": 1}
        self._commit(task_id, "create", body)
        return Reply(201, dict(self.tasks[task_id]), {"ETag": '"1"', "X-Raft-Index": str(self.index)})

    def _one(self, req: Recorded, task_id: int) -> Reply:
        task = self.tasks[task_id]
        if_match = req.headers.get("if-match")
        if req.method != "GET" and if_match and if_match != f'"{task["version"]}"':
            return problem(412, "Precondition Failed", current=dict(task))
        if req.method == "PATCH":
            task.update(req.body or {})
            task["version"] += 1
            self._commit(task_id, "update", req.body or {})
        elif req.method == "DELETE":
            del self.tasks[task_id]
            return Reply(204)
        return Reply(200, dict(task), {"ETag": f'"{task["version"]}"'})

    def _list(self, req: Recorded) -> Reply:
        tag = req.query.get("tag")
        items = [t for t in self.tasks.values()
                 if all(t.get(k) == v for k, v in req.query.items()
                        if k in ("status", "priority", "assignee", "project"))
                 and (tag is None or tag in t["tags"])]
        start = int(req.query.get("cursor", "0"))
        limit = int(req.query.get("limit", "50"))
        page = items[start:start + limit]
        more = start + limit < len(items)
        return Reply(200, {"items": page, "next_cursor": str(start + limit) if more else None})


class FakeNode:
    """One fake node: a real HTTP server on 127.0.0.1 with a queue of faults."""

    def __init__(self, node_id: int, cluster: FakeCluster):
        self.node_id = node_id
        self.cluster = cluster
        self.requests: list[Recorded] = []
        self.faults: collections.deque[Fault] = collections.deque()
        self.connections: set[socket.socket] = set()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)
        self._thread.start()

    def fail(self, action: str | int, *, hint: int | None = None, times: int = 1,
             match: Callable[[Recorded], bool] = lambda req: True) -> None:
        for _ in range(times):
            self.faults.append(Fault(action, hint, match))

    def kill(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        with self.cluster.lock:
            for conn in self.connections:
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def take_fault(self, req: Recorded) -> Fault | None:
        with self.cluster.lock:
            if self.faults and self.faults[0].match(req):
                return self.faults.popleft()
        return None

    def headers(self, hint: int | None = None) -> dict[str, str]:
        leader = hint if hint is not None else self.cluster.leader_id
        out = {"X-Raft-Node": str(self.node_id)}
        if leader:
            out["X-Raft-Leader"] = str(leader)
        return out


def _handler_for(node: FakeNode) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def setup(self) -> None:
            super().setup()
            with node.cluster.lock:
                node.connections.add(self.connection)

        def finish(self) -> None:
            with node.cluster.lock:
                node.connections.discard(self.connection)
            super().finish()

        def _serve(self) -> None:
            split = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            req = Recorded(self.command, split.path,
                           {k: v[-1] for k, v in parse_qs(split.query).items()},
                           {k.lower(): v for k, v in self.headers.items()},
                           json.loads(raw) if raw else None)
            node.requests.append(req)
            fault = node.take_fault(req)
            if fault is None:
                self._reply(node.cluster.handle(req), node.headers())
            elif isinstance(fault.action, int):
                reply = problem(fault.action, "Injected", detail="fake fault")
                reply.headers["Retry-After"] = "0"
                self._reply(reply, node.headers(fault.hint))
            elif fault.action == DROP_AFTER:
                node.cluster.handle(req)
                self._drop()
            elif fault.action == HANG:
                node.cluster.stopping.wait(30)
                self._drop()
            else:
                self._drop()

        def _drop(self) -> None:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)

        def _reply(self, reply: Reply, headers: dict[str, str]) -> None:
            payload = b"" if reply.body is None else json.dumps(reply.body).encode()
            self.send_response(reply.status)
            for key, value in {**headers, **reply.headers}.items():
                self.send_header(key, value)
            if payload and "Content-Type" not in reply.headers:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PATCH = do_DELETE = _serve

    return Handler
