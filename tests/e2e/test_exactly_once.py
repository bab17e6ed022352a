"""Exactly-once writes under a leader crash (issue 4, API.md "Consistency and retries"): ~20
creates with Idempotency-Keys are in flight — half sent to the leader itself, half forwarded by
followers — when the leader is killed with SIGKILL; every request that got no final answer is
retried, same key and body, against the surviving nodes until one answers. Afterwards every
task exists exactly once, on every node, with the id its answer named."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from checks import assert_each_title_once

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(150)]

WRITES = 20
FINAL = {201, 422}   # 422 would mean the key was seen with another body: a failure, but final


def _send(url: str, token: str, body: dict[str, Any], key: str) -> httpx.Response | None:
    """One attempt; None when the node gave no final answer (dropped, timed out, 5xx)."""
    try:
        r = httpx.post(f"{url}/v1/tasks", json=body, timeout=10.0,
                       headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key})
    except httpx.HTTPError:
        return None
    return r if r.status_code in FINAL else None


def _retry(urls: list[str], token: str, body: dict[str, Any], key: str,
           deadline: float) -> httpx.Response:
    attempt = 0
    while time.monotonic() < deadline:
        r = _send(urls[attempt % len(urls)], token, body, key)
        if r is not None:
            return r
        attempt += 1
        time.sleep(min(0.05 * attempt, 0.5))  # back off between rounds, as a client would
    raise AssertionError(f"no node answered {body['title']} before the deadline")


def test_creates_in_flight_at_a_leader_kill_happen_exactly_once(start_cluster):
    cluster = start_cluster(3)
    leader = cluster.leader()
    followers = [n for n in cluster.nodes.values() if n is not leader]
    token = httpx.post(f"{followers[0].url}/v1/auth/login", timeout=30.0,
                       json={"username": "admin", "password": cluster.admin_password}).json()["token"]
    tag = f"eo{uuid.uuid4().hex[:6]}"
    requests = [({"title": f"{tag}-{i}", "tags": [tag]}, uuid.uuid4().hex) for i in range(WRITES)]
    targets = [leader.url if i % 2 == 0 else followers[(i // 2) % 2].url
               for i in range(WRITES)]
    sending = threading.Barrier(WRITES + 1)

    def first_attempt(i: int) -> httpx.Response | None:
        sending.wait()
        return _send(targets[i], token, *requests[i])

    with ThreadPoolExecutor(WRITES) as pool:
        futures = [pool.submit(first_attempt, i) for i in range(WRITES)]
        sending.wait()
        leader.kill()
        first = [f.result() for f in futures]

    unanswered = [i for i, r in enumerate(first) if r is None]
    deadline = time.monotonic() + 60
    survivors = [n.url for n in followers]
    answers = {i: r for i, r in enumerate(first) if r is not None}
    for i in unanswered:
        answers[i] = _retry(survivors, token, *requests[i], deadline)
    # an answered write retried once more must also return its first answer
    for i, r in list(answers.items())[:3]:
        again = _retry(survivors, token, *requests[i], deadline)
        assert again.json() == r.json(), "a replay returns the first response"

    assert all(r.status_code == 201 for r in answers.values()), \
        {requests[i][0]["title"]: r.text for i, r in answers.items() if r.status_code != 201}
    ids = {requests[i][0]["title"]: r.json()["id"] for i, r in answers.items()}
    assert len(set(ids.values())) == WRITES, "each write has its own task"

    leader.restart()
    leader.wait_ready(40)
    content = cluster.wait_converged(must_include=list(ids.values()), timeout=60)
    assert_each_title_once(content, f"{tag}-")
    assert {t["title"]: tid for tid, t in content.items() if t["title"].startswith(f"{tag}-")} == ids
    print(f"{len(unanswered)} of {WRITES} creates were unanswered at the kill and retried")
