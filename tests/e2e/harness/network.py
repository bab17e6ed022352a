"""`Network`: partitions between the loopback addresses of nodes, with iptables.

Every rule lives in the caller's own chain of the filter table (default TASKRAFT-E2E for the
tests; the demo supervisor uses TASKRAFT-DEMO, so neither ever touches the other's rules). The
chain is reached from one jump rule at the top of INPUT that matches only loopback traffic
(`-s 127.0.0.0/8 -d 127.0.0.0/8`), and the chain itself only drops packets between the node
addresses it was given, so all other traffic on the machine is untouched. Packets are dropped on
the receiving side (INPUT), as a real network loses them: senders see timeouts, never errors.

Guarantees:
- Only this chain and its jump rule are ever created, changed or deleted; no table is flushed.
- Node addresses must be in 127.0.0.0/8 and not 127.0.0.1: the test process and MySQL talk from
  127.0.0.1, so a partition never cuts the test's own view of a node or a node's database.
- `heal()` removes every drop; `close()` also removes the jump rule and the chain. `close()` runs
  at interpreter exit at the latest, and `open()` first removes what a crashed run left behind.
"""

from __future__ import annotations

import atexit
import ipaddress
import os
import subprocess
from typing import Iterable

from .waiting import HarnessError

LOOPBACK = "127.0.0.0/8"


def _iptables() -> str:
    return os.environ.get("TASKRAFT_IPTABLES", "iptables")


def check_node_ip(ip: str) -> str:
    addr = ipaddress.ip_address(ip)
    if addr not in ipaddress.ip_network(LOOPBACK) or str(addr) == "127.0.0.1":
        raise HarnessError(f"{ip}: partitions only apply to node addresses in 127.0.0.0/8 "
                           f"other than 127.0.0.1")
    return str(addr)


class Network:
    def __init__(self, chain: str = "TASKRAFT-E2E"):
        if not chain.startswith("TASKRAFT-") or len(chain) > 28:
            raise HarnessError(f"chain name {chain!r}: must start with TASKRAFT-, <= 28 chars")
        self.chain = chain
        self._jump = ["INPUT", "-s", LOOPBACK, "-d", LOOPBACK, "-j", chain]
        self._open = False

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([_iptables(), "-w", "10", *args], capture_output=True, text=True,
                              timeout=30, check=False)
        if check and done.returncode != 0:
            raise HarnessError(f"iptables {' '.join(args)} failed: {done.stderr.strip()}")
        return done

    def _chain_exists(self) -> bool:
        return self._run("-n", "-L", self.chain, check=False).returncode == 0

    def open(self) -> Network:
        """Creates the (empty) chain and its jump rule, after removing leftovers."""
        self._remove()
        self._run("-N", self.chain)
        self._run("-I", self._jump[0], "1", *self._jump[1:])
        self._open = True
        atexit.register(self.close)
        return self

    def __enter__(self) -> Network:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Removes the jump rule and the chain; safe to call any number of times."""
        if self._open:
            self._remove()
            self._open = False

    def _remove(self) -> None:
        while self._run("-C", *self._jump, check=False).returncode == 0:
            self._run("-D", *self._jump)
        if self._chain_exists():
            self._run("-F", self.chain)
            self._run("-X", self.chain)

    def _require_open(self) -> None:
        if not self._open:
            raise HarnessError("Network is not open: call open() (or use the fixture) first")

    def drop(self, src: str, dst: str) -> None:
        """One-way: packets from `src` to `dst` are lost (replies from dst to src still flow,
        so a TCP connection in either direction cannot be established)."""
        self._require_open()
        self._run("-A", self.chain, "-s", f"{check_node_ip(src)}/32",
                  "-d", f"{check_node_ip(dst)}/32", "-j", "DROP")

    def cut(self, a: str, b: str) -> None:
        """Both ways between `a` and `b`."""
        self.drop(a, b)
        self.drop(b, a)

    def partition(self, side_a: Iterable[str], side_b: Iterable[str]) -> None:
        """No packet crosses between the two sides; each side still talks within itself."""
        side_b = list(side_b)
        for a in side_a:
            for b in side_b:
                self.cut(a, b)

    def isolate(self, ip: str, others: Iterable[str]) -> None:
        self.partition([ip], [o for o in others if o != ip])

    def heal(self) -> None:
        """Removes every drop: the network is whole again."""
        self._require_open()
        self._run("-F", self.chain)

    def rules(self) -> list[str]:
        """The drop rules in force, as `iptables -S` prints them."""
        if not self._chain_exists():
            return []
        lines = self._run("-S", self.chain).stdout.splitlines()
        return [line for line in lines if line.startswith("-A ")]

    def installed_anywhere(self) -> list[str]:
        """Every line of the filter table that mentions this chain (empty once closed)."""
        return [line for line in self._run("-S").stdout.splitlines() if self.chain in line]


def iptables_usable() -> str | None:
    """None when iptables can be used here, else why not (for skipping harness self-tests)."""
    if os.geteuid() != 0:
        return "iptables partitions need root"
    try:
        done = subprocess.run([_iptables(), "-w", "10", "-n", "-L", "INPUT"],
                              capture_output=True, text=True, timeout=30, check=False)
    except FileNotFoundError:
        return f"{_iptables()} is not installed"
    return None if done.returncode == 0 else f"iptables does not work: {done.stderr.strip()}"
