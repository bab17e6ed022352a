"""API.md "No leader or no quorum reachable within the request deadline → 503 with Retry-After":
with both followers of a 3-node cluster killed, the survivor answers writes and linearizable
reads with 503 + Retry-After (and changes nothing), still serves stale reads, and reports
not-ready; once the followers are back, the cluster serves again."""

from __future__ import annotations

import time

import httpx
import pytest

from api_http import Api, problem

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(150)]


def test_without_a_quorum_writes_and_linearizable_reads_are_503_with_retry_after(start_cluster):
    cluster = start_cluster(3)
    api = Api(cluster)
    try:
        leader = cluster.leader()
        task = api.create(api.http(leader), title="before the outage")
        followers = [n for n in cluster.nodes.values() if n is not leader]
        for node in followers:
            node.kill()
        client = api.http(leader)
        started = time.monotonic()
        for r in (client.post("/v1/tasks", json={"title": "no quorum"},
                              headers={"Idempotency-Key": "outage-1"}),
                  client.patch(f"/v1/tasks/{task['id']}", json={"status": "done"}),
                  client.get(f"/v1/tasks/{task['id']}")):
            problem(r, 503)
            assert int(r.headers["Retry-After"]) >= 1, r.headers
        assert time.monotonic() - started < 60, "each answer comes within the request deadline"
        stale = client.get(f"/v1/tasks/{task['id']}", params={"consistency": "stale"})
        assert stale.status_code == 200 and stale.json() == task, "nothing changed"
        assert httpx.get(f"{leader.url}/readyz", timeout=30).status_code == 503

        for node in followers:
            node.restart()
        for node in cluster.nodes.values():
            node.wait_ready(60)
        after = api.http(cluster.leader()).post("/v1/tasks", json={"title": "no quorum"},
                                                headers={"Idempotency-Key": "outage-1"})
        assert after.status_code == 201, after.text
        titles = [t["title"] for t in api.http().get("/v1/tasks", params={"limit": 500}).json()["items"]]
        assert titles.count("no quorum") == 1
    finally:
        api.close()
