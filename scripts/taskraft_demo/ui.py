"""`UI`: the Streamlit UI of the demo (ui/app.py), when it exists, as one child process.

It runs `.venv/bin/streamlit run ui/app.py` on 127.0.0.1 (headless), with TASKRAFT_NODES (the
nodes' API URLs) and TASKRAFT_SUPERVISOR (the supervisor URL) in its environment and no other
TASKRAFT_* variable (TASKRAFT_MYSQL may carry a password). Output goes to a log file. Guarantees:
- `start()` returns at once; `wait_answering()` polls Streamlit's health endpoint.
- `stop()` sends SIGTERM to the UI's process group, SIGKILL after 10 s; safe when not started.
- The process is registered with the harness's `procs`, so it dies at interpreter exit anyway.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import httpx

from harness import REPO_ROOT, HarnessError, procs, wait_until

from .layout import LOOPBACK, Layout

APP = REPO_ROOT / "ui" / "app.py"
STREAMLIT = REPO_ROOT / ".venv" / "bin" / "streamlit"


class UI:
    def __init__(self, layout: Layout, log_path: Path):
        self.layout = layout
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    @staticmethod
    def missing() -> str | None:
        """Why the UI cannot run here, or None."""
        if not APP.is_file():
            return f"{APP.relative_to(REPO_ROOT)} does not exist yet"
        if not os.access(STREAMLIT, os.X_OK):
            return f"{STREAMLIT.relative_to(REPO_ROOT)} is missing (scripts/bootstrap installs it)"
        return None

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TASKRAFT_")}
        env["TASKRAFT_NODES"] = ",".join(self.layout.node_urls())
        env["TASKRAFT_SUPERVISOR"] = self.layout.supervisor_url
        cmd = [str(STREAMLIT), "run", str(APP), "--server.address", LOOPBACK,
               "--server.port", str(self.layout.ui_port), "--server.headless", "true"]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL,
                                            stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        procs.register(self.process)

    def wait_answering(self, timeout: float) -> None:
        def answers() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                raise HarnessError(f"the UI exited with code {self.process.returncode} "
                                   f"(see {self.log_path})")
            return httpx.get(f"{self.layout.ui_url}/_stcore/health", timeout=1).status_code == 200

        wait_until(answers, timeout=timeout, what=f"the UI at {self.layout.ui_url} to answer")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        procs.forget(self.process)
