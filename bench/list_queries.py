"""List-query latency at 100,000 tasks: every main filter, sort and page of `GET /v1/tasks`.

    .venv/bin/python bench/list_queries.py [--tasks 100000] [--repeat 40] [--ip-base 140]
                                           [--json FILE]

Starts a 3-node cluster of build/taskraftd (or $TASKRAFTD), each node with its own private
MariaDB, in a temporary directory; creates --tasks tasks through the API (spread over 3
statuses, 4 priorities, 20 assignees, 10 projects, 50 tags, due dates on two tasks in three, and
descriptions drawn from a 2,000-word vocabulary, one word of which ("common") is in every task);
then asks one follower each query below --repeat times in turn (stale reads, so the figures are
the node's own query cost, not a ReadIndex round) and prints p50/p90/p99 per query, with the
number of items the first page returned. Each "page 2" query follows the next_cursor of its
first page. A measurement, not a test: it prints figures and never fails on a timer.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "clients" / "python"), str(ROOT / "tests" / "e2e")]

from harness import private_cluster, require_taskraftd  # noqa: E402

STATUSES = ["todo", "in_progress", "done"]
PRIORITIES = ["low", "medium", "high", "urgent"]
SEED_THREADS = 12

# (label, query parameters); @rare is a vocabulary word (in about 1% of tasks), @week a week from now.
QUERIES: list[tuple[str, dict[str, str]]] = [
    ("default (-updated_at)", {}),
    ("status=todo", {"status": "todo"}),
    ("priority=urgent", {"priority": "urgent"}),
    ("assignee=user7", {"assignee": "user7"}),
    ("project=proj3", {"project": "proj3"}),
    ("tag=tag11", {"tag": "tag11"}),
    ("due_before (a week)", {"due_before": "@week"}),
    ("q=rare word", {"q": "@rare"}),
    ("q=common word", {"q": "common"}),
    ("q=two words", {"q": "@rare common"}),
    ("q=2 letters, common (LIKE)", {"q": "xo"}),
    ("q=2 letters, absent (LIKE)", {"q": "zq"}),
    ("sort=title", {"sort": "title"}),
    ("sort=-priority", {"sort": "-priority"}),
    ("sort=status", {"sort": "status"}),
    ("sort=due_at", {"sort": "due_at"}),
    ("sort=-created_at", {"sort": "-created_at"}),
    ("status=todo&sort=due_at", {"status": "todo", "sort": "due_at"}),
    ("priority=high&sort=title", {"priority": "high", "sort": "title"}),
    ("project=proj3&sort=-priority", {"project": "proj3", "sort": "-priority"}),
    ("assignee=user7&status=done", {"assignee": "user7", "status": "done"}),
]
PAGED = {"default (-updated_at)", "sort=-priority", "status=todo&sort=due_at", "q=common word"}


def vocabulary() -> list[str]:
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "qu", "xo"]
    rng = random.Random(7)
    words: set[str] = set()
    while len(words) < 2000:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def task_body(i: int, words: list[str], now: float) -> dict:
    rng = random.Random(i)
    body = {
        "title": f"task {i} " + " ".join(rng.choice(words) for _ in range(3)),
        "description": "common " + " ".join(rng.choice(words) for _ in range(rng.randint(5, 25))),
        "status": rng.choice(STATUSES),
        "priority": rng.choice(PRIORITIES),
        "assignee": f"user{rng.randrange(20)}",
        "project": f"proj{rng.randrange(10)}",
        "tags": sorted({f"tag{rng.randrange(50)}" for _ in range(rng.randint(0, 3))}),
    }
    if rng.random() < 2 / 3:
        due = now + rng.uniform(-30, 60) * 86400
        body["due_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(due))
    return body


def seed(cluster, count: int, words: list[str]) -> None:
    leader = cluster.leader()
    now = time.time()
    done = 0
    lock = threading.Lock()
    started = time.monotonic()

    def work(part: int) -> None:
        nonlocal done
        with cluster.client([leader], deadline=60.0) as client:
            for i in range(part, count, SEED_THREADS):
                body = task_body(i, words, now)
                client.create_task(**body)
                with lock:
                    done += 1
                    if done % 10_000 == 0:
                        rate = done / (time.monotonic() - started)
                        print(f"[seed] {done:,}/{count:,} tasks ({rate:,.0f}/s)", flush=True)

    with ThreadPoolExecutor(SEED_THREADS) as pool:
        list(pool.map(work, range(SEED_THREADS)))


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def concrete(params: dict[str, str], words: list[str]) -> dict[str, str]:
    week = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 7 * 86400))
    rare = task_body(4242, words, 0)["title"].split()[2]  # a vocabulary word
    out = {}
    for k, v in params.items():
        out[k] = v.replace("@week", week).replace("@rare", rare)
    return out


def timed(http: httpx.Client, query: dict[str, str], repeat: int) -> tuple[list[float], dict]:
    """`repeat` GET /v1/tasks of `query`: each one's milliseconds, and the last answer."""
    times: list[float] = []
    body: dict = {}
    for _ in range(repeat):
        started = time.perf_counter()
        r = http.get("/v1/tasks", params=query)
        times.append((time.perf_counter() - started) * 1000)
        r.raise_for_status()
        body = r.json()
    return times, body


