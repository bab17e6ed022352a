#!/usr/bin/env python3
"""A stand-in for taskraftd, for the harness self-tests and for dry runs of the cluster tests.

    TASKRAFTD=tests/e2e/fake_taskraftd.py .venv/bin/python -m pytest -m cluster tests/e2e

It is NOT a model of taskraft: there is no consensus and no replication. All fake nodes of one
cluster share one state file (next to their data directories, under a file lock) and serve the
API from it with the client tests' fake (clients/python/tests/fake_cluster.py). The leader is
the lowest member id whose /healthz answers. So the plumbing of a test (harness, client calls,
fixtures) runs for real, while properties that need real fault handling (a minority refusing
writes, a node missing writes while cut off) do not hold and those tests fail by design.

What it does exactly like the contract says: it accepts exactly the operator flags of API.md
(an unknown or missing flag is an error, which pins the command line the harness builds),
connects to its MySQL and creates its database (exiting non-zero with one line when it cannot),
creates user "admin" from --admin-password-file, and exits 0 on SIGTERM.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import signal
import subprocess
import sys
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "clients" / "python" / "tests"))
from fake_cluster import FakeCluster, Recorded, Reply, problem  # noqa: E402

PERSISTED = ("tasks", "history", "index", "passwords", "logins")


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="fake_taskraftd", allow_abbrev=False)
    p.add_argument("--id", type=int, required=True)
    p.add_argument("--peer-addr", required=True)
    p.add_argument("--http-addr", required=True)
    p.add_argument("--initial-cluster")
    p.add_argument("--join")
    p.add_argument("--data-dir", required=True)
    p.add_argument("--mysql", required=True)
    p.add_argument("--cluster-secret-file", required=True)
    p.add_argument("--admin-password-file", required=True)
    return p.parse_args()


def create_database(dsn: str) -> None:
    url = urlsplit(dsn)
    done = subprocess.run(
        ["mariadb", "--no-defaults", "--protocol=TCP", "-h", url.hostname or "", "-P",
         str(url.port), "-u", url.username or "root", "--connect-timeout=3", "-e",
         f"CREATE DATABASE IF NOT EXISTS `{url.path.strip('/')}`"],
        capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"fake_taskraftd: cannot reach MySQL at {dsn}: {done.stderr.strip()}", flush=True)
        sys.exit(2)


class SharedState:
    """The cluster's one state, in a JSON file every fake node reads and writes under flock."""

    def __init__(self, path: Path, members: dict[int, str], admin_password: str):
        self.path = path
        with self.locked() as data:
            data.setdefault("members", {str(k): v for k, v in members.items()})
            data.setdefault("passwords", {"admin": admin_password})

    @contextmanager
    def locked(self) -> Iterator[dict[str, Any]]:
        with open(self.path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            data = json.loads(self.path.read_text()) if self.path.exists() else {}
            yield data
            self.path.write_text(json.dumps(data))

    def handle(self, req: Recorded) -> Reply:
        """Runs one API request through the client tests' FakeCluster on the shared state."""
        with self.locked() as data:
            fake = FakeCluster(0)
            fake.tokens = set(data.get("tokens", []))
            fake.records = {k: (f, Reply(**r)) for k, (f, r) in data.get("records", {}).items()}
            for name in PERSISTED:
                if name in data:
                    value = data[name]
                    setattr(fake, name, {int(k): v for k, v in value.items()}
                            if name in ("tasks", "history") else value)
            reply = fake.handle(req)
            data["tokens"] = sorted(fake.tokens)
            data["records"] = {k: (f, vars(r)) for k, (f, r) in fake.records.items()}
            for name in PERSISTED:
                data[name] = getattr(fake, name)
            return reply


def main() -> None:
    args = parse()
    create_database(args.mysql)
    Path(args.data_dir, "identity").write_text(f"{args.id}\n")
    initial = dict(m.split("=") for m in (args.initial_cluster or "").split(",") if m)
    members = {int(k): v.rsplit(":", 1)[0] + ":8000" for k, v in initial.items()}
    password = Path(args.admin_password_file).read_text().strip()
    state = SharedState(Path(args.data_dir).parents[1] / "fake-cluster-state.json", members,
                        password)
    host, port = args.http_addr.rsplit(":", 1)

    def alive(http_addr: str) -> bool:
        if http_addr == args.http_addr:
            return True
        try:
            with urllib.request.urlopen(f"http://{http_addr}/healthz", timeout=0.3) as r:
                return r.status == 200
        except OSError:
            return False

    def current_members() -> dict[int, str]:
        with state.locked() as data:
            return {int(k): v for k, v in data["members"].items()}

    def leader() -> int | None:
        return next((i for i, addr in sorted(current_members().items()) if alive(addr)), None)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *a: object) -> None:
            print(f"fake_taskraftd {args.id}: {format % a}", flush=True)

        def reply(self, reply: Reply, leader_id: int | None) -> None:
            data = json.dumps(reply.body).encode() if reply.body is not None else b""
            self.send_response(reply.status)
            self.send_header("X-Raft-Node", str(args.id))
            if leader_id:
                self.send_header("X-Raft-Leader", str(leader_id))
            for key, value in reply.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def serve(self) -> None:
            split = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length)) if length else None
            req = Recorded(self.command, split.path,
                           {k: v[-1] for k, v in parse_qs(split.query).items()},
                           {k.lower(): v for k, v in self.headers.items()}, body)
            leader_id = leader()
            if req.path in ("/healthz", "/readyz"):
                ok = req.path == "/healthz" or leader_id is not None
                self.reply(Reply(200 if ok else 503, {"ok": ok}), leader_id)
            elif req.path.startswith("/v1/cluster"):
                self.reply(self.cluster(req, leader_id), leader_id)
            else:
                self.reply(state.handle(req), leader_id)

        def cluster(self, req: Recorded, leader_id: int | None) -> Reply:
            probe = state.handle(Recorded("GET", "/v1/tasks", {"limit": "1"}, req.headers, None))
            if probe.status == 401:
                return probe
            with state.locked() as data:
                if req.path == "/v1/cluster/members" and req.method == "POST":
                    data["members"][str(req.body["id"])] = req.body["http_addr"]
                elif req.path.startswith("/v1/cluster/members/") and req.method == "DELETE":
                    data["members"].pop(req.path.rsplit("/", 1)[1], None)
                elif req.path != "/v1/cluster":
                    return problem(404, "No route")
                index = data.get("index", 0)
                nodes = [{"id": int(i), "peer_addr": addr.rsplit(":", 1)[0] + ":7000",
                          "http_addr": addr, "voter": True, "reachable": True,
                          "role": "leader" if int(i) == leader_id else "follower",
                          "match_index": index, "applied_index": index}
                         for i, addr in sorted(data["members"].items())]
            return Reply(200, {"cluster_id": "fake", "leader_id": leader_id,
                               "term": leader_id or 0, "commit_index": index, "nodes": nodes})

        do_GET = do_POST = do_PATCH = do_DELETE = serve

    server = ThreadingHTTPServer((host, int(port)), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"fake_taskraftd {args.id}: serving on {args.http_addr}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
