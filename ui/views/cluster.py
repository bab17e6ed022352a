"""Cluster: every node with its role, term, commit and applied index, lag, reachability and
MySQL state, the leader marked; charts of log positions and of write throughput and latency
over the last minutes; a feed of elections and membership changes. Refreshes itself every
second (a fragment, so the rest of the app is not re-run). Admins can transfer leadership; when
TASKRAFT_SUPERVISOR is set, each node also gets the demo's controls (kill, pause, isolate, stop
its MySQL, and back)."""

from __future__ import annotations

from datetime import datetime, timezone

import altair as alt
import pandas as pd
import streamlit as st

from taskraft_client import TaskraftError

from ui import problems, session, settings
from ui.cluster_events import Feed, changes
from ui.cluster_watch import NodeView, Sample, Watcher
from ui.supervisor import ACTION_LABEL, SupervisorError, actions

client = session.require()
config = settings.load()


def _watcher() -> Watcher:
    key = "ui.cluster.watcher"
    if key not in st.session_state:
        st.session_state[key] = Watcher(client, config.nodes, config.supervisor)
        st.session_state["ui.cluster.feed"] = Feed()
    return st.session_state[key]


def _feed() -> Feed:
    return st.session_state["ui.cluster.feed"]


def _act(node_id: int, action: str) -> None:
    watcher = _watcher()
    assert watcher.supervisor is not None
    try:
        watcher.supervisor.act(node_id, action)
    except SupervisorError as exc:
        _feed().note(f"{ACTION_LABEL[action]} node {node_id} failed: {exc}.")
        st.toast(f"{ACTION_LABEL[action]} node {node_id} failed: {exc}", icon=":material/warning:")
    else:
        _feed().note(f"You asked: {ACTION_LABEL[action].lower()} node {node_id}.")


def _transfer(to: int) -> None:
    try:
        session.require().transfer_leader(to)
    except TaskraftError as exc:
        _feed().note(problems.describe(exc, f"transfer leadership to node {to}"))
    else:
        _feed().note(f"You asked to transfer leadership to node {to}.")


def _card(node_id: int, view: NodeView, sample: Sample, leader: NodeView | None) -> None:
    status = sample.status
    member = status.node(node_id) if status else None
    supervised = (sample.supervised or {}).get(node_id)
    with st.container(border=True):
        if not view.answered:
            state = "paused" if supervised and supervised.paused else \
                "stopped" if supervised and not supervised.running else "not answering"
            st.markdown(f"### Node {node_id}  \n:red-badge[{state}]")
        elif view.role == "leader":
            st.markdown(f"### Node {node_id}  \n:violet-badge[:material/star: leader]")
        else:
            color = "orange" if view.role == "candidate" else "blue"
            st.markdown(f"### Node {node_id}  \n:{color}-badge[{view.role or 'unknown'}]")
        lag = (view.commit - view.applied) if view.answered and view.commit is not None \
            and view.applied is not None else None
        behind = (status.commit_index - member.match_index) if status and member and \
            member.match_index is not None and leader and node_id != leader.id else None
        a, b = st.columns(2)
        a.metric("Term", view.term if view.answered else "—")
        b.metric("Apply lag", "—" if lag is None else lag,
                 help="commit index − applied index on this node")
        a.metric("Commit index", view.commit if view.answered else "—")
        b.metric("Applied index", view.applied if view.answered else "—")
        lines = []
        if member is not None:
            match = member.match_index if member.match_index is not None else "—"
            lines.append(f"match index {match}"
                         + (f" ({behind} behind the leader)" if behind else ""))
            lines.append(("reachable from the leader" if member.reachable
                          else ":red[unreachable from the leader]") +
                         ("" if member.voter else " · learner"))
        if view.mysql_up is not None:
            lines.append("MySQL up" if view.mysql_up else ":red[MySQL down]")
        if supervised and supervised.isolated:
            lines.append(":orange[isolated from the other nodes]")
        lines.append(f":gray[{view.url.replace('http://', '')}]")
        st.markdown("  \n".join(lines))
        if supervised is not None:
            buttons = actions(supervised)
            cols = st.columns(2, gap="small")
            for i, action in enumerate(buttons):
                cols[i % 2].button(ACTION_LABEL[action], key=f"ui.cluster.{node_id}.{action}",
                           on_click=_act, args=(node_id, action), width="stretch",
                           type="primary" if action in ("kill", "start") else "secondary")


def _frame(rows: list[dict], columns: list[str], names: dict[str, str]) -> pd.DataFrame:
    """Long-form rows (time, series, value) of `columns`, named by `names`, without gaps."""
    frame = pd.DataFrame(rows)
    frame["time"] = pd.to_datetime(frame["time"], unit="s")
    long = frame.melt("time", columns, "series", "value").dropna()
    long["series"] = long["series"].map(names)
    return long