def measure(http: httpx.Client, label: str, params: dict[str, str], repeat: int) -> dict:
    query = {**params, "consistency": "stale", "limit": "50"}
    times, first_page = timed(http, query, repeat)
    result = {"query": label, "items": len(first_page["items"]), "p50_ms": percentile(times, 50),
              "p90_ms": percentile(times, 90), "p99_ms": percentile(times, 99),
              "mean_ms": statistics.fmean(times)}
    if label in PAGED and first_page["next_cursor"]:
        page2, _ = timed(http, {**query, "cursor": first_page["next_cursor"]}, repeat)
        result["page2_p50_ms"] = percentile(page2, 50)
        result["page2_p99_ms"] = percentile(page2, 99)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--ip-base", type=int, default=140)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    binary = require_taskraftd()
    words = vocabulary()
    with tempfile.TemporaryDirectory(prefix="taskraft-listq-") as tmp, \
            private_cluster(Path(tmp), n=3, ip_base=args.ip_base, binary=binary) as cluster:
        print(f"[list] seeding {args.tasks:,} tasks through the leader ...", flush=True)
        seed(cluster, args.tasks, words)
        leader = cluster.leader()
        follower = next(n for n in cluster.nodes.values() if n.id != leader.id)
        token = cluster.admin().session.token
        results = []
        with httpx.Client(base_url=follower.url, headers={"Authorization": f"Bearer {token}"},
                          timeout=30.0) as http:
            # Wait until the follower has applied everything, then warm its buffer pool once.
            http.get("/v1/tasks", params={"limit": "1"}).raise_for_status()
            for label, params in QUERIES:
                measure(http, label, concrete(params, words), 2)
            for n, (label, params) in enumerate(QUERIES, 1):
                print(f"[list {n}/{len(QUERIES)}] {label} ...", flush=True)
                results.append(measure(http, label, concrete(params, words), args.repeat))
    print(f"\nList queries on a follower, {args.tasks:,} tasks, limit=50, {args.repeat} runs each"
          " (ms):")
    print(f"{'query':<32} {'items':>5} {'p50':>7} {'p90':>7} {'p99':>7} {'page 2 p50/p99':>16}")
    for r in results:
        page2 = (f"{r['page2_p50_ms']:.1f} / {r['page2_p99_ms']:.1f}"
                 if "page2_p50_ms" in r else "")
        print(f"{r['query']:<32} {r['items']:>5} {r['p50_ms']:>7.1f} {r['p90_ms']:>7.1f} "
              f"{r['p99_ms']:>7.1f} {page2:>16}")
    if args.json:
        args.json.write_text(json.dumps({"tasks": args.tasks, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
