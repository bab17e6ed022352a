"""Failover time: from kill -9 of the leader to the next acknowledged write.

    .venv/bin/python bench/failover_timing.py [--kills 10] [--writers 4] [--ip-base 170]

Starts a 3-node cluster of build/taskraftd (or $TASKRAFTD), each node with its own private
MariaDB, in a temporary directory. A few writer threads create tasks without pause through the
failover client (all nodes, short per-request timeout). Then, `--kills` times: kill -9 the
leader, note when the first write sent after the kill is acknowledged, restart the killed node and wait until
it is ready and the cluster has one leader again. Prints each kill and then the median and the
worst time. This is a measurement, not a test: it prints figures and never fails on a timer.
Everything it started is stopped at the end, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "clients" / "python"), str(ROOT / "tests" / "e2e")]

from harness import Cluster, private_cluster, require_taskraftd  # noqa: E402
from taskraft_client import TaskraftError  # noqa: E402


class AckClock:
    """Writer threads that record, for every acknowledged create, when it was sent and when it
    was acknowledged (monotonic clock)."""

    def __init__(self, cluster: Cluster, writers: int):
        self._cluster = cluster
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._acks: list[tuple[float, float]] = []  # (sent, acknowledged)
        self.failures = 0
        self._threads = [threading.Thread(target=self._run, args=(i,), daemon=True)
                         for i in range(writers)]

    def start(self) -> AckClock:
        for t in self._threads:
            t.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(30)

    def _run(self, n: int) -> None:
        with self._cluster.client(deadline=30.0, request_timeout=1.0) as client:
            seq = 0
            while not self._stop.is_set():
                seq += 1
                sent = time.monotonic()
                try:
                    client.create_task(f"failover-{n}-{seq}")
                except TaskraftError:
                    with self._lock:
                        self.failures += 1
                    continue
                with self._lock:
                    self._acks.append((sent, time.monotonic()))

    def first_ack_after(self, t0: float, timeout: float = 60.0) -> float | None:
        """When the first write sent after `t0` was acknowledged (a write sent before the kill
        may still be answered after it, relayed by a follower: that is not a new write)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                later = [acked for sent, acked in self._acks if sent > t0]
            if later:
                return min(later)
            time.sleep(0.005)
        return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=10)
    ap.add_argument("--writers", type=int, default=4)
    ap.add_argument("--ip-base", type=int, default=170, help="nodes on 127.0.0.(base+i)")
    args = ap.parse_args()
    binary = require_taskraftd()
    with tempfile.TemporaryDirectory(prefix="taskraft-failover-") as tmp:
        print("[failover] starting 3 MariaDB servers and 3 nodes ...", flush=True)
        with private_cluster(Path(tmp), ip_base=args.ip_base, binary=binary) as cluster:
            clock = AckClock(cluster, args.writers).start()
            try:
                return measure(cluster, clock, args.kills)
            finally:
                clock.stop()


def measure(cluster: Cluster, clock: AckClock, kills: int) -> int:
    times: list[float] = []
    for k in range(1, kills + 1):
        leader = cluster.leader(timeout=30)
        clock.first_ack_after(time.monotonic())  # writes are flowing again
        t0 = time.monotonic()
        leader.kill()
        acked = clock.first_ack_after(t0)
        if acked is None:
            print(f"[failover] kill {k}: node {leader.id} killed, no write acknowledged "
                  f"within 60 s", flush=True)
            return 1
        times.append(acked - t0)
        new = cluster.wait_for_leader(timeout=30, not_id=leader.id)
        print(f"[failover] kill {k}/{kills}: leader {leader.id} killed, next write "
              f"acknowledged after {times[-1] * 1000:.0f} ms (new leader {new.id})",
              flush=True)
        leader.restart()
        leader.wait_ready(60)
        cluster.wait_for_leader(timeout=30)
    print(f"\nfailover over {len(times)} kills of the leader (kill -9 -> next acknowledged "
          f"write): median {statistics.median(times) * 1000:.0f} ms, worst "
          f"{max(times) * 1000:.0f} ms, best {min(times) * 1000:.0f} ms; "
          f"{clock.failures} writes gave up after the client's 30 s deadline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
