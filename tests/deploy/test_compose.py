"""deploy/docker/docker-compose.yml: parses as a Compose file (the compose-spec package, a
binding of the Rust compose_spec parser: unknown keys and wrong types are errors), and has the
structure the Docker docs promise: every node with its own MySQL 8 and volumes, health checks
on /readyz and `mysqladmin ping`, start order by health, secrets only as mounted files, peer
addresses that match the fixed network, and five nodes behind the `five` profile (--join).
Offline and fast; `docker compose` itself is not needed (nor available on CI)."""

from __future__ import annotations

import copy
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from compose_spec import PyCompose

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "deploy" / "docker"
COMPOSE = DOCKER / "docker-compose.yml"
SECRETS_DIR = "/run/secrets/taskraft/"


def load() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def nodes(c: dict) -> dict[str, dict]:
    return {n: s for n, s in c["services"].items() if re.fullmatch(r"node\d+", n)}


def problems(c: dict) -> list[str]:
    """What is wrong with compose document `c` (empty when it is as the docs say)."""
    out: list[str] = []
    services = c.get("services", {})
    ips = {}
    for name, svc in nodes(c).items():
        n = name.removeprefix("node")
        env = svc.get("environment", {})
        if env.get("TASKRAFT_ID") != n:
            out.append(f"{name}: TASKRAFT_ID is not {n}")
        mysql = env.get("TASKRAFT_MYSQL_HOST")
        if mysql != f"mysql{n}" or mysql not in services:
            out.append(f"{name}: no MySQL service of its own")
        elif not services[mysql].get("image", "").startswith("mysql:8"):
            out.append(f"{mysql}: not a MySQL 8 image")
        else:
            test = " ".join(services[mysql].get("healthcheck", {}).get("test", []))
            if "mysqladmin" not in test or "ping" not in test:
                out.append(f"{mysql}: no mysqladmin ping health check")
            if services[mysql].get("profiles") != svc.get("profiles"):
                out.append(f"{mysql}: not in the profile of {name}")
        if svc.get("depends_on", {}).get(mysql, {}).get("condition") != "service_healthy":
            out.append(f"{name}: does not wait for {mysql} to be healthy")
        if "/readyz" not in " ".join(svc.get("healthcheck", {}).get("test", [])):
            out.append(f"{name}: no health check on /readyz")
        for key, value in env.items():
            if "PASSWORD" in key and not key.endswith("_FILE"):
                out.append(f"{name}: {key} puts a password in the environment")
            if key.endswith("_FILE") and not str(value).startswith(SECRETS_DIR):
                out.append(f"{name}: {key} is not under {SECRETS_DIR}")
        if "TASKRAFT_MYSQL" in env:
            out.append(f"{name}: TASKRAFT_MYSQL would carry the password; use TASKRAFT_MYSQL_PASSWORD_FILE")
        if not any(str(v).endswith(":/var/lib/taskraft") for v in svc.get("volumes", [])):
            out.append(f"{name}: no volume for its data dir")
        ip = svc.get("networks", {}).get("taskraft", {}).get("ipv4_address")
        ips[n] = ip
        if env.get("TASKRAFT_PEER_ADDR") != f"{ip}:7000" or env.get("TASKRAFT_HTTP_ADDR") != f"{ip}:8000":
            out.append(f"{name}: addresses do not match its ipv4_address {ip}")
        if svc.get("profiles"):
            if "TASKRAFT_INITIAL_CLUSTER" in env or not env.get("TASKRAFT_JOIN", "").startswith("http://"):
                out.append(f"{name}: a node beyond the first three must --join")
        elif "TASKRAFT_JOIN" in env:
            out.append(f"{name}: an initial node must not --join")
    initial = [s for s in nodes(c).values() if not s.get("profiles")]
    if len(initial) != 3:
        out.append(f"{len(initial)} initial nodes, not 3")
    for svc in initial:
        members = dict(m.split("=") for m in svc["environment"]["TASKRAFT_INITIAL_CLUSTER"].split(","))
        if members != {n: f"{ips[n]}:7000" for n in ("1", "2", "3")}:
            out.append(f"--initial-cluster {members} does not match the nodes' addresses")
    if sorted(s.get("profiles", [""])[0] for s in nodes(c).values()).count("five") != 2:
        out.append("profile five does not add two nodes")
    ui = services.get("ui", {})
    for name, svc in nodes(c).items():
        if not svc.get("profiles") and ui.get("depends_on", {}).get(name, {}).get("condition") != "service_healthy":
            out.append(f"ui: does not wait for {name}")
    for name, svc in services.items():
        build = svc.get("build")
        if build and not (COMPOSE.parent / build["context"] / build["dockerfile"]).is_file():
            out.append(f"{name}: build points at a missing Dockerfile")
    all_volumes = [v for s in services.values() for v in s.get("volumes", []) if not v.startswith("./")]
    named = [v.split(":")[0] for v in all_volumes]
    if len(named) != len(set(named)):
        out.append("a named volume is shared between services")
    return out


def test_compose_file_parses_as_compose_spec():
    compose = PyCompose.from_yaml(COMPOSE.read_text())
    compose.validate()
    assert {"secrets", "ui", "node1", "node2", "node3", "mysql1", "mysql2", "mysql3"} <= set(compose.service_names())


def test_compose_file_has_the_documented_structure():
    assert problems(load()) == []


@pytest.mark.parametrize(
    "breakage, expected",
    [
        (lambda c: c["services"]["node2"].pop("healthcheck"), "node2: no health check on /readyz"),
        (lambda c: c["services"]["node1"]["depends_on"].pop("mysql1"), "node1: does not wait for mysql1"),
        (lambda c: c["services"]["node3"]["environment"].__setitem__("TASKRAFT_MYSQL_PASSWORD", "x"),
         "node3: TASKRAFT_MYSQL_PASSWORD puts a password in the environment"),
        (lambda c: c["services"]["node3"]["networks"]["taskraft"].__setitem__("ipv4_address", "172.28.5.99"),
         "node3: addresses do not match"),
        (lambda c: c["services"]["mysql2"].__setitem__("image", "mariadb:11"), "mysql2: not a MySQL 8 image"),
    ],
)
def test_a_broken_compose_file_is_caught(breakage, expected):
    broken = copy.deepcopy(load())
    breakage(broken)
    assert any(p.startswith(expected) for p in problems(broken)), problems(broken)


def test_a_misspelt_key_fails_the_compose_parser():
    text = COMPOSE.read_text().replace("    healthcheck:\n", "    healthchek:\n", 1)
    with pytest.raises(ValueError, match="healthchek"):
        PyCompose.from_yaml(text)


def test_generated_secrets_are_ignored_by_git_and_docker():
    ignored = subprocess.run(["git", "check-ignore", "-q", "deploy/docker/secrets/cluster_secret"], cwd=ROOT)
    assert ignored.returncode == 0
    assert "deploy/docker/secrets" in (ROOT / ".dockerignore").read_text().split()
