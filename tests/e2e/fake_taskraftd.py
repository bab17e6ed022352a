#!/usr/bin/env python3
"""A stand-in for taskraftd used only by the harness self-tests (test_harness_node.py).

It accepts exactly the operator flags of API.md (an unknown or missing flag is an error, which
pins the command line the harness builds), connects to its MySQL and creates its database like
the real one, writes a file into its data directory, and serves /healthz, /readyz,
POST /v1/auth/login (checking the admin password file) and GET /v1/cluster, naming the lowest id
of --initial-cluster as leader. SIGTERM makes it exit 0. There is no consensus here: it exists
to test process control, logs, probes and cleanup of the harness without the real server.
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit


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


def main() -> None:
    args = parse()
    create_database(args.mysql)
    Path(args.data_dir, "identity").write_text(f"{args.id}\n")
    password = Path(args.admin_password_file).read_text().strip()
    members = [int(m.split("=")[0]) for m in (args.initial_cluster or "").split(",") if m]
    leader = min(members) if members else None
    host, port = args.http_addr.rsplit(":", 1)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *a: object) -> None:
            print(f"fake_taskraftd {args.id}: {format % a}", flush=True)

        def reply(self, status: int, body: object = None) -> None:
            data = json.dumps(body).encode() if body is not None else b""
            self.send_response(status)
            self.send_header("X-Raft-Node", str(args.id))
            if leader:
                self.send_header("X-Raft-Leader", str(leader))
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path in ("/healthz", "/readyz"):
                self.reply(200, {"ok": True})
            elif self.path == "/v1/cluster" and self.headers.get("Authorization") == "Bearer t":
                self.reply(200, {"cluster_id": "fake", "leader_id": leader, "term": 1,
                                 "commit_index": 0, "nodes": [
                                     {"id": m, "role": "leader" if m == leader else "follower",
                                      "voter": True, "reachable": True} for m in members]})
            else:
                self.reply(401 if self.path == "/v1/cluster" else 404)

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            ok = body == {"username": "admin", "password": password}
            self.reply(200 if ok else 401, {"token": "t", "expires_at": None,
                                            "user": {"username": "admin", "role": "admin"}})

    server = ThreadingHTTPServer((host, int(port)), Handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"fake_taskraftd {args.id}: serving on {args.http_addr}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
