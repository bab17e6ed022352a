"""`python -m tests.verify`: N verification runs, a progress line each, then a table.

    .venv/bin/python -m tests.verify --runs 5 --seconds 60 --nodes 3 --seed 1

Run i uses seed X+i. Private MariaDB servers (one per node slot, ports 23100+ip_base+i) and the
iptables chain TASKRAFT-VERIFY-<ip_base> are set up once and removed at the end. Each run's directory is
<out>/seed-<seed>; a failing run prints its seed, its directory and the command that replays it.
TASKRAFTD=path runs another taskraftd binary; the replay command repeats it and any VERIFY_*
variable (what a locally instrumented binary may read). Exit status: 0 when no run found a violation.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for extra in (ROOT / "clients" / "python", ROOT / "tests" / "e2e"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from harness import MariaDB, Network, iptables_usable, start_all  # noqa: E402

from .nemesis import FAULTS  # noqa: E402
from .run import RunConfig, RunResult, keep_binary, run_once  # noqa: E402


def replay_command(args: argparse.Namespace, seed: int) -> str:
    names = ["TASKRAFTD"] + sorted(k for k in os.environ if k.startswith("VERIFY_"))
    env = "".join(f"{k}={os.environ[k]} " for k in names if os.environ.get(k))
    faults = f" --faults {args.faults}" if args.faults != ",".join(FAULTS) else ""
    return (f"{env}.venv/bin/python -m tests.verify --runs 1 --seconds {args.seconds:g} "
            f"--nodes {args.nodes} --seed {seed} --clients {args.clients}{faults}")


def table(results: list[RunResult]) -> str:
    head = f"{'run':>3}  {'seed':>8}  {'secs':>6}  {'ops ok/fail/unknown':>20}  {'faults':>6}  violations"
    lines = [head, "-" * len(head)]
    for i, r in enumerate(results, 1):
        ops = f"{r.counts['ok']}/{r.counts['fail']}/{r.counts['unknown']}"
        kinds = sorted({v.checker for v in r.violations})
        what = f"{len(r.violations)} ({', '.join(kinds)})" if r.violations else "0"
        if r.undecided:
            what += f"; {r.undecided} task(s) undecided"
        lines.append(f"{i:>3}  {r.seed:>8}  {r.seconds:>6.0f}  {ops:>20}  {r.faults:>6}  {what}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.verify", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--seconds", type=float, default=60.0, help="fault phase of each run")
    p.add_argument("--nodes", type=int, choices=(3, 5), default=3)
    p.add_argument("--seed", type=int, default=int(time.time()) % 100000)
    p.add_argument("--clients", type=int, default=10)
    p.add_argument("--quiet", type=float, default=5.0, help="seconds without faults at the end")
    p.add_argument("--faults", default=",".join(FAULTS), help="comma-separated subset of: "
                   + ", ".join(FAULTS))
    p.add_argument("--ip-base", type=int, default=int(os.environ.get("TASKRAFT_E2E_IP_BASE") or 150))
    p.add_argument("--out", type=Path, default=Path("/tmp/taskraft-verify"))
    args = p.parse_args(argv)
    faults = tuple(f for f in args.faults.split(",") if f)
    unknown = set(faults) - set(FAULTS)
    if unknown:
        p.error(f"unknown faults: {sorted(unknown)}")
    reason = iptables_usable()
    if reason:
        p.error(f"cannot inject partitions: {reason}")
    mariadbs = [MariaDB(args.out / "mariadb" / f"n{i}", 23100 + args.ip_base + i)
                for i in range(1, args.nodes + 1)]
    start_all(mariadbs)
    binary = keep_binary(args.out / "bin")
    print(f"[verify] taskraftd under test: {binary} (copied from "
          f"{os.environ.get('TASKRAFTD') or 'build/taskraftd'})", flush=True)
    network = Network(f"TASKRAFT-VERIFY-{args.ip_base}").open()
    results: list[RunResult] = []
    try:
        for i in range(args.runs):
            seed = args.seed + i
            config = RunConfig(seed=seed, seconds=args.seconds, nodes=args.nodes,
                               clients=args.clients, quiet=args.quiet, ip_base=args.ip_base,
                               out=args.out, faults=faults, binary=binary)
            r = run_once(config, mariadbs, network)
            results.append(r)
            c = r.counts
            print(f"[verify] run {i + 1}/{args.runs} seed {seed}: {c['ok']} ok, {c['fail']} fail, "
                  f"{c['unknown']} unknown, {r.faults} faults, {len(r.violations)} violations "
                  f"({r.seconds:.0f} s) -> {r.run_dir}", flush=True)
            for note in r.notes:
                print(f"    note: {note}", flush=True)
            for v in r.violations[:10]:
                print(f"    {v}", flush=True)
            if r.violations:
                print(f"    replay: {replay_command(args, seed)}", flush=True)
    finally:
        network.close()
        for m in mariadbs:
            m.stop()
    print(table(results))
    return 1 if any(r.violations for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
