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


def _require(path: Path, target: str, variable: str) -> Path:
    """`path` when it is an executable file, else a HarnessError saying how to get one."""
    if not (path.is_file() and os.access(path, os.X_OK)):
        raise HarnessError(
            f"{target} binary not found at {path}: build it (make build, or cmake --build "
            f"build --target {target}) or point {variable} at it")
    return path


def require_taskraftd() -> Path:
    """The taskraftd binary, or a HarnessError saying exactly what is missing."""
    return _require(taskraftd_path(), "taskraftd", "TASKRAFTD")


def require_taskraft_cli() -> Path:
    """The taskraft CLI binary, or a HarnessError saying exactly what is missing."""
    return _require(taskraft_cli_path(), "taskraft", "TASKRAFT_CLI")
