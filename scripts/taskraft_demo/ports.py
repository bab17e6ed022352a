"""Which of the demo's TCP addresses are already taken, said exactly (and by whom, if known).

`taken(wanted)` tries to bind each (ip, port) the way a server does (SO_REUSEADDR, so a port
that only has connections in TIME_WAIT counts as free) and returns one line per address that
cannot be bound: what it is for, the address, and the listening process when `ss` can tell.
A listener on the wildcard address (0.0.0.0:PORT) takes PORT on every IP and is reported too.
Nothing is left bound: each probe socket is closed at once.
"""

from __future__ import annotations

import re
import socket
import subprocess
from typing import Iterable, NamedTuple


class Address(NamedTuple):
    ip: str
    port: int
    purpose: str

    def __str__(self) -> str:
        return f"{self.ip}:{self.port}"


def _bindable(ip: str, port: int) -> OSError | None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((ip, port))
        except OSError as exc:
            return exc
    return None


def listener(ip: str, port: int) -> str | None:
    """`name (pid N) listening on ADDR` for the process holding `ip`:`port` (itself or through
    a wildcard address), when `ss` tells."""
    try:
        done = subprocess.run(["ss", "-H", "-ltnp", f"sport = :{port}"], capture_output=True,
                              text=True, timeout=5, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in done.stdout.splitlines():
        fields = line.split()
        local = fields[3] if len(fields) > 3 else "?"
        if local.rsplit(":", 1)[0] not in (ip, "0.0.0.0", "*", "[::]"):
            continue
        found = re.search(r'\("([^"]+)",pid=(\d+)', line)
        if found:
            return f"{found.group(1)} (pid {found.group(2)}) listening on {local}"
        return f"a process listening on {local}"
    return None


def taken(wanted: Iterable[Address]) -> list[str]:
    problems = []
    for address in wanted:
        error = _bindable(address.ip, address.port)
        if error is not None:
            owner = listener(address.ip, address.port)
            problems.append(f"{address} ({address.purpose}) is taken"
                            + (f": {owner}" if owner else f": {error.strerror}"))
    return problems
