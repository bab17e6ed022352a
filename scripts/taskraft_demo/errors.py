"""The demo's errors: each one's message is a sentence for the person running the demo.

- `DemoError`: the demo cannot start or go on (a port is taken, a bad TASKRAFT_MYSQL, ...).
- `NotFound`: the supervisor was asked about a node or an action that does not exist (HTTP 404).
- `Conflict`: the action exists but cannot be done now or here (HTTP 409), e.g. starting a
  node that runs, or stopping a MySQL server the demo does not own.
"""


class DemoError(RuntimeError):
    pass


class NotFound(LookupError):
    pass


class Conflict(RuntimeError):
    pass
