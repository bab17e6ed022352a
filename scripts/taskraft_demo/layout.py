"""`Layout`: where one demo lives: its directory, its node addresses, its ports and its files.

The default layout is the one docs/demo.md promises: nodes on 127.0.0.11-13 (peer :7000,
HTTP :8000), private MariaDB servers on 127.0.0.1:23211-23213, the supervisor on 127.0.0.1:8090,
the UI on 127.0.0.1:8501, everything on disk under .demo/. `ip_base` and the supervisor/UI ports
move a whole demo elsewhere (the tests run theirs on other addresses). Guarantees:
- The directory is created mode 0700: it holds the cluster secret and the admin password.
- `credential()` creates a secret file (mode 0600) on first use and returns the same content on
  every later run, so a restarted demo keeps its cluster secret and admin login.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class Layout:
    directory: Path
    nodes: int = 3
    ip_base: int = 10
    peer_port: int = 7000
    http_port: int = 8000
    mysql_port_base: int = 23200
    supervisor_port: int = 8090
    ui_port: int = 8501

    def node_ids(self) -> list[int]:
        return list(range(1, self.nodes + 1))

    def node_ip(self, node_id: int) -> str:
        return f"127.0.0.{self.ip_base + node_id}"

    def http_addr(self, node_id: int) -> str:
        return f"{self.node_ip(node_id)}:{self.http_port}"

    def node_urls(self) -> list[str]:
        return [f"http://{self.http_addr(i)}" for i in self.node_ids()]

    def mysql_port(self, node_id: int) -> int:
        return self.mysql_port_base + self.ip_base + node_id

    def mysql_dir(self, node_id: int) -> Path:
        return self.directory / f"mysql-n{node_id}"

    @staticmethod
    def database(node_id: int) -> str:
        return f"taskraft_n{node_id}"

    @property
    def supervisor_url(self) -> str:
        return f"http://{LOOPBACK}:{self.supervisor_port}"

    @property
    def ui_url(self) -> str:
        return f"http://{LOOPBACK}:{self.ui_port}"

    def create(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.directory.chmod(0o700)

    def credential(self, name: str) -> Path:
        """The file `name` in the demo directory, holding a random secret made on first use."""
        path = self.directory / name
        if not path.exists() or not path.read_text().strip():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_urlsafe(24) + "\n")
        path.chmod(0o600)
        return path
