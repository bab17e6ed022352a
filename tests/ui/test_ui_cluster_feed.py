"""What the cluster page tells a person, computed from samples of the cluster: the event feed
(elections, members, nodes going silent, MySQL outages) and the write throughput and latency
charts. The samples are built by hand here; the page itself runs against a real cluster in
test_ui_admin.py and test_ui_browser.py."""

from __future__ import annotations

import math

from taskraft_client import ClusterNode, ClusterStatus, HistogramTotals
from ui.cluster_events import changes
from ui.cluster_watch import NodeView, Sample, Window


def view(node_id: int, role: str | None = "follower", term: int = 1, *, answered: bool = True,
         mysql_up: bool = True, writes: HistogramTotals | None = None,
         members: dict[int, bool] | None = None) -> NodeView:
    status = None
    if members is not None:
        status = ClusterStatus("c", node_id, term, 10, tuple(
            ClusterNode(i, "", "", "", voter, True, 10, 10) for i, voter in members.items()))
    return NodeView(url=f"http://n{node_id}", id=node_id, answered=answered,
                    role=role if answered else None, term=term if answered else None,
                    mysql_up=mysql_up if answered else None, writes=writes, status=status)


def sample(at: float, *views: NodeView) -> Sample:
    return Sample(at, {v.id: v for v in views if v.id is not None})


def texts(before: Sample, after: Sample) -> list[str]:
    return [e.text for e in changes(before, after)]


def test_a_killed_leader_shows_as_silence_then_a_new_leader_in_a_higher_term():
    steady = sample(0, view(1, "leader"), view(2), view(3))
    leaderless = sample(1, view(1, answered=False), view(2, "candidate", 2), view(3, term=2))
    elected = sample(2, view(1, answered=False), view(2, "leader", 2), view(3, term=2))
    assert texts(steady, leaderless) == [
        "No leader: node 1 stopped leading; an election is under way (term 2).",
        "Node 1 stopped answering."]
    assert texts(leaderless, elected) == ["Node 2 is the leader in term 2."]
    assert texts(steady, elected) == ["Node 2 is the leader in term 2 (was node 1).",
                                      "Node 1 stopped answering."]
    assert texts(elected, elected) == []


def test_re_election_members_and_mysql_outages_are_reported():
    before = sample(0, view(1, "leader", members={1: True, 2: True, 3: True, 4: False}),
                    view(2), view(3))
    after = sample(1, view(1, "leader", 3, members={1: True, 2: True, 4: True, 5: False}),
                   view(2, term=3, mysql_up=False), view(3, answered=False))
    assert texts(before, after) == [
        "Node 1 was re-elected in term 3.",
        "Node 5 joined the cluster as a learner.",
        "Node 3 was removed from the cluster.",
        "Node 4 was promoted to voter.",
        "Node 2's MySQL is down: it keeps voting and replicating, and stops applying.",
        "Node 3 stopped answering."]
    assert texts(after, before)[-2:] == ["Node 2's MySQL is back; it catches up.",
                                         "Node 3 answers again."]


def hist(count: float, total: float, fast: float) -> HistogramTotals:
    return HistogramTotals(count, total, {0.005: fast, 0.25: count, math.inf: count})


def test_throughput_and_latency_come_from_the_counters_between_samples():
    window = Window()
    window.add(sample(10, view(1, "leader", writes=hist(100, 1.0, 90)), view(2)))
    window.add(sample(12, view(1, "leader", writes=hist(140, 1.2, 130)), view(2)))
    window.add(sample(13, view(1, "leader", writes=hist(140, 1.2, 130)), view(2)))
    window.add(sample(14, view(1, answered=False), view(2, "leader", 2, writes=hist(5, 0, 5))))
    window.add(sample(15, view(1, answered=False), view(2, "leader", 2, writes=hist(15, 1, 6))))
    rows = window.throughput()
    assert [r["time"] for r in rows] == [12, 13, 15], "no row across the change of leader"
    assert rows[0]["writes_per_s"] == 20 and math.isclose(rows[0]["mean_ms"], 5.0)
    assert rows[0]["p95_ms"] == 5.0, "all 40 writes of the interval took <= 5 ms"
    assert (rows[1]["writes_per_s"], rows[1]["mean_ms"]) == (0, None), "idle: no latency"
    assert rows[2]["p95_ms"] == 250.0 and rows[2]["writes_per_s"] == 10


def test_writes_every_node_answered_are_counted_once_and_a_restarted_node_not_at_all():
    window = Window()
    window.add(sample(10, view(1, "leader", writes=hist(100, 1.0, 100)),
                      view(2, writes=hist(50, 0.5, 50)), view(3, writes=hist(70, 0.0, 70))))
    window.add(sample(12, view(1, "leader", writes=hist(120, 1.1, 120)),
                      view(2, writes=hist(70, 1.5, 60)), view(3, writes=hist(2, 0.0, 2))))
    [row] = window.throughput()
    assert row["writes_per_s"] == 20, "20 at the leader and 20 at a follower; node 3 restarted"
    assert math.isclose(row["mean_ms"], 1000 * 1.1 / 40)
    assert row["p95_ms"] == 250.0, "10 of the 40 writes took over 5 ms"


def test_the_window_keeps_the_last_five_minutes():
    window = Window()
    for at in range(0, 400, 10):
        window.add(sample(at, view(1, "leader")))
    assert window.samples[0].at == 90 and window.samples[-1].at == 390
    positions = window.log_positions()
    assert positions == [], "nodes that report no index draw no line"
