"""How much InnoDB page flushing a benchmark run coincided with, on the MariaDB servers it wrote
to: the suite records it for every run, so that a latency figure comes with what MySQL was doing
meanwhile.

Why it matters: with MariaDB's default `innodb_max_dirty_pages_pct_lwm=0`, InnoDB writes
almost no dirty pages back until the redo log written since the last checkpoint nears its
capacity; from then on it flushes hard (on the development machine about 0.07 pages per task
created, each written twice with the doublewrite buffer) for as long as writes go on. A run
before that point and one after it measure two different machines: docs/operations.md, "MySQL
for the apply workload", has the figures.

Guarantees: sample() reads only global status counters (no locks, nothing changes on the
server); describe() gives the pages written back per second and per server over the run, and how
full the fullest server's redo log was at its end (`Innodb_checkpoint_age` over
`Innodb_checkpoint_max_age`, from 0 to 1; InnoDB flushes hard from about 7/8)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

COUNTERS = ("Innodb_buffer_pool_pages_flushed", "Innodb_checkpoint_age",
            "Innodb_checkpoint_max_age")


class Server(Protocol):
    def query(self, sql: str, timeout: float = 30.0) -> list[list[str]]: ...


@dataclass(frozen=True)
class Sample:
    pages_flushed: int
    checkpoint_age: int
    checkpoint_max_age: int


def sample(servers: list[Server]) -> list[Sample]:
    names = ", ".join(f"'{name}'" for name in COUNTERS)
    samples = []
    for server in servers:
        values = {row[0].lower(): int(row[1]) for row in
                  server.query(f"SHOW GLOBAL STATUS WHERE Variable_name IN ({names})")}
        missing = [name for name in COUNTERS if name.lower() not in values]
        if missing:
            raise ValueError(f"{server!r} has no status variable {', '.join(missing)}")
        samples.append(Sample(*(values[name.lower()] for name in COUNTERS)))
    return samples


def describe(before: list[Sample], after: list[Sample], seconds: float) -> dict[str, Any]:
    """`before` and `after` sample the same servers in the same order."""
    if not after or len(before) != len(after) or seconds <= 0:
        raise ValueError("describe() needs samples of the same servers over a positive time")
    flushed = sum(b.pages_flushed - a.pages_flushed for a, b in zip(before, after))
    full = max(s.checkpoint_age / s.checkpoint_max_age if s.checkpoint_max_age else 0.0
               for s in after)
    return {"pages_flushed_per_s": round(flushed / len(after) / seconds, 1),
            "redo_full": round(full, 3)}
