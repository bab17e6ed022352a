"""Each node's MySQL in the demo: its own private MariaDB server, or one shared server.

- `PrivateMySQL` is the harness's `MariaDB` (scripts/mariadb-private, one directory and port
  per node) plus a cheap liveness check (`running()` looks at the server's pid, no query), so
  one node's MySQL can be stopped and started alone.
- `SharedMySQL` is the server named by TASKRAFT_MYSQL (`mysql://user:password@host:port/`):
  every node uses it, with its own database. The demo does not own it, so it never starts or
  stops it: `start()`/`stop()` raise `Conflict`. `running()` is a TCP connect to it.
Both give `dsn(database)`, which is what a harness `Node` passes to taskraftd's --mysql.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from harness import MariaDB
from harness.procs import alive

from .errors import Conflict, DemoError


class PrivateMySQL(MariaDB):
    shared = False

    def running(self) -> bool:
        pid = self.pid()
        return pid is not None and alive(pid)


class SharedMySQL:
    shared = True

    def __init__(self, dsn: str):
        url = urlsplit(dsn)
        try:
            port = url.port or 3306
        except ValueError:
            port = -1
        if url.scheme != "mysql" or not url.hostname or port < 1 or url.path not in ("", "/"):
            raise DemoError(f"TASKRAFT_MYSQL={dsn!r} is not a server DSN like "
                            f"mysql://root:password@127.0.0.1:3306/ (no database: the nodes "
                            f"use taskraft_n1, taskraft_n2, ...)")
        self._base = f"mysql://{url.netloc}/"
        self.host, self.port = url.hostname, port

    def __repr__(self) -> str:
        return f"SharedMySQL({self.host}:{self.port})"

    def dsn(self, database: str) -> str:
        return self._base + database

    def running(self) -> bool:
        try:
            with socket.create_connection((self.host, self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def start(self) -> str:
        raise Conflict(self._not_ours())

    def stop(self) -> None:
        raise Conflict(self._not_ours())

    def _not_ours(self) -> str:
        return (f"every node uses the shared server TASKRAFT_MYSQL ({self.host}:{self.port}); "
                f"the demo does not own it, so it cannot stop or start it for one node")
