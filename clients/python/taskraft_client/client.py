"""`Client`: the taskraft v1 REST API (shared/API.md) as typed Python calls.

Guarantees:
- The client logs in when created and keeps the token; a 401 on any call logs in again once and
  re-sends the call; a second 401 raises `Unauthorized`.
- Every logical write (POST/PATCH/DELETE other than login) carries one `Idempotency-Key`,
  generated once per call (or given by the caller), and every retry of that write, on any node,
  re-sends the same key and body: a node dying under the caller is invisible and the write
  happens exactly once.
- Node failures (refused or dropped connections, timeouts, 502/503/504) are retried on the other
  nodes within a bounded total deadline (see `FailoverTransport`); after it, `Unavailable`.
- Error answers raise typed errors (`NotFound`, `PreconditionFailed` with the current task,
  `ValidationError` with field errors, ...); successes return dataclasses.
- `pinned(node)` gives a client bound to one node, without failover, sharing the login: what a
  test uses to ask one particular node; `with_options(...)` one over the same nodes with other
  timeouts (a UI polling the cluster wants a short deadline), also sharing the login.
- The Raft headers of the last response of the calling thread are in `last_meta`.
"""

from __future__ import annotations

import threading
import uuid
from datetime import datetime
from typing import Any, Iterator, Mapping, Sequence

import httpx

from .errors import error_for
from .metrics import NodeMetrics
from .models import (ClusterStatus, HistoryEntry, ResponseMeta, Session, Task, TaskPage, User,
                     to_rfc3339)
from .transport import FailoverTransport


class Unset:
    """Marks a keyword argument the caller did not give (None means JSON null)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET = Unset()

WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})


def new_idempotency_key() -> str:
    """A fresh key for one logical write: 32 hex characters, within the API's 1-64 ASCII."""
    return uuid.uuid4().hex


def _etag(version: int) -> str:
    return f'"{int(version)}"'


