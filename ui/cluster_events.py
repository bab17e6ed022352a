"""The cluster page's feed: elections, leadership changes, members joining or leaving, nodes
going silent or coming back, MySQL outages, derived by comparing two consecutive samples;
plus what the person did (supervisor actions, leadership transfers).

Guarantees: `changes(before, after)` is a pure function of the two samples; the same pair gives
the same events, in a stable order (leadership first, then members by id). A node is only said
to go silent or come back when it answered in one sample and not in the other.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

from .cluster_watch import Sample

FEED_LENGTH = 100


@dataclass(frozen=True)
class Event:
    at: float
    kind: str  # election | member | node | mysql | action
    text: str


def changes(before: Sample, after: Sample) -> list[Event]:
    at = after.at
    events: list[Event] = []
    old, new = before.leader, after.leader
    old_id, new_id = (old.id if old else None), (new.id if new else None)
    if new_id != old_id:
        if new is not None:
            previously = f" (was node {old_id})" if old_id else ""
            events.append(Event(at, "election", f"Node {new_id} is the leader in term "
                                                f"{new.term}{previously}."))
        else:
            events.append(Event(at, "election", f"No leader: node {old_id} stopped leading; "
                                                f"an election is under way (term {after.term})."))
    elif new is not None and old is not None and (new.term or 0) > (old.term or 0):
        events.append(Event(at, "election", f"Node {new_id} was re-elected in term {new.term}."))
    elif new is None and after.term > before.term:
        events.append(Event(at, "election", f"Term {after.term} began, no leader yet."))

    members_before, members_after = before.members, after.members
    if members_before and members_after:
        for node_id in sorted(members_after.keys() - members_before.keys()):
            role = "voter" if members_after[node_id] else "learner"
            events.append(Event(at, "member", f"Node {node_id} joined the cluster as a {role}."))
        for node_id in sorted(members_before.keys() - members_after.keys()):
            events.append(Event(at, "member", f"Node {node_id} was removed from the cluster."))
        for node_id in sorted(members_before.keys() & members_after.keys()):
            if members_after[node_id] and not members_before[node_id]:
                events.append(Event(at, "member", f"Node {node_id} was promoted to voter."))

    for node_id in sorted(before.nodes.keys() & after.nodes.keys()):
        was, now = before.nodes[node_id], after.nodes[node_id]
        if was.answered and not now.answered:
            events.append(Event(at, "node", f"Node {node_id} stopped answering."))
        elif now.answered and not was.answered:
            events.append(Event(at, "node", f"Node {node_id} answers again."))
        if was.mysql_up and now.mysql_up is False:
            events.append(Event(at, "mysql", f"Node {node_id}'s MySQL is down: it keeps voting "
                                             f"and replicating, and stops applying."))
        elif was.mysql_up is False and now.mysql_up:
            events.append(Event(at, "mysql", f"Node {node_id}'s MySQL is back; it catches up."))
    return events


@dataclass
class Feed:
    """The newest FEED_LENGTH events, newest first."""

    events: deque[Event] = field(default_factory=lambda: deque(maxlen=FEED_LENGTH))

    def extend(self, new: list[Event]) -> None:
        for event in new:
            self.events.appendleft(event)

    def note(self, text: str) -> None:
        """Records something the person did."""
        self.events.appendleft(Event(time.time(), "action", text))
