"""The demo supervisor's HTTP API over a real demo cluster of stand-in nodes
(tests/e2e/fake_taskraftd.py: real processes, real MariaDB servers, real iptables rules; no Raft).
What needs real consensus (a new leader after a kill or an isolation) is in
test_supervisor_cluster.py, which runs build/taskraftd."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Callable, Iterator

import httpx
import pytest

from harness import Network, iptables_usable, wait_until
from harness.procs import alive

from demo_setup import CHAIN, FAKE, layout_in
from taskraft_demo.cluster import DemoCluster
from taskraft_demo.errors import DemoError
from taskraft_demo.mysql import SharedMySQL
from taskraft_demo.supervisor import Supervisor

needs_iptables = pytest.mark.skipif(bool(iptables_usable()), reason=str(iptables_usable()))


@pytest.fixture
def demo(start_demo: Callable[[Path], DemoCluster]) -> DemoCluster:
    return start_demo(FAKE)


def act(api: httpx.Client, node_id: int | str, action: str) -> httpx.Response:
    return api.post(f"/nodes/{node_id}/{action}")


def process_state(pid: int) -> str:
    """The one-letter state of `pid` in /proc (T: stopped by a signal)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def test_nodes_lists_every_node_with_its_state(api: httpx.Client):
    answer = api.get("/nodes")
    assert answer.status_code == 200
    assert answer.json() == {"nodes": [
        {"id": i, "http_addr": f"127.0.0.7{i}:8000", "peer_addr": f"127.0.0.7{i}:7000",
         "running": True, "paused": False, "isolated": False, "mysql_running": True}
        for i in (1, 2, 3)]}


def test_kill_then_start_runs_the_node_again_with_the_same_flags(demo: DemoCluster,
                                                                  api: httpx.Client):
    node = demo.nodes[1]
    first_pid, first_args = node.pid, node.process.args  # type: ignore[union-attr]
    killed = act(api, 1, "kill")
    assert killed.status_code == 200 and killed.json()["ok"] is True
    assert killed.json()["node"]["running"] is False
    assert first_pid is not None and not alive(first_pid)
    assert demo.nodes[1].returncode == -signal.SIGKILL

    started = act(api, 1, "start")
    assert started.status_code == 200 and started.json()["node"]["running"] is True
    assert node.pid != first_pid and node.process.args == first_args  # type: ignore[union-attr]
    node.wait_ready(30)


def test_pause_stops_the_process_and_resume_continues_it(demo: DemoCluster, api: httpx.Client):
    pid = demo.nodes[2].pid
    assert pid is not None
    paused = act(api, 2, "pause")
    assert paused.status_code == 200 and paused.json()["node"]["paused"] is True
    wait_until(lambda: process_state(pid) == "T", timeout=10, what="the node to stop")
    assert act(api, 2, "pause").status_code == 409
    resumed = act(api, 2, "resume")
    assert resumed.status_code == 200 and resumed.json()["node"]["paused"] is False
    wait_until(lambda: process_state(pid) != "T", timeout=10, what="the node to continue")
    demo.nodes[2].wait_ready(30)


@needs_iptables
def test_isolate_cuts_the_node_off_both_ways_and_heal_removes_only_its_rules(api: httpx.Client):
    rules = Network(CHAIN).rules
    isolated = act(api, 3, "isolate")
    assert isolated.status_code == 200 and isolated.json()["node"]["isolated"] is True
    cut = {f"-A {CHAIN} -s 127.0.0.{a}/32 -d 127.0.0.{b}/32 -j DROP"
           for a, b in [(73, 71), (71, 73), (73, 72), (72, 73)]}
    assert set(rules()) == cut
    assert act(api, 3, "isolate").status_code == 409

    assert act(api, 1, "isolate").status_code == 200
    assert act(api, 3, "heal").status_code == 200
    assert set(rules()) == {f"-A {CHAIN} -s 127.0.0.{a}/32 -d 127.0.0.{b}/32 -j DROP"
                            for a, b in [(71, 72), (72, 71), (71, 73), (73, 71)]}, \
        "node 1 stays cut off after node 3 heals"
    assert [n["isolated"] for n in api.get("/nodes").json()["nodes"]] == [True, False, False]
    assert act(api, 1, "heal").status_code == 200
    assert rules() == []
    assert act(api, 1, "heal").status_code == 409


