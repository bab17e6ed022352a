"""What the demo tests share: the demo package on sys.path, the stand-in binary, and the test
layout (nodes on 127.0.0.71-73, MariaDB on 33271-33273, partitions in TASKRAFT-DEMO-TEST), apart
from the real demo's addresses and chain so a running `make demo` is never disturbed."""

from __future__ import annotations

import sys
from pathlib import Path

from harness import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "scripts"))

from taskraft_demo.layout import Layout  # noqa: E402

IP_BASE = 70
CHAIN = "TASKRAFT-DEMO-TEST"
FAKE = REPO_ROOT / "tests" / "e2e" / "fake_taskraftd.py"


def layout_in(directory: Path) -> Layout:
    return Layout(directory, ip_base=IP_BASE)
