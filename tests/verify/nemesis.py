"""The nemesis: a fault schedule drawn from a seed, executed against a running cluster.

`plan(seed, seconds, faults, n)` draws, from the seed alone, the sequence of faults with their
start offsets, hold times and random choices (targets by slot, partition shapes); the leader, when
a fault aims at it, is looked up when the fault starts. Faults (one at a time, each healed before
the next):
  kill / kill-leader        SIGKILL, hold, restart with the same data dir and database
  kill-all                  SIGKILL every node at once, restart all (acknowledged writes must
                            survive: they were fsynced)
  pause / pause-leader      SIGSTOP, hold, SIGCONT
  partition-leader          the leader cut off from every other node
  partition-random          a random minority cut off from the majority
  bridge                    two halves that only one bridge node can talk to both of
  one-way-leader            the leader's packets to the others are dropped (theirs still arrive)
  mysql-kill                a node's MariaDB server SIGKILLed, hold, restarted
  transfer-leader           POST /v1/cluster/transfer-leader to a random follower
  replace-member            DELETE /v1/cluster/members/{id} of a follower, kill it, wipe its
                            data dir and database, start it again empty with --join: it comes
                            back as a learner, catches up (by snapshot if need be) and is promoted
                            (the fault ends once it is a voter again)
Guarantees: every executed fault is appended to `events` (offset, fault, nodes, outcome);
a fault that raises is logged as "nemesis-error" (in `errors`) and the schedule goes on;
`heal_all()` (always called at the end, also after an error) removes every partition, resumes
paused processes, restarts dead nodes and MariaDB servers.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from harness import wait_until

FAULTS = ("kill", "kill-leader", "kill-all", "pause", "pause-leader", "partition-leader",
          "partition-random", "bridge", "one-way-leader", "mysql-kill", "transfer-leader",
          "replace-member")


@dataclass
class Step:
    at: float            # seconds after the start of the nemesis
    fault: str
    hold: float          # seconds the fault lasts
    pick: float          # a random number in [0, 1) for the fault's own choices
    shuffle: list[int] = field(default_factory=list)   # a permutation of node slots


def plan(seed: int, seconds: float, faults: tuple[str, ...] = FAULTS, n: int = 3,
         gap: tuple[float, float] = (1.0, 3.0), hold: tuple[float, float] = (2.0, 6.0),
         ) -> list[Step]:
    rng = random.Random(seed)
    steps, t = [], rng.uniform(*gap)
    while t < seconds:
        shuffle = list(range(1, n + 1))
        rng.shuffle(shuffle)
        step = Step(round(t, 2), rng.choice(faults), round(rng.uniform(*hold), 2), rng.random(),
                    shuffle)
        steps.append(step)
        t += step.hold + rng.uniform(*gap)
    return steps


class Nemesis:
    def __init__(self, cluster, network, steps: list[Step]):  # type: ignore[no-untyped-def]
        self.cluster = cluster
        self.network = network
        self.steps = steps
        self.events: list[dict[str, Any]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="verify-nemesis")
        self._t0 = 0.0
        self.errors: list[str] = []

    def start(self) -> Nemesis:
        self._t0 = time.monotonic()
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(120)
        self.heal_all()

    def schedule(self) -> list[dict[str, Any]]:
        return [asdict(s) for s in self.steps]

    def _log(self, fault: str, nodes: list[int], note: str = "") -> None:
        self.events.append({"at": round(time.monotonic() - self._t0, 2), "fault": fault,
                            "nodes": nodes, "note": note, "time_ns": time.monotonic_ns()})

    def _run(self) -> None:
        for step in self.steps:
            if self._stop.wait(max(0.0, self._t0 + step.at - time.monotonic())):
                return
            try:
                self._inject(step)
            except Exception as exc:  # noqa: BLE001 - logged and counted; heal_all() repairs
                self.errors.append(f"{step.fault}: {type(exc).__name__}: {exc}"[:300])
                self._log("nemesis-error", [], self.errors[-1])

    # -- the faults ---------------------------------------------------------------------------

    def _node(self, step: Step, leader: bool):  # type: ignore[no-untyped-def]
        if leader:
            found = self.leader()
            if found is not None:
                return found
        return self.cluster.node(step.shuffle[0])

    def leader(self):  # type: ignore[no-untyped-def]
        """The live node that calls itself leader with the highest term, or None."""
        best = None
        for node in self.cluster.live():
            status = self.cluster.status_from(node)
            me = status.node(node.id) if status else None
            if me is not None and me.role == "leader" and (best is None or status.term > best[0]):
                best = (status.term, node)
        return best[1] if best else None

    def _hold(self, step: Step) -> None:
        self._stop.wait(step.hold)

    def _inject(self, step: Step) -> None:
        f = step.fault
        if f in ("kill", "kill-leader"):
            node = self._node(step, f == "kill-leader")
            node.kill()
            self._log(f, [node.id])
            self._hold(step)
            node.restart()
            self._log("restart", [node.id])
        elif f == "kill-all":
            nodes = list(self.cluster.nodes.values())
            for node in nodes:
                if node.paused:
                    node.resume()
                node.kill()
            self._log(f, [n.id for n in nodes])
            self._stop.wait(min(step.hold, 1.0))
            for node in nodes:
                node.restart()
            self._log("restart", [n.id for n in nodes])
        elif f in ("pause", "pause-leader"):
            node = self._node(step, f == "pause-leader")
            node.pause()
            self._log(f, [node.id])
            self._hold(step)
            node.resume()
            self._log("resume", [node.id])
        elif f == "mysql-kill":
            node = self._node(step, False)
            node.mysql.kill()
            self._log(f, [node.id])
            self._hold(step)
            node.mysql.start()
            self._log("mysql-start", [node.id])
        elif f == "transfer-leader":
            leader = self.leader()
            others = [i for i in step.shuffle if leader is None or i != leader.id]
            to = others[0]
            try:
                self.cluster.admin().with_options(deadline=5.0).transfer_leader(to)
                note = "ok"
            except Exception as exc:  # noqa: BLE001 - a refused transfer is not a harness error
                note = f"{type(exc).__name__}: {exc}"[:200]
            self._log(f, [to], note)
            self._hold(step)
        elif f == "replace-member":
            self._replace_member(step)
        else:
            self._partition(step)

    def _replace_member(self, step: Step) -> None:
        leader = self.leader()
        if leader is None:
            self._log("replace-member", [], "skipped: no leader")
            return
        if not all(self._is_voter(i) for i in step.shuffle):
            self._log("replace-member", [], "skipped: not every node is a voter")
            return
        node = self.cluster.node(next(i for i in step.shuffle if i != leader.id))
        admin = self.cluster.admin().with_options(deadline=10.0)
        admin.remove_member(node.id)
        node.kill()
        node.wipe()
        self._log("replace-member", [node.id], "removed, killed, wiped")
        self._hold(step)
        node.start(join=leader.url)
        self._log("join", [node.id], f"via node {leader.id}")
        # The next membership change must not race this one's promotion (409 ConfChangePending).
        wait_until(lambda: self._is_voter(node.id), timeout=60, interval=0.5,
                   what=f"node {node.id} to be promoted after joining")
        self._log("promoted", [node.id])

    def _is_voter(self, node_id: int) -> bool:
        leader = self.leader()
        status = self.cluster.status_from(leader) if leader else None
        me = status.node(node_id) if status else None
        return bool(me and me.voter)

    def _partition(self, step: Step) -> None:
        f = step.fault
        ips = {i: self.cluster.node(i).ip for i in step.shuffle}
        if f in ("partition-leader", "one-way-leader"):
            leader = self._node(step, True)
            others = [i for i in step.shuffle if i != leader.id]
            for i in others:
                self.network.drop(leader.ip, ips[i])
                if f == "partition-leader":
                    self.network.drop(ips[i], leader.ip)
            self._log(f, [leader.id])
        elif f == "partition-random":
            minority = step.shuffle[:max(1, int(step.pick * ((len(ips) - 1) // 2)) + 1)]
            majority = [i for i in step.shuffle if i not in minority]
            self.network.partition([ips[i] for i in minority], [ips[i] for i in majority])
            self._log(f, minority, f"minority {minority} | majority {majority}")
        elif f == "bridge":
            bridge, rest = step.shuffle[0], step.shuffle[1:]
            half = len(rest) // 2
            a, b = rest[:half], rest[half:]
            self.network.partition([ips[i] for i in a], [ips[i] for i in b])
            self._log(f, [bridge], f"bridge {bridge} between {a} and {b}")
        else:
            raise ValueError(f"unknown fault {f!r}")
        self._hold(step)
        self.network.heal()
        self._log("heal", [])

    def heal_all(self) -> None:
        self.network.heal()
        for node in self.cluster.nodes.values():
            node.mysql.start()
            if node.is_running and node.paused:
                node.resume()
            elif node.process is not None and not node.is_running:
                node.restart()
        self._log("heal-all", [])
