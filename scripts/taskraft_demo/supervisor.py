"""The demo supervisor: a loopback-only HTTP JSON server that starts and faults the demo's
processes, for the UI's cluster page (and for anyone with curl on the demo machine).

API (JSON in and out; docs/demo.md has the same):

    GET  /nodes
         200 {"nodes": [{"id": 1, "http_addr": "127.0.0.11:8000", "peer_addr": "127.0.0.11:7000",
                         "running": true, "paused": false, "isolated": false,
                         "mysql_running": true}, ...]}
    POST /nodes/{id}/{action}      action: kill | start | pause | resume | isolate | heal |
                                           mysql-stop | mysql-start
         200 {"ok": true, "node": {...the node, as in GET /nodes, after the action...}}
         404 {"error": "..."}      unknown node id, action or path
         409 {"error": "..."}      the action cannot be done now or here (killing a node that is
                                   not running, starting one that runs, mysql-stop when every node
                                   shares TASKRAFT_MYSQL, isolate without iptables, ...)
         403 {"error": "..."}      the request came from a web page (it has an Origin header) or
                                   names a host other than a loopback address (DNS rebinding)

    kill = SIGKILL, start = the same command line again, pause = SIGSTOP, resume = SIGCONT,
    isolate = iptables DROP between the node's IP and every other node's IP (both ways), heal =
    removes that node's DROP rules; mysql-stop/-start = the node's own private MariaDB.
    Leadership transfer is not here: it is POST /v1/cluster/transfer-leader of the REST API.

Guarantees:
- It binds an IPv4 loopback address (127.0.0.0/8) and nothing else: any other host, a host name
  or the wildcard address is refused with DemoError before a socket is opened. There is no
  authentication, so loopback is its boundary; browsers cannot drive it from a web page because
  requests carrying an Origin header or a non-loopback Host are refused.
- Actions run one at a time (`DemoCluster.act`); the answer tells the node's state after it.
- `close()` stops serving. Healing partitions and resuming paused nodes before stopping them is
  `DemoCluster.close()`, which the demo runs on exit right after this.
"""

from __future__ import annotations

import ipaddress
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TextIO

from .cluster import DemoCluster
from .errors import Conflict, DemoError, NotFound

ACTION_PATH = re.compile(r"^/nodes/([^/]+)/([^/]+)$")
LOOPBACK_HOSTS = re.compile(r"^(127(\.\d{1,3}){3}|localhost)(:\d+)?$")


def check_loopback(host: str) -> str:
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        raise DemoError(f"the supervisor binds an IPv4 loopback address such as 127.0.0.1, "
                        f"not {host!r}") from None
    if addr.version != 4 or not addr.is_loopback:
        raise DemoError(f"the supervisor has no authentication and binds loopback only; "
                        f"refusing {host}")
    return str(addr)


class Supervisor:
    def __init__(self, cluster: DemoCluster, host: str = "127.0.0.1", port: int = 8090, *,
                 log: TextIO | None = None):
        self.cluster = cluster
        self._log = log
        self._server = ThreadingHTTPServer((check_loopback(host), port), self._handler())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> Supervisor:
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.2,),
                                        name="supervisor", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def log(self, line: str) -> None:
        if self._log is not None:
            self._log.write(f"{time.strftime('%H:%M:%S')} {line}\n")
            self._log.flush()

    def answer(self, method: str, path: str, headers: dict[str, str]) -> tuple[int, Any]:
        """(status, JSON body) for one request: the whole API, without the HTTP plumbing."""
        if "origin" in headers or not LOOPBACK_HOSTS.match(headers.get("host", "")):
            return 403, {"error": "the supervisor answers local programs only, not web pages "
                                  "(Origin header or non-loopback Host refused)"}
        try:
            if path == "/nodes":
                if method != "GET":
                    return 405, {"error": f"{method} /nodes: use GET"}
                return 200, {"nodes": self.cluster.views()}
            match = ACTION_PATH.match(path)
            if match is None:
                return 404, {"error": f"no such endpoint: {path} (GET /nodes, "
                                      f"POST /nodes/{{id}}/{{action}})"}
            if method != "POST":
                return 405, {"error": f"{method} {path}: use POST"}
            node_id, action = match.groups()
            if not node_id.isdigit():
                raise NotFound(f"no node {node_id!r}: node ids are numbers")
            node = self.cluster.act(int(node_id), action)
            self.log(f"{action} node {node_id}: done -> {node}")
            return 200, {"ok": True, "node": node}
        except NotFound as exc:
            return 404, {"error": str(exc)}
        except Conflict as exc:
            self.log(f"{method} {path}: refused: {exc}")
            return 409, {"error": str(exc)}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        supervisor = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                supervisor.log(f"{self.address_string()} {format % args}")

            def serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, body = supervisor.answer(self.command, self.path.split("?", 1)[0],
                                                 headers)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = serve

        return Handler
