"""`WriteLoad`: a few threads creating tasks as fast as the cluster acknowledges them.

Each thread has its own failover client and creates tasks titled `<prefix>-<thread>-<seq>`
(unique, so duplicates and losses are both visible afterwards). Every acknowledged write is
recorded with the task the server returned; a write that ended in `Unavailable` has an unknown
outcome (it may or may not have been applied) and is recorded apart; any other error is a bug
and recorded as such. The load is bounded: it stops on `stop()`, after `max_seconds`, or after
`max_writes` per thread.
"""

from __future__ import annotations

import threading
import time
from typing import Callable

from taskraft_client import Client, Task, TaskraftError, Unavailable

from .waiting import wait_until


class WriteLoad:
    def __init__(self, make_client: Callable[[], Client], *, threads: int = 4,
                 prefix: str = "load", max_seconds: float = 60.0, max_writes: int = 2000):
        self._make_client = make_client
        self._prefix = prefix
        self._max_seconds = max_seconds
        self._max_writes = max_writes
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.acked: list[Task] = []
        self.unknown: list[tuple[str, Unavailable]] = []
        self.errors: list[tuple[str, BaseException]] = []
        self._threads = [threading.Thread(target=self._run, args=(i,), daemon=True,
                                          name=f"{prefix}-{i}") for i in range(threads)]

    def start(self) -> WriteLoad:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self, timeout: float = 60.0) -> None:
        """Stops and waits for every thread (each finishes its write in flight)."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout)
        stuck = [t.name for t in self._threads if t.is_alive()]
        assert not stuck, f"load threads still running after {timeout} s: {stuck}"

    @property
    def acked_count(self) -> int:
        with self._lock:
            return len(self.acked)

    def wait_for_acks(self, count: int, timeout: float) -> None:
        """Waits until `count` writes in total have been acknowledged."""
        wait_until(lambda: self.acked_count >= count, timeout=timeout,
                   what=f"{count} acknowledged writes",
                   diagnostics=lambda: f"acked={self.acked_count} unknown={len(self.unknown)} "
                                       f"errors={self.errors[:3]}")

    def titles_acked(self) -> dict[str, Task]:
        with self._lock:
            return {t.title: t for t in self.acked}

    def _run(self, index: int) -> None:
        ends_at = time.monotonic() + self._max_seconds
        try:
            client = self._make_client()
        except TaskraftError as exc:
            with self._lock:
                self.errors.append((f"{self._prefix}-{index} login", exc))
            return
        with client:
            for seq in range(self._max_writes):
                if self._stop.is_set() or time.monotonic() >= ends_at:
                    return
                title = f"{self._prefix}-{index}-{seq}"
                try:
                    task = client.create_task(title, tags=[self._prefix])
                except Unavailable as exc:
                    with self._lock:
                        self.unknown.append((title, exc))
                except (TaskraftError, OSError) as exc:
                    with self._lock:
                        self.errors.append((title, exc))
                else:
                    with self._lock:
                        self.acked.append(task)
