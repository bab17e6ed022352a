"""Users and the cluster page, driven headlessly (AppTest) against a real 3-node cluster."""

from __future__ import annotations

import uuid

import pytest

from ui_driver import click, errors, log_in, no_exception, text

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(120)]


def test_admin_creates_a_member_who_can_log_in_but_not_manage_users(ui_nodes):
    at = no_exception(log_in("admin", ui_nodes.admin_password))
    at = no_exception(at.switch_page("views/users.py").run())
    name = f"member{uuid.uuid4().hex[:6]}"
    at.text_input(key="ui.users.name").input(name)
    at.text_input(key="ui.users.password").input("a-good-password")
    click(at, "Create user")
    no_exception(at)
    assert f"Created member “{name}”." in text(at)
    assert name in {u.username for u in ui_nodes.admin().list_users()}

    member = no_exception(log_in(name, "a-good-password"))
    assert f"Logged in as **{name}** · member" in text(member)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        member.switch_page("views/users.py")


def test_an_unreachable_supervisor_is_said_in_words_and_offers_no_controls(ui_nodes,
                                                                          monkeypatch):
    monkeypatch.setenv("TASKRAFT_SUPERVISOR", "http://127.0.0.1:9")
    at = no_exception(log_in("admin", ui_nodes.admin_password))
    at = no_exception(at.switch_page("views/cluster.py").run())
    assert [w.value for w in at.warning] == [
        "Demo controls unavailable: the demo supervisor at http://127.0.0.1:9 did not answer "
        "(ConnectError)."]
    assert not [b for b in at.button if b.label in ("Kill", "Start", "Pause", "Isolate")]
    assert {m.label: m.value for m in at.metric}["Nodes answering"] == "3 / 3"


def test_the_cluster_page_shows_every_node_and_marks_the_leader(ui_nodes):
    leader = ui_nodes.leader()
    task = ui_nodes.admin().create_task("seen by the cluster page")
    index = ui_nodes.admin().last_meta.raft_index
    at = no_exception(log_in("admin", ui_nodes.admin_password))
    at = no_exception(at.switch_page("views/cluster.py").run())
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Leader"] == f"node {leader.id}"
    assert metrics["Nodes answering"] == "3 / 3"
    assert int(metrics["Commit index"]) >= index >= task.id
    cards = [m.value for m in at.markdown if m.value.startswith("### Node")]
    assert len(cards) == 3
    assert f"### Node {leader.id}  \n:violet-badge[:material/star: leader]" in cards
    assert sum("follower" in c for c in cards) == 2
    assert "reachable from the leader" in text(at) and "MySQL up" in text(at)
    assert not errors(at)
    assert not [b for b in at.button if b.label in ("Kill", "Pause")], \
        "no supervisor configured: no process controls"
    assert [b.label for b in at.button if b.label == "Transfer"] == ["Transfer"]


def test_an_admin_transfers_leadership_from_the_cluster_page(ui_nodes):
    old = ui_nodes.leader()
    at = no_exception(log_in("admin", ui_nodes.admin_password))
    at = no_exception(at.switch_page("views/cluster.py").run())
    target = next(i for i in at.selectbox(key="ui.cluster.transfer_to").options
                  if int(i) != old.id)
    at.selectbox(key="ui.cluster.transfer_to").set_value(int(target))
    click(at, "Transfer")
    no_exception(at)
    assert f"You asked to transfer leadership to node {target}." in text(at)
    assert ui_nodes.wait_for_leader(timeout=20, not_id=old.id).id == int(target)
