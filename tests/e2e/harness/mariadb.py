"""`MariaDB`: one private MariaDB server for one node, through scripts/mariadb-private.

Each node gets its own server (its own directory and port), so one node's MySQL can be stopped,
crashed or restarted while the others keep running. Guarantees:
- `start()` returns once the server answers queries (the script waits) and is idempotent;
  `stop()` is a clean shutdown and succeeds when already stopped; `kill()` is a crash (SIGKILL).
- `query`/`drop_database` use the `mariadb` command-line client over TCP, as root.
- Failures raise HarnessError with the script's own message.
- First starts (which run mariadb-install-db) are serialized within this process: concurrent
  installs share /tmp as their tmpdir and fail on each other's temporary tables. Starts of
  installed servers still run in parallel.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Sequence

from .binaries import REPO_ROOT
from .procs import alive
from .waiting import HarnessError, wait_until


_installing = threading.Lock()


def _script() -> Path:
    return Path(os.environ.get("TASKRAFT_MARIADB_PRIVATE")
                or REPO_ROOT / "scripts" / "mariadb-private")


class MariaDB:
    def __init__(self, directory: Path, port: int):
        self.directory = Path(directory)
        self.port = port

    def __repr__(self) -> str:
        return f"MariaDB(port={self.port}, dir={self.directory})"

    def _run(self, *args: str, timeout: float = 90.0) -> subprocess.CompletedProcess[str]:
        script = _script()
        if not script.exists():
            raise HarnessError(f"{script} is missing (it starts the private MariaDB servers)")
        return subprocess.run([str(script), *args], capture_output=True, text=True,
                              timeout=timeout, check=False)

    def start(self) -> str:
        """Starts the server (if it is not running) and returns its DSN without database."""
        if (self.directory / "data" / "mysql").is_dir():
            done = self._run("start", str(self.directory), str(self.port))
        else:
            with _installing:
                done = self._run("start", str(self.directory), str(self.port))
        if done.returncode != 0:
            raise HarnessError(f"mariadb-private start {self.directory} {self.port} failed:\n"
                               f"{done.stderr.strip()}")
        return done.stdout.strip()

    def stop(self) -> None:
        done = self._run("stop", str(self.directory))
        if done.returncode != 0:
            raise HarnessError(f"mariadb-private stop {self.directory} failed:\n"
                               f"{done.stderr.strip()}")

    def restart(self) -> str:
        self.stop()
        return self.start()

    def is_running(self) -> bool:
        return self._run("status", str(self.directory), timeout=30).returncode == 0

    def pid(self) -> int | None:
        try:
            return int((self.directory / "mariadbd.pid").read_text().strip())
        except (OSError, ValueError):
            return None

    def kill(self, timeout: float = 30.0) -> None:
        """Crashes the server with SIGKILL (InnoDB recovers on the next start)."""
        pid = self.pid()
        if pid is None:
            return
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        wait_until(lambda: not alive(pid), timeout=timeout, what=f"mariadbd {pid} to die")

    def dsn(self, database: str) -> str:
        """What taskraftd's --mysql takes: mysql://root@127.0.0.1:PORT/DATABASE."""
        return f"mysql://root@127.0.0.1:{self.port}/{database}"

    def query(self, sql: str, timeout: float = 30.0) -> list[list[str]]:
        """Runs SQL as root; the rows of the last statement as lists of text."""
        done = subprocess.run(
            ["mariadb", "--no-defaults", "--protocol=TCP", "-h", "127.0.0.1", "-P",
             str(self.port), "-u", "root", "--batch", "--skip-column-names",
             "--connect-timeout=5", "-e", sql],
            capture_output=True, text=True, timeout=timeout, check=False)
        if done.returncode != 0:
            raise HarnessError(f"query on port {self.port} failed: {done.stderr.strip()}")
        return [line.split("\t") for line in done.stdout.splitlines()]

    def databases(self) -> set[str]:
        return {row[0] for row in self.query("SHOW DATABASES")}

    def drop_database(self, name: str) -> None:
        if not name.replace("_", "").isalnum():
            raise HarnessError(f"refusing to drop a database with a strange name: {name!r}")
        self.query(f"DROP DATABASE IF EXISTS `{name}`")



def start_all(servers: Sequence[MariaDB]) -> None:
    """Starts every server (in parallel where the script allows); if one fails, stops them all
    before raising, so a failed setup leaves no server behind."""
    with ThreadPoolExecutor(len(servers) or 1) as pool:
        outcomes = [pool.submit(s.start) for s in servers]
        errors = [f.exception() for f in outcomes if f.exception() is not None]
    if errors:
        for server in servers:
            server.stop()
        raise errors[0]
