"""Fixtures of the end-to-end tests only (the shared ones are in tests/conftest.py).

- `api` (module): an `Api` (api_http.py) over the module's `module_cluster`: raw HTTP clients
  with an admin login, for the API contract tests.
"""

from __future__ import annotations

from typing import Iterator

import pytest

from api_http import Api


@pytest.fixture(scope="module")
def api(module_cluster) -> Iterator[Api]:  # type: ignore[no-untyped-def]
    access = Api(module_cluster)
    yield access
    access.close()
