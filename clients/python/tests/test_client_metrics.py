"""The client reads GET /metrics as a person reading the Prometheus text would, and derived
clients (`with_options`) keep the login and the failover of the one they came from."""

from __future__ import annotations

import math

import pytest

from fake_cluster import FakeCluster
from taskraft_client import Client, NodeMetrics

TEXT = r'''# HELP taskraft_raft_term raft_term
# TYPE taskraft_raft_term gauge
taskraft_raft_term 7
taskraft_raft_commit_index 1.2e+03
# TYPE taskraft_http_request_duration_seconds histogram
taskraft_http_request_duration_seconds_bucket{route="/v1/tasks",method="POST",status="201",le="0.005"} 3
taskraft_http_request_duration_seconds_bucket{route="/v1/tasks",method="POST",status="201",le="+Inf"} 4
taskraft_http_request_duration_seconds_sum{route="/v1/tasks",method="POST",status="201"} 0.25
taskraft_http_request_duration_seconds_count{route="/v1/tasks",method="POST",status="201"} 4
taskraft_http_request_duration_seconds_bucket{route="/v1/tasks",method="GET",status="200",le="0.005"} 9
taskraft_http_request_duration_seconds_bucket{route="/v1/tasks",method="GET",status="200",le="+Inf"} 9
taskraft_http_request_duration_seconds_sum{route="/v1/tasks",method="GET",status="200"} 0.01
taskraft_http_request_duration_seconds_count{route="/v1/tasks",method="GET",status="200"} 9
taskraft_http_requests_total{route="/v1/x \"q\"",method="GET",status="404"} 2
'''


def test_gauges_and_labelled_counters_are_read_exactly():
    metrics = NodeMetrics.parse(TEXT, node_id=2)
    assert metrics.node_id == 2
    assert metrics.value("taskraft_raft_term") == 7
    assert metrics.value("taskraft_raft_commit_index") == 1200
    assert metrics.value("taskraft_http_requests_total", route='/v1/x "q"', method="GET",
                         status="404") == 2
    assert metrics.value("taskraft_raft_applied_index") is None
    assert [s.labels["method"] for s in
            metrics.samples("taskraft_http_request_duration_seconds_count")] == ["POST", "GET"]


def test_histogram_sums_only_the_matching_series():
    metrics = NodeMetrics.parse(TEXT)
    writes = metrics.histogram("taskraft_http_request_duration_seconds",
                               lambda labels: labels["method"] == "POST")
    assert (writes.count, writes.sum) == (4, 0.25)
    assert writes.buckets == {0.005: 3, math.inf: 4}
    every = metrics.histogram("taskraft_http_request_duration_seconds")
    assert every.count == 13 and every.buckets[0.005] == 12


def test_an_unreadable_line_is_an_error_naming_it():
    with pytest.raises(ValueError, match="oops"):
        NodeMetrics.parse("taskraft_raft_term 1\noops{ 3\n")


def test_with_options_shares_the_login_and_keeps_failover(fake: FakeCluster, client: Client):
    logins = fake.logins
    quick = client.with_options(deadline=2.0, request_timeout=0.3)
    fake.nodes[0].kill()
    assert quick.create_task("through another node").title == "through another node"
    assert fake.logins == logins, "the derived client did not log in again"
    quick.close()
