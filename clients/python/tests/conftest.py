"""Fixtures of the client's unit tests: a fake 3-node cluster and a client logged in to it."""

from __future__ import annotations

from typing import Iterator

import pytest

from fake_cluster import FakeCluster
from taskraft_client import Client


@pytest.fixture
def fake() -> Iterator[FakeCluster]:
    cluster = FakeCluster(3)
    yield cluster
    cluster.close()


@pytest.fixture
def client(fake: FakeCluster) -> Iterator[Client]:
    with Client(fake.urls, "admin", "pw", deadline=5.0, request_timeout=0.5) as c:
        yield c
