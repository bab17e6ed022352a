"""The workload: concurrent logical clients doing task operations against random nodes.

Each of `clients` threads is one process of the history (`p0`, `p1`, ...). Per operation it picks,
from its own seeded random stream, an operation and a node: most requests go to one node chosen
at random with no failover (so followers' forwarding and ReadIndex are exercised, and a dead node
gives an unknown outcome), the rest through a failover client. Operations:
  create  a title no other create uses (`<process>.c<n>`), status todo
  read    a linearizable GET of a known id (404 is an ok read of "absent")
  update  a fresh unique title, or a random status; half of them with If-Match at the version
          this process last saw
  delete  with or without If-Match
  list    one page of GET /v1/tasks (each item is a linearizable read of that task)
Half of the writes are retried after an unknown outcome, up to three attempts, with the same
Idempotency-Key and body (on other nodes): the history holds one operation spanning all
attempts. Every outcome is classified as history.py defines: Unavailable (timeouts, lost
connections, 503s) and unexpected exceptions are unknown; answers are ok or fail.
Guarantees: `stop()` returns once every thread has completed its operation in flight, so the
history holds no operation still in flight; a thread that dies on an unexpected error leaves
the error in `errors` (the run reports it as a harness failure).
"""

from __future__ import annotations

import random
import threading
import uuid
from typing import Any, Callable

from taskraft_client import (ApiError, Client, NotFound, PreconditionFailed, Task, Unavailable)

from .history import FAIL, OK, UNKNOWN, History, Op

STATUSES = ("todo", "in_progress", "done")
WEIGHTS = {"create": 12, "read": 30, "update": 30, "delete": 6, "list": 8}


def task_dict(task: Task) -> dict[str, Any]:
    return {"id": task.id, "version": task.version, "title": task.title,
            "status": getattr(task.status, "value", task.status)}


class KeyPool:
    """Ids the clients know of, with the last version seen of each; picks favour recent ids so
    several clients contend on the same tasks."""

    def __init__(self, hot: int = 8):
        self._lock = threading.Lock()
        self._ids: list[int] = []
        self._version: dict[int, int] = {}
        self._hot = hot

    def saw(self, task: dict[str, Any]) -> None:
        with self._lock:
            if task["id"] not in self._version:
                self._ids.append(task["id"])
            self._version[task["id"]] = task["version"]

    def gone(self, key: int) -> None:
        with self._lock:
            if key in self._version:
                self._ids.remove(key)
                del self._version[key]

    def pick(self, rng: random.Random) -> tuple[int, int] | None:
        with self._lock:
            if not self._ids:
                return None
            key = rng.choice(self._ids[-self._hot:])
            return key, self._version[key]


