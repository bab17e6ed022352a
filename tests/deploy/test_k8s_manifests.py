"""deploy/k8s: every manifest is valid against the Kubernetes JSON schemas (kubernetes-validate,
strict: unknown fields are errors), for the oldest version the manifests need (1.29, native
sidecar containers) and the newest the validator knows; and the properties the README relies on
hold (quorum-keeping PDB, probes on /readyz and /healthz, Parallel pod management, secrets from
a Secret). Offline and fast: the schemas ship inside the package."""

from __future__ import annotations

import copy
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

K8S = Path(__file__).resolve().parents[2] / "deploy" / "k8s"
VERSIONS = ["1.29.0", kubernetes_validate.latest_version()]
MANIFESTS = sorted(p for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")


def documents(path: Path) -> list[dict]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def resource(kind: str, name: str) -> dict:
    for path in MANIFESTS:
        for doc in documents(path):
            if doc["kind"] == kind and doc["metadata"]["name"] == name:
                return doc
    raise AssertionError(f"no {kind} {name} in deploy/k8s")


def test_there_are_manifests():
    assert {p.name for p in MANIFESTS} >= {"statefulset.yaml", "services.yaml", "pdb.yaml", "ui.yaml"}


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_manifest_is_valid(path: Path, version: str):
    for doc in documents(path):
        kubernetes_validate.validate(doc, version, strict=True)


@pytest.mark.parametrize(
    "breakage",
    [
        lambda s: s["spec"].__setitem__("replicas", "three"),
        lambda s: s["spec"]["template"]["spec"]["containers"][0].__setitem__("imagePullPolcy", "Always"),
        lambda s: s["spec"].pop("selector"),
    ],
    ids=["wrong type", "unknown field", "missing required field"],
)
def test_a_broken_manifest_fails(breakage):
    broken = copy.deepcopy(resource("StatefulSet", "taskraft"))
    breakage(broken)
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, VERSIONS[0], strict=True)


def test_kustomization_lists_every_manifest_but_the_example_secret():
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    assert listed == {p.name for p in MANIFESTS} - {"secret.example.yaml"}
    assert all((K8S / r).is_file() for r in listed)


def test_statefulset_keeps_identity_quorum_and_probes():
    sts = resource("StatefulSet", "taskraft")
    spec = sts["spec"]
    assert spec["serviceName"] == "taskraft-peers"
    assert spec["podManagementPolicy"] == "Parallel"  # the first three must start together
    assert spec["updateStrategy"]["type"] == "RollingUpdate"
    assert "partition" in spec["updateStrategy"]["rollingUpdate"]
    pod = spec["template"]["spec"]
    node = next(c for c in pod["containers"] if c["name"] == "taskraftd")
    assert node["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert node["livenessProbe"]["httpGet"]["path"] == "/healthz"
    env = {e["name"]: e for e in node["env"]}
    assert env["POD_IP"]["valueFrom"]["fieldRef"]["fieldPath"] == "status.podIP"
    assert env["TASKRAFT_SERVICE"]["value"] == spec["serviceName"]
    assert not any("PASSWORD" in n and not n.endswith("_FILE") for n in env), "passwords come from files"
    mysql = next(c for c in pod["initContainers"] if c["name"] == "mysql")
    assert mysql["restartPolicy"] == "Always" and mysql["image"].startswith("mysql:8")
    claims = {t["metadata"]["name"] for t in spec["volumeClaimTemplates"]}
    assert claims == {"data", "mysql"}
    secret_volumes = [v for v in pod["volumes"] if "secret" in v]
    assert secret_volumes and secret_volumes[0]["secret"]["secretName"] == "taskraft-secrets"


def test_headless_service_publishes_not_ready_pods():
    peers = resource("Service", "taskraft-peers")
    assert peers["spec"]["clusterIP"] == "None"
    assert peers["spec"]["publishNotReadyAddresses"] is True  # bootstrap needs the names first


def test_pdb_keeps_a_quorum_and_selects_the_nodes():
    pdb = resource("PodDisruptionBudget", "taskraft")
    assert pdb["spec"]["maxUnavailable"] == 1
    sts = resource("StatefulSet", "taskraft")
    assert pdb["spec"]["selector"]["matchLabels"] == sts["spec"]["selector"]["matchLabels"]


def test_ui_lists_every_initial_node_by_its_stable_name():
    ui = resource("Deployment", "taskraft-ui")
    env = {e["name"]: e["value"] for e in ui["spec"]["template"]["spec"]["containers"][0]["env"]}
    nodes = env["TASKRAFT_NODES"].split(",")
    assert nodes == [f"http://taskraft-{i}.taskraft-peers:8000" for i in range(3)]
