"""Process bookkeeping shared by the harness: liveness checks and a last-resort reaper.

Every process the harness spawns is registered here; at interpreter exit any that still runs is
resumed (a SIGSTOPped process would otherwise linger) and killed with SIGKILL, so an aborted
test run leaves no taskraftd behind. Only processes the harness started are ever signalled.
"""

from __future__ import annotations

import atexit
import os
import signal
import subprocess
import threading
from pathlib import Path

_lock = threading.Lock()
_spawned: set[subprocess.Popen[bytes]] = set()


def alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def register(process: subprocess.Popen[bytes]) -> None:
    with _lock:
        _spawned.add(process)


def forget(process: subprocess.Popen[bytes]) -> None:
    with _lock:
        _spawned.discard(process)


def _reap_all() -> None:
    with _lock:
        leftovers = list(_spawned)
        _spawned.clear()
    for process in leftovers:
        if process.poll() is None:
            for sig in (signal.SIGCONT, signal.SIGKILL):
                try:
                    process.send_signal(sig)
                except ProcessLookupError:
                    break
            process.wait(timeout=10)


atexit.register(_reap_all)
