"""taskraft_client: the Python client of the taskraft REST API (shared/API.md).

    from taskraft_client import Client
    with Client(["127.0.0.11:8000", "127.0.0.12:8000"], "admin", "secret") as c:
        task = c.create_task("Ship v1", priority="high")
        c.update_task(task.id, status="done", if_match=task.version)

See `client.Client` for the guarantees (failover, exactly-once writes, typed errors).
"""

from .client import UNSET, Client, Unset, new_idempotency_key
from .errors import (ApiError, BadRequest, Conflict, FieldError, Forbidden, NotFound,
                     PreconditionFailed, ServerError, TaskraftError, Unauthorized, Unavailable,
                     ValidationError)
from .metrics import HistogramTotals, MetricSample, NodeMetrics
from .models import (ClusterNode, ClusterStatus, HistoryEntry, ResponseMeta, Session, Task,
                     TaskPage, User)

__all__ = [
    "ApiError", "BadRequest", "Client", "ClusterNode", "ClusterStatus", "Conflict",
    "FieldError", "Forbidden", "HistogramTotals", "HistoryEntry", "MetricSample", "NodeMetrics",
    "NotFound", "PreconditionFailed", "ResponseMeta", "ServerError", "Session", "Task",
    "TaskPage", "TaskraftError", "UNSET",
    "Unauthorized", "Unavailable", "Unset", "User", "ValidationError", "new_idempotency_key",
]