class Workload:
    def __init__(self, cluster, history: History, seed: int, clients: int = 10, *,  # type: ignore[no-untyped-def]
                 request_timeout: float = 2.0, deadline: float = 5.0, think: float = 0.02):
        self.cluster = cluster
        self.history = history
        self.keys = KeyPool()
        self._seed = seed
        self._request_timeout = request_timeout
        self._deadline = deadline
        self._think = think
        self._stop = threading.Event()
        self.errors: list[str] = []
        self._threads = [threading.Thread(target=self._run, args=(f"p{i}",), daemon=True,
                                          name=f"verify-p{i}") for i in range(clients)]

    def start(self) -> Workload:
        self.cluster.admin()  # one login, before any fault, shared by every thread
        for t in self._threads:
            t.start()
        return self

    def stop(self, timeout: float = 60.0) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout)
        stuck = [t.name for t in self._threads if t.is_alive()]
        assert not stuck, f"workload threads still running after {timeout} s: {stuck}"

    def _run(self, process: str) -> None:
        try:
            self._loop(process)
        except Exception as exc:  # noqa: BLE001 - a dead client thread fails the run
            self.errors.append(f"{process}: {type(exc).__name__}: {exc}"[:500])

    def _loop(self, process: str) -> None:
        rng = random.Random(f"{self._seed}/{process}")
        admin: Client = self.cluster.admin()
        nodes = list(self.cluster.nodes.values())
        pinned = {n.url: admin.pinned(n.url, request_timeout=self._request_timeout)
                  for n in nodes}
        failover = admin.with_options(deadline=self._deadline,
                                      request_timeout=self._request_timeout)
        names = list(WEIGHTS)
        weights = [WEIGHTS[k] for k in names]
        seq = 0
        try:
            while not self._stop.is_set():
                seq += 1
                f = rng.choices(names, weights)[0]
                picked = self.keys.pick(rng)
                if picked is None and f != "list":
                    f = "create"
                if rng.random() < 0.7:
                    url = rng.choice(list(pinned))
                    client_of: Callable[[int], Client] = lambda attempt, u=url: (
                        pinned[u] if attempt == 0 else pinned[rng.choice(list(pinned))])
                    where = url
                else:
                    client_of, where = (lambda attempt: failover), "failover"
                getattr(self, f"_{f}")(process, seq, rng, picked, client_of, where)
                self._stop.wait(rng.uniform(0, self._think))
        finally:
            failover.close()
            for c in pinned.values():
                c.close()

    # -- one operation each -------------------------------------------------------------------

    def _attempts(self, rng: random.Random, op: Op, call: Callable[[Client], Any],
                  client_of: Callable[[int], Client], retry: bool) -> None:
        """Runs `call` (for a write, with one Idempotency-Key bound in) up to 3 times on unknown
        outcomes when `retry`, then completes `op` with the outcome."""
        attempts = 3 if retry else 1
        for attempt in range(attempts):
            op.args["attempts"] = attempt + 1
            try:
                result = call(client_of(attempt))
            except Unavailable as exc:
                if attempt + 1 < attempts and not self._stop.is_set():
                    continue
                self.history.complete(op, UNKNOWN, error=f"unavailable: {exc}"[:300])
            except (NotFound, PreconditionFailed) as exc:
                current = task_dict(exc.current) if isinstance(exc, PreconditionFailed) and \
                    exc.current else None
                if current:
                    self.keys.saw(current)
                if isinstance(exc, NotFound) and op.key is not None:
                    self.keys.gone(op.key)
                self.history.complete(op, FAIL, value=current, error=str(exc.status))
            except ApiError as exc:
                self.history.complete(op, FAIL, error=str(exc.status))
            except Exception as exc:  # noqa: BLE001 - anything else: we cannot know
                self.history.complete(op, UNKNOWN, error=f"{type(exc).__name__}: {exc}"[:300])
            else:
                self.history.complete(op, OK, value=result)
            return

    def _create(self, process, seq, rng, picked, client_of, where) -> None:  # type: ignore[no-untyped-def]
        title = f"{process}.c{seq}"
        key = uuid.uuid4().hex
        op = self.history.invoke(process, "create", node=where, title=title, status="todo")

        def call(c: Client) -> dict[str, Any]:
            t = task_dict(c.create_task(title, status="todo", idempotency_key=key))
            self.keys.saw(t)
            return t
        self._attempts(rng, op, call, client_of, retry=rng.random() < 0.5)

    def _update(self, process, seq, rng, picked, client_of, where) -> None:  # type: ignore[no-untyped-def]
        key_id, version = picked
        fields: dict[str, Any] = ({"title": f"{process}.u{seq}"} if rng.random() < 0.5
                                  else {"status": rng.choice(STATUSES)})
        if_match = version if rng.random() < 0.5 else None
        key = uuid.uuid4().hex
        op = self.history.invoke(process, "update", key_id, node=where, if_match=if_match, **fields)

        def call(c: Client) -> dict[str, Any]:
            t = task_dict(c.update_task(key_id, if_match=if_match, idempotency_key=key, **fields))
            self.keys.saw(t)
            return t
        self._attempts(rng, op, call, client_of, retry=rng.random() < 0.5)

    def _delete(self, process, seq, rng, picked, client_of, where) -> None:  # type: ignore[no-untyped-def]
        key_id, version = picked
        if_match = version if rng.random() < 0.3 else None
        key = uuid.uuid4().hex
        op = self.history.invoke(process, "delete", key_id, node=where, if_match=if_match)

        def call(c: Client) -> None:
            c.delete_task(key_id, if_match=if_match, idempotency_key=key)
            self.keys.gone(key_id)
        self._attempts(rng, op, call, client_of, retry=rng.random() < 0.5)

    def _read(self, process, seq, rng, picked, client_of, where) -> None:  # type: ignore[no-untyped-def]
        key_id, _ = picked
        op = self.history.invoke(process, "read", key_id, node=where)

        def call(c: Client) -> dict[str, Any] | None:
            try:
                t = task_dict(c.get_task(key_id))
            except NotFound:
                return None
            self.keys.saw(t)
            return t
        self._attempts(rng, op, call, client_of, retry=False)

    def _list(self, process, seq, rng, picked, client_of, where) -> None:  # type: ignore[no-untyped-def]
        op = self.history.invoke(process, "list", node=where)

        def call(c: Client) -> list[dict[str, Any]]:
            items = [task_dict(t) for t in c.list_tasks(limit=50).items]
            for t in items:
                self.keys.saw(t)
            return items
        self._attempts(rng, op, call, client_of, retry=False)
