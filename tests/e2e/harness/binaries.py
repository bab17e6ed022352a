"""Where the programs under test are: build/taskraftd and build/taskraft of the repository,
or the paths in the environment variables TASKRAFTD and TASKRAFT_CLI."""

from __future__ import annotations

import os
from pathlib import Path

from .waiting import HarnessError

REPO_ROOT = Path(__file__).resolve().parents[3]


def taskraftd_path() -> Path:
    return Path(os.environ.get("TASKRAFTD") or REPO_ROOT / "build" / "taskraftd")


def taskraft_cli_path() -> Path:
    return Path(os.environ.get("TASKRAFT_CLI") or REPO_ROOT / "build" / "taskraft")


def require_taskraftd() -> Path:
    """The taskraftd binary, or a HarnessError saying exactly what is missing."""
    path = taskraftd_path()
    if not (path.is_file() and os.access(path, os.X_OK)):
        raise HarnessError(
            f"taskraftd binary not found at {path}: build it (make build, or cmake --build "
            f"build --target taskraftd) or point TASKRAFTD at it")
    return path
