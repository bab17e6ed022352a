"""API.md "Auth" on a healthy 3-node cluster: login (200 shape, 401 for wrong credentials), 401 on
every /v1 route without a token or with a bad one, 403 for a member on every admin route, and
user management (201, the list, role and field rules, an existing name refused) from any node."""

from __future__ import annotations

import secrets

import pytest

from api_http import field_errors, problem

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(180)]

USER_ROUTES = [("GET", "/v1/tasks"), ("POST", "/v1/tasks"), ("GET", "/v1/tasks/1"),
               ("PATCH", "/v1/tasks/1"), ("DELETE", "/v1/tasks/1"), ("GET", "/v1/tasks/1/history"),
               ("GET", "/v1/cluster"), ("GET", "/v1/openapi.json")]
ADMIN_ROUTES = [("POST", "/v1/users", {"username": "eve", "password": "pw-pw-pw-pw", "role": "admin"}),
                ("GET", "/v1/users", None),
                ("POST", "/v1/cluster/members", {"id": 9, "peer_addr": "127.0.0.9:7000",
                                                 "http_addr": "127.0.0.9:8000"}),
                ("DELETE", "/v1/cluster/members/2", None),
                ("POST", "/v1/cluster/transfer-leader", {"to": 2})]


def test_login_answers_token_expiry_and_user(api):
    r = api.http(api.nodes[2], token=None).post(
        "/v1/auth/login", json={"username": "admin", "password": api.cluster.admin_password})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) >= {"token", "expires_at", "user"} and body["token"]
    assert body["expires_at"].endswith("Z")
    assert body["user"]["username"] == "admin" and body["user"]["role"] == "admin"
    assert "password" not in str(body["user"]).lower()


@pytest.mark.parametrize("credentials", [{"username": "admin", "password": "wrong"},
                                         {"username": "nobody", "password": "x"}],
                         ids=["wrong-password", "unknown-user"])
def test_wrong_credentials_are_401(api, credentials):
    problem(api.http(token=None).post("/v1/auth/login", json=credentials), 401)


@pytest.mark.parametrize("method,path", [*USER_ROUTES, *[(m, p) for m, p, _ in ADMIN_ROUTES]])
@pytest.mark.parametrize("token", [None, "not-a-token", "Zm9v.YmFy"], ids=["none", "junk", "forged"])
def test_every_v1_route_is_401_without_a_valid_token(api, method, path, token):
    r = api.http(api.nodes[1], token=token).request(method, path, json={} if method != "GET" else None)
    problem(r, 401)


def test_a_token_signed_by_every_node_is_accepted_by_every_node(api):
    for node in api.nodes:
        login = api.http(node, token=None).post(
            "/v1/auth/login", json={"username": "admin", "password": api.cluster.admin_password})
        token = login.json()["token"]
        for other in api.nodes:
            assert api.http(other, token=token).get("/v1/tasks", params={"limit": 1}).status_code == 200


@pytest.mark.parametrize("method,path,body", ADMIN_ROUTES)
def test_a_member_is_403_on_every_admin_route(api, method, path, body):
    problem(api.http(api.nodes[2], token=api.member()).request(method, path, json=body), 403)


def test_a_member_works_on_tasks(api):
    client = api.http(token=api.member())
    task = api.create(client, title="member's")
    assert task["created_by"].startswith("member")
    assert client.patch(f"/v1/tasks/{task['id']}", json={"status": "done"}).status_code == 200
    assert client.get("/v1/cluster").status_code == 200
    assert client.delete(f"/v1/tasks/{task['id']}").status_code == 204


def test_admin_creates_users_of_each_role_and_lists_them_on_every_node(api):
    names = {}
    for role in ("member", "admin"):
        name, password = f"{role}{secrets.token_hex(3)}", secrets.token_urlsafe(12)
        r = api.http(api.nodes[1]).post("/v1/users", json={"username": name, "password": password,
                                                           "role": role})
        assert r.status_code == 201, r.text
        assert r.json()["username"] == name and r.json()["role"] == role
        names[name] = role
        token = api.login(name, password)
        users_status = api.http(token=token).get("/v1/users").status_code
        assert users_status == (200 if role == "admin" else 403)
    for node in api.nodes:
        r = api.http(node).get("/v1/users")
        assert r.status_code == 200
        listed = {u["username"]: u["role"] for u in r.json()["items"]}
        assert listed["admin"] == "admin" and names.items() <= listed.items()
        assert all("password" not in u and "hash" not in str(u) for u in r.json()["items"])


@pytest.mark.parametrize("body,field", [
    ({"username": "x1", "password": "pw-pw-pw-pw", "role": "owner"}, "role"),
    ({"username": "", "password": "pw-pw-pw-pw", "role": "member"}, "username"),
    ({"username": "x2", "role": "member"}, "password"),
    ({"username": 5, "password": "pw-pw-pw-pw", "role": "member"}, "username"),
])
def test_user_fields_are_validated(api, body, field):
    assert field in field_errors(api.http().post("/v1/users", json=body))


def test_an_existing_username_is_refused(api):
    body = {"username": f"dup{secrets.token_hex(3)}", "password": "pw-pw-pw-pw", "role": "member"}
    assert api.http().post("/v1/users", json=body).status_code == 201
    problem(api.http(api.nodes[2]).post("/v1/users", json={**body, "role": "admin"}), 409)