def _query(**params: Any) -> dict[str, Any]:
    """Query parameters without the ones left out; datetimes as RFC 3339."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        if value is None:
            continue
        out[key] = to_rfc3339(value) if isinstance(value, datetime) else value
    return out


def _task_body(**fields: Any) -> dict[str, Any]:
    """A task body from the fields the caller gave (UNSET ones are left out)."""
    body: dict[str, Any] = {}
    for key, value in fields.items():
        if isinstance(value, Unset):
            continue
        if key == "tags" and value is not None:
            value = list(value)
        elif key == "due_at" and value is not None:
            value = to_rfc3339(value)
        body[key] = value
    return body


class Client:
    """A logged-in session with a taskraft cluster."""

    def __init__(self, nodes: Sequence[str], username: str, password: str, *,
                 deadline: float = 30.0, request_timeout: float = 5.0,
                 connect_timeout: float = 1.0, failover: bool = True,
                 consistency: str | None = None, http: httpx.Client | None = None,
                 session: Session | None = None):
        self._transport = FailoverTransport(
            nodes, deadline=deadline, request_timeout=request_timeout,
            connect_timeout=connect_timeout, failover=failover, http=http)
        self._username = username
        self._password = password
        self._options: dict[str, Any] = dict(deadline=deadline, request_timeout=request_timeout,
                                             connect_timeout=connect_timeout)
        self.consistency = consistency
        self._session_lock = threading.Lock()
        self._local = threading.local()
        self.session: Session = session if session is not None else self.login()

    # -- plumbing ---------------------------------------------------------------------------

    @property
    def nodes(self) -> list[str]:
        return list(self._transport.nodes)

    @property
    def current_node(self) -> str:
        """The node the next call goes to first (sticks to the leader when known)."""
        return self._transport.current

    @property
    def last_meta(self) -> ResponseMeta | None:
        """Raft headers of the last response this thread received."""
        meta: ResponseMeta | None = getattr(self._local, "meta", None)
        return meta

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def pinned(self, node: str, **options: Any) -> Client:
        """A client that talks to `node` only, once per call (no failover), with this login."""
        return self._sharing_login([node], {**options, "failover": False})

    def with_options(self, **options: Any) -> Client:
        """A client over the same nodes and login with other `deadline`, `request_timeout` or
        `connect_timeout` (failover as this one): e.g. a short-deadline client for polling."""
        return self._sharing_login(self.nodes, {"failover": self._transport.failover, **options})

    def _sharing_login(self, nodes: Sequence[str], options: dict[str, Any]) -> Client:
        return Client(nodes, self._username, self._password, session=self.session,
                      consistency=self.consistency, **{**self._options, **options})

    def login(self) -> Session:
        response = self._send("POST", "/v1/auth/login", auth=False,
                              json={"username": self._username, "password": self._password})
        session = Session.from_json(response.json())
        with self._session_lock:
            self.session = session
        return session

    def _send(self, method: str, path: str, *, auth: bool = True,
              params: Mapping[str, Any] | None = None, json: Any = None,
              if_match: int | None = None, idempotency_key: str | None = None,
              ) -> httpx.Response:
        headers = {"Accept": "application/json"}
        if if_match is not None:
            headers["If-Match"] = _etag(if_match)
        if auth and method in WRITE_METHODS:
            headers["Idempotency-Key"] = idempotency_key or new_idempotency_key()
        relogged = False
        while True:
            if auth:
                headers["Authorization"] = f"Bearer {self.session.token}"
            response, meta = self._transport.send(method, path, params=params, json=json,
                                                  headers=headers)
            self._local.meta = meta
            if response.status_code == 401 and auth and not relogged:
                relogged = True
                self.login()
                continue
            if response.status_code >= 400:
                raise error_for(response.status_code, _problem(response), meta)
            return response

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._send(method, path, **kwargs)
        return response.json() if response.content else None

    def _read_params(self, consistency: str | None, **params: Any) -> dict[str, Any]:
        return _query(consistency=consistency or self.consistency, **params)

    # -- tasks ------------------------------------------------------------------------------

    def create_task(self, title: str, *, description: str | None = None,
                    status: str | None = None, priority: str | None = None,
                    due_at: datetime | str | None = None, tags: Sequence[str] | None = None,
                    assignee: str | None = None, project: str | None = None,
                    idempotency_key: str | None = None) -> Task:
        given = {k: v for k, v in dict(description=description, status=status, priority=priority,
                                       due_at=due_at, tags=tags, assignee=assignee,
                                       project=project).items() if v is not None}
        body = _task_body(title=title, **given)
        return Task.from_json(self._json("POST", "/v1/tasks", json=body,
                                         idempotency_key=idempotency_key))

    def get_task(self, task_id: int, *, consistency: str | None = None) -> Task:
        return Task.from_json(self._json("GET", f"/v1/tasks/{int(task_id)}",
                                         params=self._read_params(consistency)))

    def update_task(self, task_id: int, *, if_match: int | None = None,
                    idempotency_key: str | None = None,
                    title: str | Unset = UNSET, description: str | Unset = UNSET,
                    status: str | Unset = UNSET, priority: str | Unset = UNSET,
                    due_at: datetime | str | None | Unset = UNSET,
                    tags: Sequence[str] | Unset = UNSET, assignee: str | None | Unset = UNSET,
                    project: str | None | Unset = UNSET) -> Task:
        """PATCH the given fields (None clears a nullable one). With `if_match` the change
        applies only at that version, else `PreconditionFailed` carries the current task."""
        body = _task_body(title=title, description=description, status=status,
                          priority=priority, due_at=due_at, tags=tags, assignee=assignee,
                          project=project)
        return Task.from_json(self._json("PATCH", f"/v1/tasks/{int(task_id)}", json=body,
                                         if_match=if_match, idempotency_key=idempotency_key))

    def delete_task(self, task_id: int, *, if_match: int | None = None,
                    idempotency_key: str | None = None) -> None:
        self._send("DELETE", f"/v1/tasks/{int(task_id)}", if_match=if_match,
                   idempotency_key=idempotency_key)

    def list_tasks(self, *, status: str | None = None, priority: str | None = None,
                   tag: str | None = None, assignee: str | None = None,
                   project: str | None = None, q: str | None = None,
                   due_before: datetime | str | None = None,
                   due_after: datetime | str | None = None, sort: str | None = None,
                   limit: int | None = None, cursor: str | None = None,
                   consistency: str | None = None) -> TaskPage:
        params = self._read_params(consistency, status=status, priority=priority, tag=tag,
                                   assignee=assignee, project=project, q=q,
                                   due_before=due_before, due_after=due_after, sort=sort,
                                   limit=limit, cursor=cursor)
        return TaskPage.from_json(self._json("GET", "/v1/tasks", params=params))

    def iter_tasks(self, *, status: str | None = None, priority: str | None = None,
                   tag: str | None = None, assignee: str | None = None,
                   project: str | None = None, q: str | None = None,
                   due_before: datetime | str | None = None,
                   due_after: datetime | str | None = None, sort: str | None = None,
                   page_size: int | None = None,
                   consistency: str | None = None) -> Iterator[Task]:
        """Every matching task, following `next_cursor` page after page."""
        cursor: str | None = None
        while True:
            page = self.list_tasks(status=status, priority=priority, tag=tag, assignee=assignee,
                                   project=project, q=q, due_before=due_before,
                                   due_after=due_after, sort=sort, limit=page_size,
                                   cursor=cursor, consistency=consistency)
            yield from page.items
            if not page.next_cursor:
                return
            cursor = page.next_cursor

    def task_history(self, task_id: int, *, consistency: str | None = None,
                     ) -> list[HistoryEntry]:
        data = self._json("GET", f"/v1/tasks/{int(task_id)}/history",
                          params=self._read_params(consistency))
        return [HistoryEntry.from_json(e) for e in data.get("items") or ()]

    # -- users ------------------------------------------------------------------------------

    def create_user(self, username: str, password: str, role: str = "member", *,
                    idempotency_key: str | None = None) -> User:
        data = self._json("POST", "/v1/users", idempotency_key=idempotency_key,
                          json={"username": username, "password": password, "role": role})
        return User.from_json(data or {"username": username, "role": role})

    def list_users(self) -> list[User]:
        data = self._json("GET", "/v1/users")
        items = data.get("items") if isinstance(data, Mapping) else data
        return [User.from_json(u) for u in items or ()]

    # -- cluster ----------------------------------------------------------------------------

    def cluster_status(self) -> ClusterStatus:
        """`GET /v1/cluster` as the answering node sees it; teaches the client every member."""
        status = ClusterStatus.from_json(self._json("GET", "/v1/cluster"))
        self._transport.learn_topology(status)
        return status

    def add_member(self, node_id: int, peer_addr: str, http_addr: str, *,
                   idempotency_key: str | None = None) -> Any:
        """Adds a learner (promoted by the cluster once caught up); returns the server's body."""
        return self._json("POST", "/v1/cluster/members", idempotency_key=idempotency_key,
                          json={"id": int(node_id), "peer_addr": peer_addr,
                                "http_addr": http_addr})

    def remove_member(self, node_id: int, *, idempotency_key: str | None = None) -> None:
        self._send("DELETE", f"/v1/cluster/members/{int(node_id)}",
                   idempotency_key=idempotency_key)

    def transfer_leader(self, to: int, *, idempotency_key: str | None = None) -> Any:
        return self._json("POST", "/v1/cluster/transfer-leader", json={"to": int(to)},
                          idempotency_key=idempotency_key)

    def metrics(self) -> NodeMetrics:
        """GET /metrics (no login needed) of the node this call reaches: pin the client with
        `pinned(node)` to choose which. `node_id` is the answering node's X-Raft-Node."""
        response = self._send("GET", "/metrics", auth=False)
        meta = self.last_meta
        return NodeMetrics.parse(response.text, node_id=meta.node_id if meta else None)


def _problem(response: httpx.Response) -> dict[str, Any]:
    """The problem+json body of an error answer (or a stand-in built from its text)."""
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict):
        return data
    return {"status": response.status_code, "title": response.reason_phrase,
            "detail": response.text[:500]}
