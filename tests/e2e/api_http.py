"""`Api`: raw HTTP access to a test cluster for the API contract tests (tests/e2e/test_api_*.py).

The contract tests check status codes, headers and bodies byte for byte as API.md states them, so
they speak plain httpx rather than the typed client (which turns answers into exceptions and
dataclasses). Guarantees:
- `Api(cluster)` logs in as admin once; `http(node)` is a kept-alive httpx client bound to one
  node, carrying that token (or `token=` another one, or `token=None` for none).
- `member()` creates (once) a user with role `member` and returns its token.
- `problem(response, status)` asserts an application/problem+json answer of that status with
  type, title, status and detail, and returns its body.
"""

from __future__ import annotations

import secrets
from typing import Any

import httpx

from harness import Cluster
from harness.node import Node

PROBLEM = "application/problem+json"


class Api:
    def __init__(self, cluster: Cluster):
        self.cluster = cluster
        self.nodes: list[Node] = list(cluster.nodes.values())
        self._clients: list[httpx.Client] = []
        self.token = self.login("admin", cluster.admin_password)
        self._member_token: str | None = None

    def close(self) -> None:
        for client in self._clients:
            client.close()

    def http(self, node: Node | None = None, token: str | None | bool = True) -> httpx.Client:
        """A client of `node` (default: the first) with the admin token, another token, or none."""
        node = node or self.nodes[0]
        headers = {}
        bearer = self.token if token is True else token
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        client = httpx.Client(base_url=node.url, headers=headers, timeout=30.0)
        self._clients.append(client)
        return client

    def login(self, username: str, password: str) -> str:
        r = httpx.post(f"{self.nodes[0].url}/v1/auth/login",
                       json={"username": username, "password": password}, timeout=30.0)
        assert r.status_code == 200, r.text
        return r.json()["token"]

    def member(self) -> str:
        """The token of a user with role member (created on first use)."""
        if self._member_token is None:
            name, password = f"member{secrets.token_hex(3)}", secrets.token_urlsafe(12)
            r = self.http().post("/v1/users", json={"username": name, "password": password,
                                                    "role": "member"})
            assert r.status_code == 201, r.text
            self._member_token = self.login(name, password)
        return self._member_token

    def create(self, client: httpx.Client | None = None, **fields: Any) -> dict[str, Any]:
        """A created task (201), with `fields` and a random title unless given."""
        fields.setdefault("title", f"task {secrets.token_hex(4)}")
        r = (client or self.http()).post("/v1/tasks", json=fields)
        assert r.status_code == 201, r.text
        return r.json()


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """The problem+json body of `response`, which must have `status`."""
    assert response.status_code == status, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith(PROBLEM), response.headers
    body = response.json()
    assert body["status"] == status
    assert {"type", "title", "status", "detail"} <= set(body), body
    return body


def field_errors(response: httpx.Response) -> set[str]:
    """The fields a 422 names in `errors`, each error having a field and a message."""
    body = problem(response, 422)
    assert body["errors"], body
    for error in body["errors"]:
        assert set(error) >= {"field", "message"} and error["message"], error
    return {e["field"] for e in body["errors"]}
