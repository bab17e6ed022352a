"""deploy/docker/entrypoint.sh, the node image's entrypoint, run with stand-ins for taskraftd,
`hostname` and `getent`: what it hands taskraftd for Compose (a MySQL DSN without the password,
which taskraftd reads from its file) and for a Kubernetes StatefulSet (id, addresses, --initial-cluster or --join from the
pod's ordinal, and nothing of that on a restart)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ENTRYPOINT = Path(__file__).resolve().parents[2] / "deploy" / "docker" / "entrypoint.sh"
PEERS = {"taskraft-0.taskraft-peers": "10.0.0.10", "taskraft-1.taskraft-peers": "10.0.0.11",
         "taskraft-2.taskraft-peers": "10.0.0.12"}


@pytest.fixture
def run(tmp_path: Path):
    """Runs the entrypoint as pod/host `hostname`; returns (TASKRAFT_* it execs taskraftd with, stderr)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "taskraftd").write_text("#!/bin/sh\nenv | grep '^TASKRAFT_' | sort\n")
    hosts = "".join(f'  {name}) echo "{ip}    STREAM {name}" ;;\n' for name, ip in PEERS.items())
    (bin_dir / "getent").write_text(f'#!/bin/sh\ncase "$2" in\n{hosts}  *) exit 2 ;;\nesac\n')
    for f in bin_dir.iterdir():
        f.chmod(0o755)

    def go(hostname: str = "node", **env: str) -> tuple[dict[str, str], str]:
        (bin_dir / "hostname").write_text(f"#!/bin/sh\necho {hostname}\n")
        (bin_dir / "hostname").chmod(0o755)
        full = {"PATH": f"{bin_dir}:/usr/bin:/bin", "TASKRAFTD": str(bin_dir / "taskraftd"),
                "TASKRAFT_DNS_WAIT": "0", **env}
        r = subprocess.run(["sh", str(ENTRYPOINT)], env=full, capture_output=True, text=True, timeout=10)
        assert r.returncode == 0, r.stderr
        out = dict(line.split("=", 1) for line in r.stdout.splitlines())
        return out, r.stderr

    return go


def test_compose_mysql_dsn_is_built_without_the_password_which_stays_in_its_file(run, tmp_path: Path):
    pw = tmp_path / "mysql_password"
    pw.write_text("p@ss:w/rd%")
    env, _ = run(TASKRAFT_MYSQL_HOST="mysql1", TASKRAFT_MYSQL_USER="task raft",
                 TASKRAFT_MYSQL_PASSWORD_FILE=str(pw), TASKRAFT_ID="1")
    assert env["TASKRAFT_MYSQL"] == "mysql://task%20raft@mysql1:3306/taskraft"
    assert env["TASKRAFT_MYSQL_PASSWORD_FILE"] == str(pw)  # taskraftd reads it itself
    assert not any("p@ss" in value for value in env.values())
    assert env["TASKRAFT_ID"] == "1"


def test_an_explicit_dsn_is_kept(run):
    env, _ = run(TASKRAFT_MYSQL="mysql://root:x@db:3306/t", TASKRAFT_MYSQL_HOST="ignored")
    assert env["TASKRAFT_MYSQL"] == "mysql://root:x@db:3306/t"


def test_statefulset_pod_of_the_initial_three_bootstraps(run, tmp_path: Path):
    env, _ = run("taskraft-1", TASKRAFT_ORDINAL_FROM_HOSTNAME="1", POD_IP="10.0.0.11",
                 TASKRAFT_SERVICE="taskraft-peers", TASKRAFT_DATA_DIR=str(tmp_path / "data"))
    assert env["TASKRAFT_ID"] == "2"
    assert env["TASKRAFT_PEER_ADDR"] == "10.0.0.11:7000"
    assert env["TASKRAFT_HTTP_ADDR"] == "10.0.0.11:8000"
    assert env["TASKRAFT_INITIAL_CLUSTER"] == "1=10.0.0.10:7000,2=10.0.0.11:7000,3=10.0.0.12:7000"
    assert "TASKRAFT_JOIN" not in env


def test_statefulset_pod_beyond_the_initial_three_joins(run, tmp_path: Path):
    env, _ = run("taskraft-3", TASKRAFT_ORDINAL_FROM_HOSTNAME="1", POD_IP="10.0.0.13",
                 TASKRAFT_SERVICE="taskraft-peers", TASKRAFT_DATA_DIR=str(tmp_path / "data"))
    assert env["TASKRAFT_ID"] == "4"
    assert env["TASKRAFT_JOIN"] == "http://taskraft:8000"
    assert "TASKRAFT_INITIAL_CLUSTER" not in env


def test_an_explicit_join_makes_an_empty_initial_pod_join(run, tmp_path: Path):
    env, _ = run("taskraft-0", TASKRAFT_ORDINAL_FROM_HOSTNAME="1", POD_IP="10.0.0.20",
                 TASKRAFT_SERVICE="taskraft-peers", TASKRAFT_DATA_DIR=str(tmp_path / "data"),
                 TASKRAFT_JOIN="http://taskraft:8000")
    assert env["TASKRAFT_JOIN"] == "http://taskraft:8000"
    assert "TASKRAFT_INITIAL_CLUSTER" not in env


@pytest.mark.parametrize("pod_ip, warns", [("10.0.0.11", False), ("10.0.0.99", True)])
def test_a_restart_passes_neither_and_warns_on_a_new_ip(run, tmp_path: Path, pod_ip: str, warns: bool):
    data = tmp_path / "data"
    data.mkdir()
    (data / "identity.json").write_text("{}")
    (data / "members.json").write_text('{"2":{"peer_addr":"10.0.0.11:7000","http_addr":"10.0.0.11:8000"}}')
    env, err = run("taskraft-1", TASKRAFT_ORDINAL_FROM_HOSTNAME="1", POD_IP=pod_ip,
                   TASKRAFT_SERVICE="taskraft-peers", TASKRAFT_DATA_DIR=str(data))
    assert "TASKRAFT_INITIAL_CLUSTER" not in env and "TASKRAFT_JOIN" not in env
    assert ("WARNING" in err) is warns
    assert env["TASKRAFT_PEER_ADDR"] == f"{pod_ip}:7000"
