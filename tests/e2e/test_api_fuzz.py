"""The REST API fuzzed against its own OpenAPI document (GET /v1/openapi.json) with schemathesis,
on a healthy 3-node cluster, with a bounded number of examples per operation (issue 4):

- requests the document allows never get a 5xx, and every answer matches the documented status
  codes, content type and response schema (cluster-changing operations are left out: a valid
  random member change would really change the cluster; a valid `min_index` is kept within the
  log, since one beyond it waits out the request deadline);
- requests the document forbids (for operations whose input can be wrong at all) are refused with a 4xx, never a 5xx, and write nothing: after
  each refused write the tasks (ids and versions) and users are what they were;
- the nodes are alive and ready afterwards.
"""

from __future__ import annotations

from typing import Any, Callable

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance,
                                               response_schema_conformance,
                                               status_code_conformance)

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(240)]

EXAMPLES = 10
CLUSTER_CHANGES = {("POST", "/v1/cluster/members"), ("DELETE", "/v1/cluster/members/{id}"),
                   ("POST", "/v1/cluster/transfer-leader")}
WRITES = {"POST", "PATCH", "DELETE", "PUT"}


@pytest.fixture(scope="module")
def schema(api):
    r = api.http().get("/v1/openapi.json")
    assert r.status_code == 200
    return schemathesis.openapi.from_dict(r.json())


def _operations(schema, keep: Callable[[Any], bool]) -> list[Any]:
    operations = [result.ok() for result in schema.get_all_operations()]
    return [op for op in operations if keep(op)]


def _reachable_index(case):
    """A valid min_index beyond the log is refused with 400 (as an invalid one is): valid
    generated ones are brought down to an index the log has, so the read itself is exercised."""
    if isinstance(case.query, dict) and isinstance(case.query.get("min_index"), int):
        case.query["min_index"] = 1
    return case


def _run(api, operation, mode: GenerationMode, on_answer: Callable[[Any, Any], None]) -> None:
    nodes = api.nodes
    headers = {"Authorization": f"Bearer {api.token}"}
    counter = iter(range(10**6))

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(operation.as_strategy(generation_mode=mode).map(_reachable_index))
    def exercise(case):
        node = nodes[next(counter) % len(nodes)]
        response = case.call(base_url=node.url, headers=headers, timeout=30)
        on_answer(case, response)

    try:
        exercise()
    except Unsatisfiable:
        assert mode is GenerationMode.NEGATIVE, f"no valid request for {operation.label}"


def _fingerprint(api) -> tuple[Any, ...]:
    tasks, cursor = [], None
    while True:
        params: dict[str, Any] = {"limit": 500, "sort": "id"}
        if cursor:
            params["cursor"] = cursor
        body = api.http().get("/v1/tasks", params=params).json()
        tasks += [(t["id"], t["version"]) for t in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    users = sorted(u["username"] for u in api.http().get("/v1/users").json()["items"])
    return tuple(tasks), tuple(users)


def test_valid_requests_get_documented_answers_and_no_5xx(api, schema):
    checks = [not_a_server_error, status_code_conformance, content_type_conformance,
              response_schema_conformance]
    api.create(title="fuzz seed")   # so that some generated ids name a task
    for operation in _operations(schema, lambda op: (op.method.upper(), op.path) not in CLUSTER_CHANGES):
        _run(api, operation, GenerationMode.POSITIVE,
             lambda case, response: case.validate_response(response, checks=checks))
    for node in api.nodes:
        node.wait_ready(30)


def test_invalid_requests_are_refused_and_write_nothing(api, schema):
    refused: list[int] = []

    def check(case, response) -> None:
        case.validate_response(response, checks=[not_a_server_error])
        if case.method.upper() in WRITES:
            assert 400 <= response.status_code < 500, \
                f"{case.method} {case.formatted_path} {case.body!r} answered {response.status_code}"
            assert _fingerprint(api) == before, f"a refused {case.method} {case.path} wrote"
        refused.append(response.status_code)

    before = _fingerprint(api)
    for operation in _operations(schema, lambda op: True):
        _run(api, operation, GenerationMode.NEGATIVE, check)
    assert _fingerprint(api) == before
    assert refused, "the fuzzer sent requests"
    for node in api.nodes:
        node.wait_ready(30)
