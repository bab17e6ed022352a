"""API.md "Cluster" and the operability of issue 4 on a healthy 3-node cluster: GET /v1/cluster's
shape from every node, the member operations' refusals, transfer-leader, /healthz and /readyz
without auth, /metrics in Prometheus text with the metrics issue 4 names and the write timing
histogram, and GET
/v1/openapi.json describing every route the server serves (schemathesis checks the live answers
against it in depth: test_api_fuzz.py)."""

from __future__ import annotations

import re

import httpx
import pytest

from api_http import field_errors, problem

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(180)]

SERVED = {("POST", "/v1/auth/login"), ("POST", "/v1/users"), ("GET", "/v1/users"),
          ("POST", "/v1/tasks"), ("GET", "/v1/tasks"), ("GET", "/v1/tasks/{id}"),
          ("PATCH", "/v1/tasks/{id}"), ("DELETE", "/v1/tasks/{id}"),
          ("GET", "/v1/tasks/{id}/history"), ("GET", "/v1/cluster"),
          ("POST", "/v1/cluster/members"), ("DELETE", "/v1/cluster/members/{id}"),
          ("POST", "/v1/cluster/transfer-leader"), ("GET", "/healthz"), ("GET", "/readyz"),
          ("GET", "/metrics"), ("GET", "/v1/openapi.json")}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def test_cluster_view_has_the_documented_shape_on_every_node(api, module_cluster):
    leader = module_cluster.leader()
    for node in api.nodes:
        r = api.http(node, token=api.member()).get("/v1/cluster")
        assert r.status_code == 200, r.text
        view = r.json()
        assert {"cluster_id", "leader_id", "term", "commit_index", "nodes"} <= set(view)
        assert view["leader_id"] == leader.id and view["term"] >= 1 and view["commit_index"] > 0
        assert sorted(n["id"] for n in view["nodes"]) == [1, 2, 3]
        for member in view["nodes"]:
            assert {"id", "peer_addr", "http_addr", "role", "voter", "reachable", "match_index",
                    "applied_index"} <= set(member), member
            assert member["voter"] is True
            assert member["role"] == ("leader" if member["id"] == leader.id else "follower")
            assert member["http_addr"] == module_cluster.node(member["id"]).http_addr
        assert len({api.http(n).get("/v1/cluster").json()["cluster_id"] for n in api.nodes}) == 1


def test_member_operations_refuse_bad_input(api):
    assert {"id", "peer_addr", "http_addr"} & field_errors(
        api.http().post("/v1/cluster/members", json={"id": "four"}))
    for node in api.nodes:  # a follower forwards to the leader, which knows the configuration
        problem(api.http(node).delete("/v1/cluster/members/99"), 404)
    problem(api.http().post("/v1/cluster/transfer-leader", json={"to": 99}), 409)
    assert len(api.http().get("/v1/cluster").json()["nodes"]) == 3


def test_transfer_leader_moves_leadership_and_the_cluster_stays_ready(api, module_cluster):
    old = module_cluster.leader()
    target = next(n for n in api.nodes if n.id != old.id)
    r = api.http(target).post("/v1/cluster/transfer-leader", json={"to": target.id})
    assert r.status_code in (200, 202), r.text
    assert module_cluster.wait_for_leader(timeout=30).id == target.id
    for node in api.nodes:
        node.wait_ready(30)
    assert api.create(api.http(old))["version"] == 1


def test_healthz_and_readyz_answer_without_auth(api):
    for node in api.nodes:
        assert api.http(node, token=None).get("/healthz").status_code == 200
        assert api.http(node, token=None).get("/readyz").status_code == 200


REQUIRED_METRICS = {
    "term": r"taskraft_raft_term",
    "role": r"taskraft_raft_role",
    "commit index": r"taskraft_raft_commit_index",
    "applied index": r"taskraft_raft_applied_index",
    "apply lag": r"taskraft_raft_apply_lag",
    "proposals": r"taskraft_raft_proposals_total",
    "elections": r"taskraft_raft_elections\w*",
    "request latency histogram by route and status":
        r'taskraft_http_request_duration_seconds_bucket\{[^}]*route="[^"]+"[^}]*status="\d{3}"',
    "WAL sync latency histogram": r"taskraft_wal_sync\w*_seconds_bucket",
    "snapshot sends": r"taskraft_\w*snapshot\w*sen[dt]\w*",
    "snapshot loads": r"taskraft_\w*snapshot\w*(load|install|restor)\w*",
}


def _metrics_text(api) -> str:
    r = api.http(api.nodes[0], token=None).get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain"), r.headers
    return r.text


def test_metrics_are_prometheus_text(api):
    api.create()
    labels = r'\{(?:[a-zA-Z_]\w*="(?:[^"\\]|\\.)*",?)*\}'
    sample = re.compile(rf'^[a-zA-Z_:][a-zA-Z0-9_:]*(?:{labels})? (?:-?[0-9.eE+-]+|[+-]Inf|NaN)$')
    for line in _metrics_text(api).splitlines():
        if line and not line.startswith("#"):
            assert sample.match(line), line
        elif line.startswith("# TYPE"):
            assert line.split()[3] in ("counter", "gauge", "histogram", "summary", "untyped"), line


@pytest.mark.parametrize("name", list(REQUIRED_METRICS))
def test_metrics_issue_4_names_are_exported(api, name):
    api.create()
    assert re.search(f"^{REQUIRED_METRICS[name]}", _metrics_text(api), re.M), name


def _writes_decided(node) -> int:
    text = httpx.get(node.url + "/metrics", timeout=10).text
    match = re.search(r"^taskraft_write_decided_duration_seconds_count (\d+)$", text, re.M)
    assert match, f"GET /metrics on node {node.id} names taskraft_write_decided_duration_seconds"
    return int(match.group(1))


def test_each_write_is_timed_once_on_the_node_that_proposed_it(api):
    """taskraft_write_decided_duration_seconds times a write from its proposal to its outcome on
    the node that proposed it: the one the client reached, leader or follower (which relays the
    command to the leader and answers from its own state machine)."""
    leader = api.cluster.leader()
    follower = next(n for n in api.nodes if n is not leader)
    before = {n.id: _writes_decided(n) for n in api.nodes}
    api.create(api.http(follower))
    api.create(api.http(leader))
    api.create(api.http(leader))
    after = {n.id: _writes_decided(n) for n in api.nodes}
    assert {i: after[i] - before[i] for i in after} == \
        {n.id: 2 if n is leader else 1 if n is follower else 0 for n in api.nodes}


def test_openapi_documents_every_route_served_and_nothing_else(api):
    r = api.http(token=api.member()).get("/v1/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["openapi"].startswith("3.")
    documented = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops if m.upper() in METHODS}
    assert SERVED <= documented, f"served but not documented: {SERVED - documented}"
    for method, path in documented - SERVED:
        concrete = path.replace("{id}", "1")
        assert api.http().request(method, concrete).status_code not in (404, 405), (method, path)
    for path in {p for _, p in SERVED}:
        for method in set(METHODS) - {m for m, p in documented if p == path}:
            r = api.http().request(method, path.replace("{id}", "1"))
            assert r.status_code in (404, 405), f"{method} {path} is served ({r.status_code}) " \
                "but not documented"