def test_mysql_stop_and_start_the_nodes_own_server(demo: DemoCluster, api: httpx.Client):
    server = demo.mysqls[2]
    stopped = act(api, 2, "mysql-stop")
    assert stopped.status_code == 200 and stopped.json()["node"]["mysql_running"] is False
    assert not server.is_running()
    assert demo.mysqls[1].is_running(), "the other nodes' servers keep running"
    assert act(api, 2, "mysql-stop").status_code == 409
    started = act(api, 2, "mysql-start")
    assert started.status_code == 200 and started.json()["node"]["mysql_running"] is True
    assert server.is_running()


def test_unknown_node_action_or_path_is_404_and_impossible_actions_are_409(api: httpx.Client):
    for path in ("/nodes/9/kill", "/nodes/0/start", "/nodes/one/kill", "/nodes/1/explode"):
        answer = api.post(path)
        assert answer.status_code == 404, path
        assert answer.json()["error"]
    assert api.get("/cluster").status_code == 404
    for node_id, action in [(1, "start"), (1, "resume"), (1, "heal"), (1, "mysql-start")]:
        answer = act(api, node_id, action)
        assert answer.status_code == 409, action
        assert "node 1" in answer.json()["error"]
    assert act(api, 1, "kill").status_code == 200
    for action in ("kill", "pause"):
        assert act(api, 1, action).json() == {"error": "node 1 is not running"}


@pytest.fixture
def idle_cluster(tmp_path: Path) -> Iterator[DemoCluster]:
    """A demo cluster on a shared TASKRAFT_MYSQL server, with nothing started."""
    layout = layout_in(tmp_path)
    layout.create()
    shared = SharedMySQL("mysql://root:pw@127.0.0.1:1/")
    cluster = DemoCluster(layout, {i: shared for i in layout.node_ids()}, FAKE, chain=CHAIN)
    yield cluster
    assert cluster.close() == []


def test_mysql_actions_on_a_shared_server_are_409(idle_cluster: DemoCluster):
    supervisor = Supervisor(idle_cluster, "127.0.0.1", 0).start()
    try:
        for action in ("mysql-stop", "mysql-start"):
            answer = httpx.post(f"{supervisor.url}/nodes/1/{action}")
            assert answer.status_code == 409
            assert "shared server TASKRAFT_MYSQL" in answer.json()["error"]
    finally:
        supervisor.close()
    command = idle_cluster.nodes[2].command()
    assert command[command.index("--mysql") + 1] == "mysql://root:pw@127.0.0.1:1/taskraft_n2"


@pytest.mark.parametrize("host", ["0.0.0.0", "", "192.168.1.10", "10.0.0.1", "::", "::1",
                                  "localhost", "example.com"])
def test_it_refuses_to_bind_anything_but_ipv4_loopback(idle_cluster: DemoCluster, host: str):
    with pytest.raises(DemoError, match="loopback"):
        Supervisor(idle_cluster, host, 0)


def test_it_binds_loopback_and_refuses_requests_from_web_pages(api: httpx.Client):
    assert api.base_url.host == "127.0.0.1"
    page = api.post("/nodes/1/kill", headers={"Origin": "http://evil.example"})
    assert page.status_code == 403
    rebound = api.get("/nodes", headers={"Host": "evil.example:8090"})
    assert rebound.status_code == 403
    assert api.get("/nodes").json()["nodes"][0]["running"] is True, "nothing was killed"


@needs_iptables
def test_close_heals_partitions_resumes_paused_nodes_and_stops_everything(demo: DemoCluster,
                                                                          api: httpx.Client):
    assert act(api, 1, "isolate").status_code == 200
    assert act(api, 2, "pause").status_code == 200
    pids = [n.pid for n in demo.nodes.values()]
    mysql_pids = [m.pid() for m in demo.private_mysqls]
    assert demo.close() == []
    assert Network(CHAIN).installed_anywhere() == []
    assert not any(alive(p) for p in pids if p), "every node exited"
    assert [n.returncode for n in demo.nodes.values()] == [0, 0, 0], "SIGTERM, not SIGKILL"
    assert not any(alive(p) for p in mysql_pids if p), "every MariaDB stopped"
    assert act(api, 1, "start").status_code == 409, "no action after close"
    assert os.path.exists(demo.nodes[1].data_dir), "the data stays"


@needs_iptables
def test_starting_removes_the_partitions_a_killed_demo_left(start_demo: Callable[[Path],
                                                                                 DemoCluster]):
    left = Network(CHAIN).open()
    left.cut("127.0.0.71", "127.0.0.72")
    demo = start_demo(FAKE)
    assert Network(CHAIN).rules() == []
    assert not demo.isolated
