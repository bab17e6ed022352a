"""Fixtures of the UI tests. The cluster fixtures (`mariadb_pool`, `start_cluster`,
`module_cluster`) are the end-to-end ones, from tests/conftest.py.

The repository root goes on sys.path here, so tests import the UI's modules as `ui.<module>`
(as ui/app.py does when Streamlit runs it).

- `ui_nodes`: TASKRAFT_NODES set to the module cluster's node URLs (TASKRAFT_SUPERVISOR unset)
  for the app run in-process by AppTest.
"""

from __future__ import annotations

import sys

import pytest

from harness import REPO_ROOT, Cluster

if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))


@pytest.fixture
def ui_nodes(module_cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> Cluster:
    monkeypatch.setenv("TASKRAFT_NODES", ",".join(n.url for n in module_cluster.nodes.values()))
    monkeypatch.delenv("TASKRAFT_SUPERVISOR", raising=False)
    return module_cluster
