"""Fixtures of the UI tests. The cluster fixtures (`mariadb_pool`, `start_cluster`,
`module_cluster`) are the end-to-end ones, from tests/conftest.py.

- `ui_nodes`: TASKRAFT_NODES set to the module cluster's node URLs (TASKRAFT_SUPERVISOR unset)
  for the app run in-process by AppTest.
"""

from __future__ import annotations

import pytest

from harness import Cluster


@pytest.fixture
def ui_nodes(module_cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> Cluster:
    monkeypatch.setenv("TASKRAFT_NODES", ",".join(n.url for n in module_cluster.nodes.values()))
    monkeypatch.delenv("TASKRAFT_SUPERVISOR", raising=False)
    return module_cluster
