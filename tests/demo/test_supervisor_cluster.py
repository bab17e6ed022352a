"""The supervisor's faults on a real three-node cluster of build/taskraftd (marker `cluster`):
after each fault and its repair the cluster has one leader again and every node holds every
acknowledged write."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Iterator

import httpx
import pytest

from harness import HarnessError, Node, require_taskraftd, wait_until
from taskraft_client import Client, TaskraftError

from taskraft_demo.cluster import DemoCluster

pytestmark = pytest.mark.cluster


@pytest.fixture
def demo(start_demo: Callable[[Path], DemoCluster]) -> DemoCluster:
    try:
        binary, missing = require_taskraftd(), ""
    except HarnessError as exc:
        missing = str(exc)
    if missing:
        pytest.fail(f"cannot run a cluster test: {missing}", pytrace=False)
    return start_demo(binary)


@pytest.fixture
def admin(demo: DemoCluster) -> Iterator[Client]:
    with Client([n.url for n in demo.nodes.values()], "admin", demo.admin_password) as client:
        yield client


def act(api: httpx.Client, node_id: int, action: str) -> dict:
    answer = api.post(f"/nodes/{node_id}/{action}")
    assert answer.status_code == 200, answer.text
    return answer.json()["node"]


def leader(admin: Client, among: Iterable[Node], not_id: int | None = None) -> int:
    """The leader id every node of `among` names (and that is one of them)."""
    asked = list(among)

    def agreed() -> int | None:
        named = set()
        for node in asked:
            try:
                named.add(admin.pinned(node.url, request_timeout=2).cluster_status().leader_id)
            except (TaskraftError, httpx.HTTPError):
                return None
        found = named.pop() if len(named) == 1 else None
        return found if found in {n.id for n in asked} and found != not_id else None

    return wait_until(agreed, timeout=60, interval=0.2,
                      what=f"one leader named by nodes {[n.id for n in asked]}")


def holds(admin: Client, node: Node, task_ids: set[int]) -> None:
    def has_all() -> bool:
        pinned = admin.pinned(node.url, request_timeout=2)
        return task_ids <= {t.id for t in pinned.iter_tasks(consistency="stale")}

    wait_until(has_all, timeout=60, interval=0.3, what=f"node {node.id} to hold {task_ids}")


def test_kill_the_leader_then_start_it(demo: DemoCluster, api: httpx.Client, admin: Client):
    before = admin.create_task("before the kill").id
    old = leader(admin, demo.nodes.values())
    assert act(api, old, "kill")["running"] is False
    others = [n for n in demo.nodes.values() if n.id != old]
    leader(admin, others, not_id=old)
    during = admin.create_task("while the old leader is dead").id

    assert act(api, old, "start")["running"] is True
    demo.nodes[old].wait_ready(60)
    leader(admin, demo.nodes.values())
    holds(admin, demo.nodes[old], {before, during})


def test_isolate_the_leader_then_heal(demo: DemoCluster, api: httpx.Client, admin: Client):
    old = leader(admin, demo.nodes.values())
    assert act(api, old, "isolate")["isolated"] is True
    others = [n for n in demo.nodes.values() if n.id != old]
    leader(admin, others, not_id=old)
    with Client([n.url for n in others], "admin", demo.admin_password) as majority:
        cut_off = majority.create_task("written while the old leader is cut off").id

    assert act(api, old, "heal")["isolated"] is False
    leader(admin, demo.nodes.values())
    holds(admin, demo.nodes[old], {cut_off})


def test_a_follower_without_its_mysql_keeps_the_cluster_writable(demo: DemoCluster,
                                                                  api: httpx.Client,
                                                                  admin: Client):
    follower = next(i for i in demo.nodes if i != leader(admin, demo.nodes.values()))
    assert act(api, follower, "mysql-stop")["mysql_running"] is False
    written = admin.create_task("written while a follower's MySQL is down").id
    assert act(api, follower, "mysql-start")["mysql_running"] is True
    holds(admin, demo.nodes[follower], {written})
