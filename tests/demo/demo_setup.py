"""What the demo tests share: the demo package on sys.path, the stand-in binary, the test
layout (nodes on 127.0.0.71-73, MariaDB on 23271-23273, partitions in TASKRAFT-DEMO-TEST), and
`demo_process()`, the demo program itself (`python -m taskraft_demo`, as `make demo` runs it)
on yet other addresses (nodes 127.0.0.81-83, supervisor :18190, UI :18591). All of them are
apart from the real demo's addresses and chain, so a running `make demo` is never disturbed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import IO

from harness import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "scripts"))

from taskraft_demo.layout import Layout  # noqa: E402

IP_BASE = 70
CHAIN = "TASKRAFT-DEMO-TEST"
FAKE = REPO_ROOT / "tests" / "e2e" / "fake_taskraftd.py"


def layout_in(directory: Path) -> Layout:
    return Layout(directory, ip_base=IP_BASE)


PROCESS_ARGS = ["--ip-base", "80", "--supervisor-port", "18190", "--ui-port", "18591"]


def process_layout(directory: Path) -> Layout:
    """The layout `demo_process(directory)` runs with."""
    return Layout(directory, ip_base=80, supervisor_port=18190, ui_port=18591)


def demo_process(directory: Path, output: IO[str] | int) -> subprocess.Popen[str]:
    """The demo program on the stand-in binary, writing its output to `output`."""
    env = dict(os.environ, TASKRAFTD=str(FAKE),
               PYTHONPATH=os.pathsep.join(str(REPO_ROOT / p) for p in
                                          ("scripts", "tests/e2e", "clients/python")))
    env.pop("TASKRAFT_MYSQL", None)
    return subprocess.Popen([sys.executable, "-m", "taskraft_demo", "--dir", str(directory),
                             *PROCESS_ARGS], cwd=REPO_ROOT, env=env, stdout=output,
                            stderr=subprocess.STDOUT, text=True)
