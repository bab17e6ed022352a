"""Typed errors of the taskraft client.

Every error the server answered with is an `ApiError` carrying the problem+json body
(`type`, `title`, `detail`) and the Raft headers of the response. `Unavailable` is raised when
no node could serve the request before the client's deadline (503s, refused or dropped
connections, timeouts), so a caller can tell "the cluster said no" from "nobody answered".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from .models import ResponseMeta, Task


class TaskraftError(Exception):
    """Base of every error raised by this package."""


class ApiError(TaskraftError):
    """The server answered with an error status."""

    def __init__(self, status: int, problem: Mapping[str, Any], meta: ResponseMeta | None = None):
        self.status = status
        self.problem = dict(problem)
        self.meta = meta
        # A 412 may carry the current task itself as its body rather than a problem document.
        is_problem = isinstance(problem.get("status"), int)
        self.type = str(problem.get("type") or "about:blank") if is_problem else "about:blank"
        self.title = str(problem.get("title") or "") if is_problem else ""
        self.detail = str(problem.get("detail") or "") if is_problem else ""
        super().__init__(f"HTTP {status} {self.title}: {self.detail}".rstrip(": "))


class BadRequest(ApiError):
    """400 (malformed JSON, bad query) or 413 (body over 1 MiB)."""


class Unauthorized(ApiError):
    """401: wrong credentials, or the token was refused even after logging in again."""


class Forbidden(ApiError):
    """403: the user's role does not allow the operation."""


class NotFound(ApiError):
    """404: no such task, user or member."""


class Conflict(ApiError):
    """409 or 412: the request conflicts with the current state; `current` is the task as it is
    now when the server sent it."""

    def __init__(self, status: int, problem: Mapping[str, Any], meta: ResponseMeta | None = None):
        super().__init__(status, problem, meta)
        self.current: Task | None = _task_in(problem)


class PreconditionFailed(Conflict):
    """412: `If-Match` named a version that is no longer current; `current` holds the task."""


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class ValidationError(ApiError):
    """422: the body was understood but refused; `errors` names each offending field. Also what
    re-using an Idempotency-Key with a different body gets."""

    def __init__(self, status: int, problem: Mapping[str, Any], meta: ResponseMeta | None = None):
        super().__init__(status, problem, meta)
        self.errors: tuple[FieldError, ...] = tuple(
            FieldError(field=str(e.get("field", "")), message=str(e.get("message", "")))
            for e in problem.get("errors") or ()
            if isinstance(e, Mapping)
        )


class ServerError(ApiError):
    """Any other error status the client does not retry (500 and the like)."""


class Unavailable(TaskraftError):
    """No node served the request before the deadline. `last_status` is the last HTTP status
    seen (None when the last try failed at the connection level), `cause` the last transport
    error, `attempts` how many sends were made."""

    def __init__(self, message: str, *, attempts: int, last_status: int | None = None,
                 last_meta: ResponseMeta | None = None, cause: BaseException | None = None):
        super().__init__(message)
        self.attempts = attempts
        self.last_status = last_status
        self.last_meta = last_meta
        self.cause = cause


def _task_in(problem: Mapping[str, Any]) -> Task | None:
    """412 bodies carry the current task, either as the body itself or under "current"/"task"."""
    for candidate in (problem.get("current"), problem.get("task"), problem):
        if isinstance(candidate, Mapping) and "id" in candidate and "version" in candidate:
            return Task.from_json(candidate)
    return None


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    412: PreconditionFailed,
    413: BadRequest,
    422: ValidationError,
}


def error_for(status: int, problem: Mapping[str, Any], meta: ResponseMeta | None) -> ApiError:
    """The typed error for an error response."""
    return _BY_STATUS.get(status, ServerError)(status, problem, meta)
