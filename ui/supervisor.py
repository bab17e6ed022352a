"""The UI's client of the local demo supervisor (TASKRAFT_SUPERVISOR, started by `make demo`):
the processes behind each node, and the faults a person may inject into them.

Contract (scripts/taskraft_demo/supervisor.py): `GET /nodes` -> {"nodes": [{"id", "http_addr",
"peer_addr", "running", "paused", "isolated", "mysql_running"}]}; `POST /nodes/{id}/{action}`
-> 200 {"ok": true, "node": {...}} or 4xx {"error": "..."}.

Guarantees: every failure (refused connection, timeout, an error answer) raises
`SupervisorError` whose message is a sentence to show as it is; `actions(node)` lists only the
actions that make sense in the node's present state, in the order the UI shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

ACTION_LABEL = {
    "kill": "Kill", "start": "Start", "pause": "Pause", "resume": "Resume",
    "isolate": "Isolate", "heal": "Heal", "mysql-stop": "Stop MySQL", "mysql-start": "Start MySQL",
}


class SupervisorError(Exception):
    pass


@dataclass(frozen=True)
class SupervisedNode:
    id: int
    http_addr: str
    running: bool
    paused: bool
    isolated: bool
    mysql_running: bool

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SupervisedNode:
        return cls(int(data["id"]), str(data.get("http_addr") or ""), bool(data.get("running")),
                   bool(data.get("paused")), bool(data.get("isolated")),
                   bool(data.get("mysql_running")))


def actions(node: SupervisedNode) -> list[str]:
    out = ["kill"] if node.running else ["start"]
    if node.running:
        out.append("resume" if node.paused else "pause")
    out.append("heal" if node.isolated else "isolate")
    out.append("mysql-stop" if node.mysql_running else "mysql-start")
    return out


class Supervisor:
    def __init__(self, base_url: str, timeout: float = 5.0):
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(timeout=timeout)

    def close(self) -> None:
        self._http.close()

    def _call(self, method: str, path: str) -> Any:
        try:
            response = self._http.request(method, self.base_url + path)
        except httpx.HTTPError as exc:
            raise SupervisorError(f"the demo supervisor at {self.base_url} did not answer "
                                  f"({type(exc).__name__})") from None
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code >= 400:
            reason = body.get("error") if isinstance(body, dict) else None
            raise SupervisorError(reason or f"the supervisor answered HTTP "
                                            f"{response.status_code}")
        return body

    def nodes(self) -> dict[int, SupervisedNode]:
        body = self._call("GET", "/nodes")
        return {n.id: n for n in (SupervisedNode.from_json(d) for d in body.get("nodes") or ())}

    def act(self, node_id: int, action: str) -> SupervisedNode:
        if action not in ACTION_LABEL:
            raise SupervisorError(f"unknown action {action!r}")
        body = self._call("POST", f"/nodes/{int(node_id)}/{action}")
        return SupervisedNode.from_json(body["node"])
