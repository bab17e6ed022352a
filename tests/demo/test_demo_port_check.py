"""`python -m taskraft_demo` (what `make demo` runs) checks its addresses before it builds or
starts anything, and names the address that is taken and who holds it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from pathlib import Path

from demo_setup import demo_process


def run_demo(directory: Path) -> subprocess.CompletedProcess[str]:
    process = demo_process(directory, subprocess.PIPE)
    try:
        out, _ = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGTERM)  # it started instead of refusing: stop it cleanly
        out, _ = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, out, "")


def refused_while_held(directory: Path, ip: str, port: int) -> str:
    """The output of a demo run while this test listens on ip:port; the run must fail."""
    with socket.socket() as holder:
        holder.bind((ip, port))
        holder.listen()
        done = run_demo(directory)
    assert done.returncode == 1, done.stdout
    return done.stdout


def test_a_taken_node_port_is_named_with_its_holder_and_nothing_starts(tmp_path: Path):
    out = refused_while_held(tmp_path / "demo", "127.0.0.82", 8000)
    assert "127.0.0.82:8000 (node 2 HTTP API) is taken" in out
    assert f"pid {os.getpid()}" in out, "the process holding it is named"
    assert "127.0.0.81:8000" not in out and "127.0.0.83:8000" not in out
    assert "starting" not in out
    assert not (tmp_path / "demo" / "mysql-n1").exists(), "no MariaDB was started"
    assert not (tmp_path / "demo" / "n1").exists(), "no node was started"


def test_a_wildcard_listener_on_the_supervisor_port_is_named(tmp_path: Path):
    out = refused_while_held(tmp_path / "demo", "0.0.0.0", 18190)
    assert "127.0.0.1:18190 (demo supervisor) is taken" in out
    assert "listening on 0.0.0.0:18190" in out
