"""The `taskraft` command line against a real 3-node cluster: the task round trip (add, ls,
show, edit, done, history, rm), --json output that parses, API errors and usage errors with
their distinct exit codes, failover past a stopped node, `cluster status` naming the leader,
users, and a short `taskraft bench` that prints its figures.

The binary is build/taskraft or $TASKRAFT_CLI (harness/binaries.py)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Sequence

import pytest

from harness import ADMIN, Cluster, HarnessError, require_taskraft_cli

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(180)]

EXIT_API_ERROR, EXIT_USAGE, EXIT_UNAVAILABLE = 1, 2, 3


class Cli:
    """Runs the CLI against `cluster` as admin, with the node list in TASKRAFT_NODES."""

    def __init__(self, binary: Path, cluster: Cluster, nodes: Sequence[str] | None = None):
        self.binary = binary
        self.env = {**os.environ,
                    "TASKRAFT_NODES": ",".join(nodes or [n.url for n in cluster.nodes.values()]),
                    "TASKRAFT_USER": ADMIN,
                    "TASKRAFT_PASSWORD": cluster.admin_password}

    def run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.binary), *args], env=self.env, capture_output=True,
                              text=True, timeout=timeout, stdin=subprocess.DEVNULL)

    def ok(self, *args: str, timeout: float = 60) -> str:
        done = self.run(*args, timeout=timeout)
        assert done.returncode == 0, f"taskraft {' '.join(args)} exited {done.returncode}:\n{done.stderr}"
        return done.stdout

    def json(self, *args: str) -> dict:
        return json.loads(self.ok("--json", *args))


@pytest.fixture
def cli_binary() -> Path:
    try:
        return require_taskraft_cli()
    except HarnessError as exc:
        pytest.fail(f"cannot test the CLI: {exc}", pytrace=False)


@pytest.fixture
def cluster(start_cluster) -> Cluster:
    return start_cluster(3)


def test_task_round_trip(cli_binary, cluster):
    cli = Cli(cli_binary, cluster)
    created = cli.json("task", "add", "Ship the CLI", "--priority", "high", "--tag", "cli",
                       "--tag", "release", "--project", "core", "--description", "first line")
    task_id = created["id"]
    assert (created["title"], created["priority"], created["tags"], created["version"]) == \
        ("Ship the CLI", "high", ["cli", "release"], 1)

    listed = cli.json("task", "ls", "--tag", "cli", "--all")
    assert [t["id"] for t in listed["items"]] == [task_id] and listed["next_cursor"] is None
    table = cli.ok("task", "ls", "--project", "core")
    assert "Ship the CLI" in table and "TITLE" in table.splitlines()[0]

    shown = cli.ok("task", "show", str(task_id))
    assert f"task {task_id} (version 1)" in shown and "first line" in shown

    edited = cli.json("task", "edit", str(task_id), "--title", "Ship it", "--if-match", "1",
                      "--assignee", "admin")
    assert (edited["title"], edited["assignee"], edited["version"]) == ("Ship it", "admin", 2)
    stale = cli.run("task", "edit", str(task_id), "--title", "late", "--if-match", "1")
    assert stale.returncode == EXIT_API_ERROR and "412" in stale.stderr

    done = cli.json("task", "done", str(task_id))
    assert (done["status"], done["version"]) == ("done", 3)

    history = cli.json("task", "history", str(task_id))["items"]
    assert [h["version"] for h in history] == [1, 2, 3]
    assert all(h["raft_index"] > 0 and h["actor"] == ADMIN for h in history)
    assert "status: todo→done" in cli.ok("task", "history", str(task_id))

    assert cli.ok("task", "rm", str(task_id)).strip() == f"deleted task {task_id}"
    gone = cli.run("task", "show", str(task_id))
    assert gone.returncode == EXIT_API_ERROR and "404" in gone.stderr and gone.stdout == ""


def test_a_validation_error_names_the_field_and_exits_with_the_api_code(cli_binary, cluster):
    cli = Cli(cli_binary, cluster)
    bad = cli.run("task", "add", "x", "--priority", "soon", "--due", "tomorrow")
    assert bad.returncode == EXIT_API_ERROR
    assert "422" in bad.stderr
    assert "priority:" in bad.stderr and "due_at:" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) <= 4
    assert cli.json("task", "ls", "--all")["items"] == [], "nothing invalid was written"


def test_usage_and_unavailable_errors_have_their_own_exit_codes(cli_binary, cluster):
    cli = Cli(cli_binary, cluster)
    assert cli.run("task", "show").returncode == EXIT_USAGE
    assert cli.run("task", "edit", "1").returncode == EXIT_USAGE  # nothing to change
    assert cli.run("--nodes", "ftp://x:1", "task", "ls").returncode == EXIT_USAGE
    nobody = cli.run("--nodes", "http://127.0.0.1:1", "--timeout", "1", "task", "ls")
    assert nobody.returncode == EXIT_UNAVAILABLE and "unavailable" in nobody.stderr
    wrong = Cli(cli_binary, cluster)
    wrong.env["TASKRAFT_PASSWORD"] = "not-the-password"
    refused = wrong.run("task", "ls")
    assert refused.returncode == EXIT_API_ERROR and "401" in refused.stderr


def test_the_cli_fails_over_past_a_stopped_node(cli_binary, cluster):
    follower = cluster.followers()[0]
    others = [n.url for n in cluster.nodes.values() if n is not follower]
    cli = Cli(cli_binary, cluster, nodes=[follower.url, *others])
    follower.stop()
    created = cli.json("task", "add", "written while a node is down")
    assert cli.json("task", "show", str(created["id"]))["title"] == "written while a node is down"


def test_cluster_status_names_the_leader(cli_binary, cluster):
    cli = Cli(cli_binary, cluster)
    leader = cluster.leader()
    status = cli.ok("cluster", "status")
    assert status.splitlines()[0].startswith("cluster ")
    assert f"leader {leader.id}," in status.splitlines()[0]
    assert any(line.startswith(f"{leader.id} *") for line in status.splitlines())
    view = cli.json("cluster", "status")
    assert view["leader_id"] == leader.id and len(view["nodes"]) == 3


def test_users_are_added_and_listed(cli_binary, cluster):
    cli = Cli(cli_binary, cluster)
    user = cli.json("user", "add", "carol", "--role", "member", "--new-password", "carol-secret-1")
    assert (user["username"], user["role"]) == ("carol", "member")
    assert {u["username"] for u in cli.json("user", "ls")["items"]} == {ADMIN, "carol"}
    carol = Cli(cli_binary, cluster)
    carol.env.update(TASKRAFT_USER="carol", TASKRAFT_PASSWORD="carol-secret-1")
    assert carol.json("task", "add", "carol's task")["created_by"] == "carol"
    forbidden = carol.run("user", "ls")
    assert forbidden.returncode == EXIT_API_ERROR and "403" in forbidden.stderr


def test_a_short_bench_prints_its_figures(cli_binary, cluster, tmp_path):
    cli = Cli(cli_binary, cluster)
    result = tmp_path / "bench.json"
    done = cli.run("bench", "create", "--clients", "4", "--duration", "2", "--json", str(result))
    assert done.returncode == 0, done.stderr
    assert "/s now" in done.stderr, "a progress line every second"
    header = next(line for line in done.stdout.splitlines() if line.startswith("OP "))
    for column in ("PER SECOND", "P50 ms", "P90 ms", "P99 ms", "P99.9 ms", "MAX ms", "ERRORS"):
        assert column in header
    figures = json.loads(result.read_text())
    total = figures["total"]
    assert total["ok"] > 0 and total["per_second"] > 0 and total["errors"] == 0
    assert 0 < total["latency_ms"]["p50"] <= total["latency_ms"]["p99"] <= total["latency_ms"]["max"]
    assert figures["clients"] == 4 and figures["workload"] == "create"
    created = cli.json("task", "ls", "--project", "bench", "--all")["items"]
    assert len(created) == total["ok"], "every acknowledged create is there, and nothing more"
