"""What the UI reads from its environment, read once per call and never cached.

- `TASKRAFT_NODES`: comma-separated base URLs of the cluster's nodes (required; the UI shows a
  readable message, not a traceback, when it is missing).
- `TASKRAFT_SUPERVISOR`: base URL of the local demo supervisor (optional); without it no
  control that acts on processes is shown.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    nodes: tuple[str, ...]
    supervisor: str | None


def load() -> Settings:
    nodes = tuple(n.strip() for n in os.environ.get("TASKRAFT_NODES", "").split(",") if n.strip())
    supervisor = os.environ.get("TASKRAFT_SUPERVISOR", "").strip().rstrip("/") or None
    return Settings(nodes=nodes, supervisor=supervisor)