def _chart(frame: pd.DataFrame, title: str, height: int, number_format: str,
           legend_at: str = "bottom", **encode: object) -> None:
    """A step line chart; `height` includes title, axes and legend (Streamlit fits it)."""
    legend = alt.Legend(orient=legend_at, title=None)
    line = alt.Chart(frame, title=title).mark_line(interpolate="step-after", point=True)
    chart = line.encode(
        x=alt.X("time:T", title=None, axis=alt.Axis(format="%H:%M:%S", tickCount=5)),
        y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False),
                axis=alt.Axis(format=number_format, tickMinStep=1)),
        color=alt.Color(encode.pop("color", "series:N"), legend=legend), **encode)
    st.altair_chart(chart.properties(height=height), width="stretch", height=height)


def _charts(watcher: Watcher) -> None:
    positions = watcher.window.log_positions()
    if not positions:
        st.caption("Waiting for the first samples…")
        return
    frame = pd.DataFrame(positions).rename(columns={"index": "value"})
    frame["time"] = pd.to_datetime(frame["time"], unit="s")
    _chart(frame, "Log positions: commit and applied index per node", 280, "d",
           legend_at="right", color="node:N",
           strokeDash=alt.StrokeDash("position:N", legend=alt.Legend(orient="right",
                                                                     title=None)))
    st.caption("The lines lie on top of each other while every node is in step.")
    rows = watcher.window.throughput()
    if not rows:
        st.caption("No writes measured yet: create some tasks.")
        return
    left, right = st.columns(2)
    with left:
        _chart(_frame(rows, ["writes_per_s"], {"writes_per_s": "writes/s"}),
               "Writes per second at the leader", 240, ".3~r")
    with right:
        latency = _frame(rows, ["mean_ms", "p95_ms"], {"mean_ms": "mean", "p95_ms": "p95"})
        if latency.empty:
            st.caption("Write latency: no write in the last minutes.")
        else:
            _chart(latency, "Write latency at the leader (ms)", 240, ".3~r")


def _feed_view() -> None:
    st.markdown("**Events**")
    events = list(_feed().events)[:30]
    if not events:
        st.caption("Nothing happened yet. Elections, members joining or leaving and nodes "
                   "failing appear here.")
    icons = {"election": ":violet[:material/how_to_vote:]", "member": ":blue[:material/group:]",
             "node": ":red[:material/power:]", "mysql": ":orange[:material/database:]",
             "action": ":gray[:material/touch_app:]"}
    st.markdown("\n".join(
        f"- `{datetime.fromtimestamp(e.at, timezone.utc):%H:%M:%S}` {icons.get(e.kind, '')} "
        f"{e.text}" for e in events))


@st.fragment(run_every=1.0)
def live() -> None:
    watcher = _watcher()
    previous = watcher.window.last
    sample = watcher.sample()
    watcher.window.add(sample)
    if previous is not None:
        _feed().extend(changes(previous, sample))
    leader = sample.leader
    answering = sum(1 for n in sample.nodes.values() if n.answered)
    top = st.columns(5)
    top[0].metric("Leader", f"node {leader.id}" if leader else "none")
    top[1].metric("Term", sample.term)
    top[2].metric("Commit index", sample.commit)
    top[3].metric("Nodes answering", f"{answering} / {len(sample.nodes)}")
    rows = watcher.window.throughput()[-10:]
    top[4].metric("Writes / s (10 s)",
                  f"{sum(r['writes_per_s'] for r in rows) / len(rows):.1f}" if rows else "—")
    if sample.supervisor_error:
        st.warning(f"Demo controls unavailable: {sample.supervisor_error}.")
    if sample.supervised and leader is not None and leader.id in sample.supervised:
        st.button(f"Kill the leader (node {leader.id})", icon=":material/dangerous:",
                  key="ui.cluster.kill_leader",
                  on_click=_act, args=(leader.id, "kill"), type="primary")
    if not sample.nodes:
        st.error("No node answered: is the cluster running? (" + ", ".join(config.nodes) + ")")
    cards = st.columns(max(1, len(sample.nodes)))
    for col, (node_id, view) in zip(cards, sorted(sample.nodes.items())):
        with col:
            _card(node_id, view, sample, leader)
    if sample.unidentified:
        st.caption("Never answered yet: " + ", ".join(sample.unidentified))
    left, right = st.columns([3, 2], gap="large")
    with left:
        _charts(watcher)
    with right:
        _feed_view()
        if session.is_admin() and leader is not None:
            st.markdown("**Transfer leadership**")
            others = [i for i in sorted(sample.members or sample.nodes) if i != leader.id]
            if others:
                st.selectbox("To node", others, key="ui.cluster.transfer_to")
                st.button("Transfer", key="ui.cluster.transfer",
                          on_click=lambda: _transfer(st.session_state["ui.cluster.transfer_to"]))


st.title("Cluster")
st.caption("Live view, refreshed every second. Each node is asked directly for its /metrics "
           "and its view of the cluster.")
live()
