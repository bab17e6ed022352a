"""`Violation`: one thing a checker found wrong, named by checker and (when there is one) task id.

Every checker returns a list of these; an empty list is a pass. `detail` is one human sentence;
`ops` the indexes of the history operations that show it (for the run directory's timeline).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Violation:
    checker: str
    key: int | None
    detail: str
    ops: tuple[int, ...] = field(default=())

    def __str__(self) -> str:
        where = f" task {self.key}" if self.key is not None else ""
        return f"[{self.checker}]{where}: {self.detail}"
