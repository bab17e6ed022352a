"""A node whose MySQL server goes away keeps the cluster writable and catches up on apply when
MySQL returns (DESIGN.md: it keeps voting and replicating). Each node has its own MariaDB. Such a
node still takes writes: it cannot answer one from its own state machine, so it passes the
request to the leader instead of relaying the command (node/proposal_relay.h kMaxApplyLag)."""

from __future__ import annotations

import pytest

from checks import assert_all_present, create_tasks

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(150)]


@pytest.mark.parametrize("outage", ["stop", "kill"])
def test_a_followers_mysql_outage_keeps_the_cluster_writable(start_cluster, outage: str):
    cluster = start_cluster(3)
    follower = cluster.followers()[0]
    others = [n for n in cluster.nodes.values() if n is not follower]

    if outage == "stop":
        follower.mysql.stop()
    else:
        follower.mysql.kill()
    with cluster.client(nodes=others) as c:
        written = create_tasks(c, 30, f"mysql-{outage}")
    assert follower.is_running, "taskraftd keeps running (and voting) without its MySQL"
    written.append(cluster.pinned(follower, request_timeout=10.0).create_task(f"via {outage}"))

    follower.mysql.start()
    follower.wait_ready(60)
    content = cluster.wait_converged(must_include=[t.id for t in written], timeout=60)
    assert_all_present(content, written, f"node {follower.id} after its MySQL came back")
