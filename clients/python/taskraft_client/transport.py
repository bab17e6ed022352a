"""Sends one HTTP request to a taskraft cluster, failing over between nodes.

Guarantees:
- A request is retried, on another node when there is one, after a connection error, a timeout,
  or a 502/503/504 answer. Any other answer (success or a 4xx/5xx the caller must see) is
  returned as it is, after one send.
- The next node is the one the failed node named in `X-Raft-Leader`, when the client knows that
  node's address (learned from the `X-Raft-Node` header of earlier answers or from
  `learn_topology`); otherwise the next node of the list. Calls start at the leader when known,
  except a node that failed in the last `suspect_for` seconds, which is not preferred. Once every node failed in a round,
  the client sleeps (exponential backoff with jitter, at least `Retry-After` up to
  `backoff_max`) before the next round.
- Retries re-send the exact same method, path, query, body and headers: a caller that put an
  `Idempotency-Key` in the headers gets exactly-once semantics from the server.
- It never runs past `deadline` seconds in total (each send is cut to the time left); then it
  raises `Unavailable`. With `failover=False` it sends once and raises `Unavailable` at once.
- It is safe to share between threads.
"""

from __future__ import annotations

import random
import threading
import time
from typing import Any, Mapping, Sequence

import httpx

from .errors import Unavailable
from .models import ClusterStatus, ResponseMeta

RETRY_STATUSES = frozenset({502, 503, 504})


def normalize_node(addr: str) -> str:
    """'127.0.0.11:8000' or 'http://127.0.0.11:8000/' -> 'http://127.0.0.11:8000'."""
    addr = addr.strip().rstrip("/")
    return addr if "://" in addr else f"http://{addr}"


def _int_header(headers: httpx.Headers, name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def response_meta(url: str, response: httpx.Response) -> ResponseMeta:
    leader = _int_header(response.headers, "X-Raft-Leader")
    return ResponseMeta(
        url=url,
        status=response.status_code,
        node_id=_int_header(response.headers, "X-Raft-Node"),
        leader_id=leader if leader else None,
        raft_index=_int_header(response.headers, "X-Raft-Index"),
    )


def _retry_after(response: httpx.Response) -> float:
    try:
        return max(0.0, float(response.headers.get("Retry-After", "0")))
    except ValueError:
        return 0.0


class FailoverTransport:
    """The node list, what the client learned about it, and the retry loop."""

    def __init__(self, nodes: Sequence[str], *, deadline: float = 30.0,
                 request_timeout: float = 5.0, connect_timeout: float = 1.0,
                 failover: bool = True, backoff_initial: float = 0.05,
                 backoff_max: float = 1.0, suspect_for: float = 2.0,
                 http: httpx.Client | None = None):
        if not nodes:
            raise ValueError("at least one node address is needed")
        self.nodes: list[str] = [normalize_node(n) for n in nodes]
        self.deadline = deadline
        self.request_timeout = request_timeout
        self.connect_timeout = connect_timeout
        self.failover = failover
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.suspect_for = suspect_for
        self._http = http or httpx.Client()
        self._owns_http = http is None
        self._lock = threading.Lock()
        self._current = self.nodes[0]
        self._url_of: dict[int, str] = {}
        self._failed_at: dict[str, float] = {}

    @property
    def current(self) -> str:
        """The node the next request goes to first."""
        with self._lock:
            return self._current

    def url_of(self, node_id: int) -> str | None:
        with self._lock:
            return self._url_of.get(node_id)

    def learn_topology(self, status: ClusterStatus) -> None:
        """Remembers every member's HTTP address (and, failing over, tries new members too)."""
        with self._lock:
            for node in status.nodes:
                if not node.http_addr:
                    continue
                url = normalize_node(node.http_addr)
                self._url_of[node.id] = url
                if self.failover and url not in self.nodes:
                    self.nodes.append(url)

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def send(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
             json: Any = None, headers: Mapping[str, str] | None = None,
             ) -> tuple[httpx.Response, ResponseMeta]:
        started = time.monotonic()
        give_up_at = started + self.deadline
        url = self.current
        tried: set[str] = set()
        backoff = self.backoff_initial
        attempts = 0
        last_meta: ResponseMeta | None = None
        cause: BaseException | None = None
        while True:
            left = give_up_at - time.monotonic()
            timeout = max(0.05, min(self.request_timeout, left))
            attempts += 1
            retry_after = 0.0
            hint: int | None = None
            try:
                response = self._http.request(
                    method, url + path, params=params, json=json, headers=headers,
                    timeout=httpx.Timeout(timeout, connect=min(self.connect_timeout, timeout)))
            except httpx.TransportError as exc:
                cause, last_meta = exc, None
            else:
                meta = self._learn(url, response)
                if response.status_code not in RETRY_STATUSES:
                    self._stick(meta)
                    return response, meta
                cause, last_meta, hint = None, meta, meta.leader_id
                retry_after = _retry_after(response)
            tried.add(url)
            with self._lock:
                self._failed_at[url] = time.monotonic()
            if not self.failover or time.monotonic() >= give_up_at:
                raise self._unavailable(method, path, started, attempts, last_meta, cause)
            url, exhausted = self._next(url, hint, tried)
            if exhausted:
                pause = min(max(backoff * random.uniform(0.5, 1.0), retry_after), self.backoff_max,
                            give_up_at - time.monotonic())
                if pause > 0:
                    time.sleep(pause)
                backoff = min(backoff * 2, self.backoff_max)
                tried.clear()
            if time.monotonic() >= give_up_at:
                raise self._unavailable(method, path, started, attempts, last_meta, cause)

    def _learn(self, url: str, response: httpx.Response) -> ResponseMeta:
        meta = response_meta(url, response)
        if meta.node_id is not None:
            with self._lock:
                self._url_of[meta.node_id] = url
        return meta

    def _stick(self, meta: ResponseMeta) -> None:
        """Next requests go to the leader when its address is known and it has not failed
        lately, else to the node that just answered (a follower forwards writes, so both work;
        the leader saves a hop)."""
        with self._lock:
            self._failed_at.pop(meta.url, None)
            leader_url = self._url_of.get(meta.leader_id) if meta.leader_id else None
            suspect = leader_url in self._failed_at and (
                time.monotonic() - self._failed_at[leader_url] < self.suspect_for)
            self._current = leader_url if leader_url and self.failover and not suspect \
                else meta.url

    def _next(self, url: str, hint: int | None, tried: set[str]) -> tuple[str, bool]:
        """The node to try after `url` failed, and whether this round has tried every node."""
        with self._lock:
            hinted = self._url_of.get(hint) if hint else None
            if hinted and hinted != url and hinted not in tried:
                return hinted, False
            start = self.nodes.index(url) if url in self.nodes else -1
            ring = self.nodes[start + 1:] + self.nodes[:start + 1]
            fresh = [n for n in ring if n not in tried]
            if fresh:
                return fresh[0], False
            return (hinted or ring[0]), True

    def _unavailable(self, method: str, path: str, started: float, attempts: int,
                     last_meta: ResponseMeta | None, cause: BaseException | None) -> Unavailable:
        waited = time.monotonic() - started
        last = (f"HTTP {last_meta.status} from {last_meta.url}" if last_meta
                else f"{type(cause).__name__}: {cause}" if cause else "nothing")
        return Unavailable(
            f"{method} {path}: no node served it after {attempts} attempt(s) in {waited:.1f} s "
            f"(last: {last})",
            attempts=attempts, last_status=last_meta.status if last_meta else None,
            last_meta=last_meta, cause=cause)
