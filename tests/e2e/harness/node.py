"""`Node`: one taskraftd process under test, started with the operator flags of API.md.

A Node owns its data directory, its log file (every start appends to the same file, after a
header line), its database on its own MariaDB server, and the process. Guarantees:
- `start()` spawns the process with exactly the documented flags (never from environment
  variables: TASKRAFT_* variables of the test's environment are removed) and returns at once;
  `wait_healthy()`/`wait_ready()` poll GET /healthz and /readyz with a deadline, failing early
  with the log tail if the process exits.
- `stop()` is SIGTERM (resuming a paused process first) and returns the exit code; `kill()` is
  SIGKILL; `pause()`/`resume()` are SIGSTOP/SIGCONT; `restart()` starts again with the flags of
  the last start; `wipe()` deletes the data directory and drops the database (stopped only).
- Every spawned process is registered with `procs`, so it is killed at interpreter exit at the
  latest.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Callable, Sequence

import httpx

from . import procs
from .binaries import require_taskraftd
from .mariadb import MariaDB
from .waiting import HarnessError, wait_until


class Node:
    def __init__(self, node_id: int, ip: str, *, workdir: Path, mysql: MariaDB, database: str,
                 secret_file: Path, admin_password_file: Path, binary: Path | None = None,
                 peer_port: int = 7000, http_port: int = 8000):
        self.id = node_id
        self.ip = ip
        self.peer_addr = f"{ip}:{peer_port}"
        self.http_addr = f"{ip}:{http_port}"
        self.url = f"http://{self.http_addr}"
        self.mysql = mysql
        self.database = database
        self.data_dir = Path(workdir) / f"n{node_id}" / "data"
        self.log_path = Path(workdir) / f"n{node_id}.log"
        self.secret_file = Path(secret_file)
        self.admin_password_file = Path(admin_password_file)
        self.binary = binary
        self.paused = False
        self.process: subprocess.Popen[bytes] | None = None
        self._last_args: tuple[str | None, str | None, tuple[str, ...]] = (None, None, ())

    def __repr__(self) -> str:
        state = "paused" if self.paused else "running" if self.is_running else "stopped"
        return f"Node({self.id} {self.http_addr} {state})"

    # -- the process ------------------------------------------------------------------------

    def command(self, *, initial_cluster: str | None = None, join: str | None = None,
                extra_args: Sequence[str] = ()) -> list[str]:
        binary = self.binary or require_taskraftd()
        cmd = [str(binary), "--id", str(self.id), "--peer-addr", self.peer_addr,
               "--http-addr", self.http_addr, "--data-dir", str(self.data_dir),
               "--mysql", self.mysql.dsn(self.database),
               "--cluster-secret-file", str(self.secret_file),
               "--admin-password-file", str(self.admin_password_file)]
        if initial_cluster:
            cmd += ["--initial-cluster", initial_cluster]
        if join:
            cmd += ["--join", join]
        return cmd + list(extra_args)

    def start(self, *, initial_cluster: str | None = None, join: str | None = None,
              extra_args: Sequence[str] = ()) -> None:
        if self.is_running:
            raise HarnessError(f"node {self.id} is already running (pid {self.pid})")
        cmd = self.command(initial_cluster=initial_cluster, join=join, extra_args=extra_args)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("TASKRAFT_")}
        with open(self.log_path, "ab") as log:
            log.write(f"==== harness: start at {time.strftime('%H:%M:%S')}: "
                      f"{' '.join(cmd)}\n".encode())
            log.flush()
            self.process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT, env=env,
                                            start_new_session=True)
        procs.register(self.process)
        self.paused = False
        self._last_args = (initial_cluster, join, tuple(extra_args))

    def restart(self, timeout: float = 20.0) -> None:
        """SIGTERM (if running), then start with the flags of the last start."""
        if self.is_running:
            self.stop(timeout)
        initial_cluster, join, extra = self._last_args
        self.start(initial_cluster=initial_cluster, join=join, extra_args=extra)

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    @property
    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def returncode(self) -> int | None:
        return self.process.poll() if self.process else None

    def _signal(self, sig: signal.Signals) -> None:
        if not self.is_running:
            raise HarnessError(f"node {self.id} is not running; cannot send {sig.name}")
        assert self.process is not None
        self.process.send_signal(sig)

    def stop(self, timeout: float = 20.0) -> int:
        """SIGTERM and wait for the exit; the exit code (the contract says 0). Past `timeout`
        the process is killed and HarnessError raised."""
        if not self.is_running:
            return self.returncode if self.returncode is not None else 0
        self._signal(signal.SIGTERM)
        if self.paused:
            self.resume()
        return self._wait_exit(timeout, "exit after SIGTERM")

    def kill(self) -> int:
        """SIGKILL: the crash of the machine as far as this node's process is concerned."""
        if not self.is_running:
            return self.returncode if self.returncode is not None else 0
        self._signal(signal.SIGKILL)
        self.paused = False
        return self._wait_exit(10.0, "die after SIGKILL")

    def pause(self) -> None:
        self._signal(signal.SIGSTOP)
        self.paused = True

    def resume(self) -> None:
        self._signal(signal.SIGCONT)
        self.paused = False

    def _wait_exit(self, timeout: float, what: str) -> int:
        assert self.process is not None
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
            raise HarnessError(f"node {self.id} did not {what} within {timeout:.0f} s; killed\n"
                               f"{self.log_tail()}") from None
        procs.forget(self.process)
        return code

    def wipe(self) -> None:
        """Loses everything the node had: data directory and database (node must be down)."""
        if self.is_running:
            raise HarnessError(f"node {self.id} is running; stop or kill it before wiping")
        shutil.rmtree(self.data_dir, ignore_errors=True)
        self.mysql.drop_database(self.database)

    # -- probes -----------------------------------------------------------------------------

    def probe(self, path: str, timeout: float = 1.0) -> int | None:
        """Status of GET `path` on this node, or None when nothing answered."""
        try:
            return httpx.get(self.url + path, timeout=timeout).status_code
        except httpx.HTTPError:
            return None

    def healthy(self) -> bool:
        return self.probe("/healthz") == 200

    def ready(self) -> bool:
        return self.probe("/readyz") == 200

    def wait_healthy(self, timeout: float = 20.0) -> None:
        self._wait_probe(self.healthy, timeout, "/healthz to answer 200")

    def wait_ready(self, timeout: float = 30.0) -> None:
        self._wait_probe(self.ready, timeout, "/readyz to answer 200")

    def _wait_probe(self, probe_ok: Callable[[], bool], timeout: float, what: str) -> None:
        def ok() -> bool:
            if not self.is_running:
                raise HarnessError(f"node {self.id} exited with code {self.returncode} while "
                                   f"waiting for {what}\n{self.log_tail()}")
            return probe_ok()

        wait_until(ok, timeout=timeout, what=f"node {self.id} {what}", diagnostics=self.log_tail)

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()[-lines:]
        except OSError:
            text = ["(no log yet)"]
        body = "\n".join(f"  | {line}" for line in text)
        return f"--- node {self.id} ({self.http_addr}) log tail, {self.log_path}:\n{body}"
