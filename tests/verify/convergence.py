"""Convergence: after healing and a quiet period every node's MySQL holds the same rows at the
same applied index.

`digest(mariadb, database)` reads, straight from a node's own MariaDB with the `mariadb` client
(never through taskraftd), the applied index from `meta` and CHECKSUM TABLE of the replicated
tables. `wait_digests` polls every node until all digests agree or the timeout passes, and
returns the last ones; `check` compares them. Guarantee: a node whose digest differs from the
majority's, or that could not be read, is a Violation naming the node and what differs.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from typing import Mapping, Sequence

from .violations import Violation

NAME = "convergence"
TABLES = ("tasks", "task_tags", "task_history", "idempotency", "users")


@dataclass(frozen=True)
class Digest:
    applied_index: int
    checksums: tuple[tuple[str, str], ...]


def digest(mariadb, database: str) -> Digest:  # type: ignore[no-untyped-def]
    index = mariadb.query(f"SELECT applied_index FROM `{database}`.meta")
    sums = mariadb.query("CHECKSUM TABLE " + ", ".join(f"`{database}`.{t}" for t in TABLES))
    return Digest(int(index[0][0]), tuple((row[0].split(".", 1)[1], row[1]) for row in sums))


def wait_digests(nodes: Sequence, timeout: float = 60.0) -> dict[int, Digest | None]:  # type: ignore[type-arg]
    deadline = time.monotonic() + timeout
    while True:
        got: dict[int, Digest | None] = {}
        for node in nodes:
            try:
                got[node.id] = digest(node.mysql, node.database)
            except Exception:  # noqa: BLE001 - an unreadable node is reported by check()
                got[node.id] = None
        if not check(got) or time.monotonic() >= deadline:
            return got
        time.sleep(1.0)


def check(digests: Mapping[int, Digest | None]) -> list[Violation]:
    readable = [d for d in digests.values() if d is not None]
    out = [Violation(NAME, None, f"node {n}: its MySQL could not be read")
           for n, d in sorted(digests.items()) if d is None]
    if not readable:
        return out
    common, _ = Counter(readable).most_common(1)[0]
    for n, d in sorted(digests.items()):
        if d is None or d == common:
            continue
        if d.applied_index != common.applied_index:
            out.append(Violation(NAME, None, f"node {n} applied index {d.applied_index}, the "
                                 f"others {common.applied_index}"))
        differ = [t for (t, s), (_, c) in zip(d.checksums, common.checksums) if s != c]
        if differ:
            out.append(Violation(NAME, None, f"node {n} differs in tables {differ}"))
    return out
