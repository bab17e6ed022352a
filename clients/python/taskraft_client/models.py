"""The values the taskraft API returns, as immutable dataclasses.

Each `from_json` accepts exactly the shapes of shared/API.md and keeps the decoded JSON in
`raw` (excluded from equality), so fields the server adds later are not lost. Timestamps are
parsed into timezone-aware `datetime`s; `to_rfc3339` is the inverse used for request bodies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Mapping

JSON = dict[str, Any]


def parse_time(value: Any) -> datetime | None:
    """RFC 3339 text (or null) from the API -> aware datetime (or None)."""
    if value is None:
        return None
    return datetime.fromisoformat(str(value))


def to_rfc3339(value: datetime | str) -> str:
    """A datetime (naive means UTC) or ready-made text -> the RFC 3339 UTC text the API takes."""
    if isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Task:
    id: int
    title: str
    description: str
    status: str
    priority: str
    due_at: datetime | None
    tags: tuple[str, ...]
    assignee: str | None
    project: str | None
    created_by: str | None
    created_at: datetime | None
    updated_at: datetime | None
    version: int
    raw: JSON = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Task:
        return cls(
            id=int(data["id"]),
            title=str(data["title"]),
            description=str(data.get("description") or ""),
            status=str(data["status"]),
            priority=str(data.get("priority") or "medium"),
            due_at=parse_time(data.get("due_at")),
            tags=tuple(str(t) for t in data.get("tags") or ()),
            assignee=data.get("assignee"),
            project=data.get("project"),
            created_by=data.get("created_by"),
            created_at=parse_time(data.get("created_at")),
            updated_at=parse_time(data.get("updated_at")),
            version=int(data["version"]),
            raw=dict(data),
        )


@dataclass(frozen=True)
class TaskPage:
    """One page of `GET /v1/tasks`; `next_cursor` is None on the last page."""

    items: tuple[Task, ...]
    next_cursor: str | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TaskPage:
        return cls(
            items=tuple(Task.from_json(t) for t in data.get("items") or ()),
            next_cursor=data.get("next_cursor"),
        )


@dataclass(frozen=True)
class HistoryEntry:
    version: int
    raft_index: int
    raft_term: int
    at: datetime | None
    actor: str | None
    op: str
    changes: Any
    raw: JSON = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> HistoryEntry:
        return cls(
            version=int(data["version"]),
            raft_index=int(data["raft_index"]),
            raft_term=int(data["raft_term"]),
            at=parse_time(data.get("at")),
            actor=data.get("actor"),
            op=str(data["op"]),
            changes=data.get("changes"),
            raw=dict(data),
        )


@dataclass(frozen=True)
class User:
    username: str
    role: str
    raw: JSON = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> User:
        return cls(username=str(data["username"]), role=str(data.get("role") or ""), raw=dict(data))


@dataclass(frozen=True)
class Session:
    """What `POST /v1/auth/login` returned: the bearer token and who it belongs to."""

    token: str
    expires_at: datetime | None
    user: User | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Session:
        user = data.get("user")
        if isinstance(user, Mapping):
            parsed_user: User | None = User.from_json(user)
        elif isinstance(user, str):
            parsed_user = User(username=user, role="", raw={"username": user})
        else:
            parsed_user = None
        return cls(token=str(data["token"]), expires_at=parse_time(data.get("expires_at")),
                   user=parsed_user)


@dataclass(frozen=True)
class ClusterNode:
    id: int
    peer_addr: str
    http_addr: str
    role: str
    voter: bool
    reachable: bool
    match_index: int | None
    applied_index: int | None
    raw: JSON = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ClusterNode:
        def opt_int(key: str) -> int | None:
            value = data.get(key)
            return None if value is None else int(value)

        return cls(
            id=int(data["id"]),
            peer_addr=str(data.get("peer_addr") or ""),
            http_addr=str(data.get("http_addr") or ""),
            role=str(data.get("role") or ""),
            voter=bool(data.get("voter")),
            reachable=bool(data.get("reachable")),
            match_index=opt_int("match_index"),
            applied_index=opt_int("applied_index"),
            raw=dict(data),
        )


@dataclass(frozen=True)
class ClusterStatus:
    """`GET /v1/cluster` as seen by the node that answered (`leader_id` None: none known)."""

    cluster_id: str
    leader_id: int | None
    term: int
    commit_index: int
    nodes: tuple[ClusterNode, ...]
    raw: JSON = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ClusterStatus:
        leader = int(data.get("leader_id") or 0)
        return cls(
            cluster_id=str(data.get("cluster_id") or ""),
            leader_id=leader or None,
            term=int(data.get("term") or 0),
            commit_index=int(data.get("commit_index") or 0),
            nodes=tuple(ClusterNode.from_json(n) for n in data.get("nodes") or ()),
            raw=dict(data),
        )

    def node(self, node_id: int) -> ClusterNode | None:
        return next((n for n in self.nodes if n.id == node_id), None)


@dataclass(frozen=True)
class ResponseMeta:
    """The Raft headers of one response: who answered, whom it believes leads, the log index."""

    url: str
    status: int
    node_id: int | None
    leader_id: int | None
    raft_index: int | None
