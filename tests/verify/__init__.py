"""tests/verify: a Jepsen-style verification suite for taskraft.

Real taskraftd processes (the e2e harness) under a seeded nemesis, a concurrent workload that
records every operation as invoke then ok/fail/unknown, and independent checkers:

    history.py          the recorded operations (JSONL), one logical process per client thread
    workload.py         the client threads: create/read/update (with and without If-Match)/
                        delete/list against random nodes, idempotent retries
    nemesis.py          the fault schedule drawn from a seed, and its execution (always healed)
    linearizable.py     Wing-Gong/Lowe search with memoization, for any sequential model
    task_register.py    a task as a versioned register; a history split into per-task histories
    lost_writes.py      every acknowledged create/update/delete is reflected at the end
    exactly_once.py     no retried idempotent create took effect twice
    convergence.py      every node's MySQL holds the same task tables at the same applied index
    violations.py       what every checker returns
    timeline.py         a text timeline of one task's operations, for a failing run
    run.py              one run: cluster, load, faults, heal, quiet, checks, run directory
    __main__.py         `python -m tests.verify --runs N --seconds S --nodes 3|5 --seed X`
                        (`make verify`); docs/verify.md has the results
    test_*.py           the checkers on hand-made histories; test_verify_short.py (marker
                        `cluster`) is the short fault run of `make test`
"""
