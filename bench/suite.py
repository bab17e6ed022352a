"""The benchmark suite behind `make bench`: a 3-node cluster against one plain MariaDB, in one go.

    .venv/bin/python bench/suite.py [--duration 10] [--clients 1,16,64,256] [--out DIR] [--quick]

In order, on this machine:
1. build/bench/raft_core_bench, and build/bench/wal_bench (or bench/wal/wal_bench) when built,
   their output printed verbatim;
2. a private baseline MariaDB (durable: innodb_flush_log_at_trx_commit=1) and a 3-node cluster
   (the e2e harness; each node with its own MariaDB), both up for the rest of the suite;
3. at each client count, one right after the other (the machine's speed drifts over minutes, a
   ratio should not): `taskraft bench --baseline-mysql` autocommit (--batch 1) and batched
   (--batch 16), then `taskraft bench create` twice: clients spread over the nodes (the
   followers relay writes to the leader) and clients that send their writes to the leader
   (--leader-only); at 64 clients (or the largest count given, without 64) then each create
   in an open loop at half its closed-loop throughput, for the same reason right after it;
   before every run the nodes have applied all earlier writes;
4. `get` and `get-stale` with 1,000 seeded tasks at that client count; then, with perf usable,
   one more create run at that count during which the leader and one follower are profiled
   for about 5 s (its figures are shown apart: perf slows the nodes down);
5. one table (and its ratios of cluster create to MariaDB), a JSON file with every figure (each
   run's with how busy the machine's processors were meanwhile, `machine_cpu_busy`, and how
   many pages the MariaDB servers it wrote to flushed meanwhile, `mariadb_flushing`, both also
   in its progress line and the latter in the table: innodb_flushing.py says why) and a PNG plot
   of throughput against p99 latency, written into --out (default build/bench-results).

Guarantees: a progress line before each run; it prints figures, never fails on a timer; it
exits non-zero only when a run could not happen (a server or node would not start, a bench
command exited non-zero), after printing that command's output and the figures it did get.
Everything it starts is stopped at the end, also on an error or Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "clients" / "python"), str(ROOT / "tests" / "e2e")]

import innodb_flushing  # noqa: E402
import machine_cpu  # noqa: E402
import suite_table  # noqa: E402
from harness import (ADMIN, Cluster, HarnessError, MariaDB, Node, WaitTimeout,  # noqa: E402
                     mysql_port, private_cluster)
from suite_perf import Recording, perf_unusable  # noqa: E402
from suite_table import Result  # noqa: E402

SEED_TASKS = 1000
# Every MariaDB server of the suite, the baseline's and the nodes', gets the same memory and redo
# log (docs/operations.md, "MySQL for the apply workload"); the test harness's servers are sized
# for tests (64 MiB buffer pool, 32 MiB redo log), which makes InnoDB flush pages early.
SERVER_SETTINGS = {"innodb_buffer_pool_size": 1 << 30, "innodb_log_file_size": 512 << 20}
# The baseline's runs: rows per transaction, and their series.
BASELINES = ((1, suite_table.AUTOCOMMIT), (16, suite_table.BATCHED))
# How cluster clients send creates: each closed-loop series, its open-loop series, and the
# options that route its writes (spread over the nodes, or to the leader).
ROUTES = tuple(zip(suite_table.CLOSED_LOOP_CREATES, suite_table.OPEN_LOOPS, ([], ["--leader-only"])))
PROFILE_SECONDS = 5.0
PROFILE_AFTER = 1.0  # seconds into the run, once the clients are busy


class RunFailed(RuntimeError):
    """A run could not happen: the message says which and shows its output."""


class Suite:
    def __init__(self, args: argparse.Namespace, work: Path, micro: list[Path]):
        self.args = args
        self.work = work
        self.micro = micro
        self.cli = str(args.build / "taskraft")
        self.runs_dir = args.out / "runs"
        self.reference = 64 if 64 in args.clients else max(args.clients)
        self.perf_problem = perf_unusable()
        # Per client count the baselines and a create per route, an open loop per route at the
        # reference count; then two gets and the profiled run.
        self.total = (len(micro) + (len(BASELINES) + len(ROUTES)) * len(args.clients)
                      + 2 + len(ROUTES) + (0 if self.perf_problem else 1))
        self.step = 0
        self.results: list[Result] = []
        self.micro_output: dict[str, str] = {}
        self.settings: dict[str, Any] = {}
        self.profiles: dict[str, Any] = {}
        self.written: list[str] = []  # files of the out folder, as the report names them

    def progress(self, what: str) -> None:
        self.step += 1
        print(f"[bench {self.step}/{self.total}] {what} ...", flush=True)

    # -- the parts ---------------------------------------------------------------------------

    def micro_benchmarks(self) -> None:
        for binary in self.micro:
            argv = [str(binary)]
            if binary.name == "wal_bench":
                (self.work / "wal").mkdir()
                argv += ["--dir", str(self.work / "wal")]
            self.progress(str(binary.relative_to(ROOT) if binary.is_relative_to(ROOT) else binary))
            process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, text=True)
            lines = []
            assert process.stdout is not None
            for line in process.stdout:
                print(line, end="", flush=True)
                lines.append(line)
            code = process.wait()
            self.micro_output[binary.name] = "".join(lines)
            (self.args.out / f"{binary.name}.txt").write_text(self.micro_output[binary.name])
            self.written.append(f"{binary.name}.txt")
            if code != 0:
                raise RunFailed(f"{shlex.join(argv)} exited {code}")

    @contextlib.contextmanager
    def baseline_server(self) -> Iterator[tuple[MariaDB, str]]:
        """A private MariaDB for the baseline, durable and with the suite's settings; yields it
        and its DSN."""
        # The slot after the cluster's three: its port cannot clash with a node's server.
        server = MariaDB(self.work / "mysql-baseline", mysql_port(self.args.ip_base, 4))
        try:
            dsn = server.start()
            connections = max(self.args.clients) + 50
            server.query("SET GLOBAL innodb_flush_log_at_trx_commit = 1; "
                         f"SET GLOBAL max_connections = {connections}")
            _apply_server_settings(server)
            flush = _flush_setting(server)
            self.settings["baseline_mariadb"] = {
                "dsn": dsn, "innodb_flush_log_at_trx_commit": flush,
                "max_connections": connections, **SERVER_SETTINGS}
            print(f"[bench] baseline MariaDB {dsn}: innodb_flush_log_at_trx_commit={flush} "
                  f"(each commit synced), {_describe_settings()}", flush=True)
            yield server, dsn
        finally:
            server.stop()

    @contextlib.contextmanager
    def cluster(self, taskraftd: Path) -> Iterator[tuple[Cluster, list[str]]]:
        """A 3-node cluster with the suite's server settings; yields it and its bench command."""
        print("[bench] starting 3 MariaDB servers and a 3-node cluster ...", flush=True)
        with private_cluster(self.work, ip_base=self.args.ip_base,
                             binary=taskraftd) as cluster:
            for server in cluster.mariadbs:
                _apply_server_settings(server)
            flush = sorted({_flush_setting(server) for server in cluster.mariadbs})
            self.settings["node_mariadb_innodb_flush_log_at_trx_commit"] = flush
            self.settings["node_mariadb"] = SERVER_SETTINGS
            print(f"[bench] the nodes' MariaDB: innodb_flush_log_at_trx_commit="
                  f"{','.join(map(str, flush))} (the harness's; a write is durable by the "
                  f"WAL's fdatasync), {_describe_settings()}", flush=True)
            yield cluster, [self.cli, "--nodes", ",".join(n.url for n in cluster.nodes.values()),
                            "--user", ADMIN, "--password-file", str(cluster.admin_password_file),
                            "bench"]

    def side_by_side(self, taskraftd: Path) -> None:
        with self.baseline_server() as (baseline, dsn), self.cluster(taskraftd) as (cluster, base):
            # Baseline and cluster at one client count follow each other, so that a slow spell
            # of the machine (other tenants of the host) hits both sides of a ratio.
            for clients in self.args.clients:
                for batch, series in BASELINES:
                    self.bench(series, clients, [self.cli, "bench", "--baseline-mysql", dsn,
                                                 "--batch", str(batch)],
                               cluster=cluster, servers=[baseline])
                for series, _, route in ROUTES:
                    self.bench(series, clients, base + ["create", *route], cluster=cluster)
                if clients == self.reference:
                    self.half_loads(cluster, base)
            reads = ["--seed-tasks", str(SEED_TASKS)]
            self.bench(suite_table.GET, self.reference, base + ["get", *reads], cluster=cluster)
            self.bench(suite_table.GET_STALE, self.reference, base + ["get-stale", *reads],
                       cluster=cluster)
            # Profiles come from a run of their own: perf's overhead stays out of the figures
            # above.
            if self.perf_problem:
                print(f"[bench] no profiles: {self.perf_problem}; skipped", flush=True)
                self.profiles["skipped"] = self.perf_problem
            else:
                self.bench(suite_table.PROFILED, self.reference, base + ["create"], cluster=cluster,
                           profile=True)

    def half_loads(self, cluster: Cluster, base: list[str]) -> None:
        """Each route's creates in an open loop at half its closed loop's throughput, right after
        that closed loop: half of a figure measured minutes earlier, in another spell of the
        machine, would be a different share of what the cluster can do now."""
        for series, open_series, route in ROUTES:
            create = next(r for r in self.results
                          if r.series == series and r.clients == self.reference)
            rate = max(1, round(create.per_second / 2))
            self.bench(open_series, self.reference, base + ["create", *route, "--rate", str(rate)],
                       cluster=cluster, note=f"at {rate}/s")

    # -- one run -----------------------------------------------------------------------------

    def bench(self, series: str, clients: int, command: list[str], *, cluster: Cluster | None = None,
              servers: list[MariaDB] | None = None, profile: bool = False,
              note: str = "") -> Result:
        """`servers`: the MariaDB servers the run writes to (default: the cluster's)."""
        if cluster is not None:  # the previous run's writes applied everywhere, the nodes idle
            for node in cluster.nodes.values():
                node.wait_ready(60)
        if servers is None:
            servers = list(cluster.mariadbs) if cluster is not None else []
        targets = self._profile_targets(cluster) if profile and cluster else []
        self.progress(f"{series}{' ' + note if note else ''}, {clients} "
                      f"client{'s' if clients != 1 else ''}, "
                      f"{self.args.duration:g} s"
                      + (f", perf on {' and '.join(name for name, _ in targets)}" if targets else ""))
        name = f"{self.step:02d}-{_slug(series)}-{clients}"
        json_path, log_path = self.runs_dir / f"{name}.json", self.runs_dir / f"{name}.log"
        argv = command + ["--clients", str(clients), "--duration", f"{self.args.duration:g}",
                          "--json", str(json_path)]
        recordings: list[Recording] = []
        flushing_before = innodb_flushing.sample(servers)
        started = time.monotonic()
        cpu_before = machine_cpu.sample()
        try:
            with open(log_path, "w") as log:
                process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                                           stderr=subprocess.STDOUT)
                try:
                    if targets:
                        recordings = self._start_profiles(process, targets)
                    code = process.wait(timeout=self.args.duration + 600)
                except subprocess.TimeoutExpired:
                    code = None
                finally:
                    if process.poll() is None:
                        process.kill()
                        process.wait()
            cpu_busy = machine_cpu.busy(cpu_before, machine_cpu.sample())
            seconds = time.monotonic() - started
            flushing_after = innodb_flushing.sample(servers) if code == 0 else []
            for recording in recordings:
                self._save_profile(recording)
        finally:
            for recording in recordings:
                recording.close()
        if code != 0:
            output = log_path.read_text().strip().splitlines()[-30:]
            raise RunFailed(f"{series}, {clients} clients: `{shlex.join(argv)}` "
                            f"{'did not end' if code is None else f'exited {code}'}; its output "
                            f"(all of it in {log_path}):\n" + "\n".join(output))
        flushing = (innodb_flushing.describe(flushing_before, flushing_after, seconds)
                    if servers else None)
        extras: dict[str, Any] = {"machine_cpu_busy": round(cpu_busy, 3)}
        if flushing:
            extras[suite_table.FLUSHING] = flushing
        if targets:
            extras["profiled"] = [n for n, _ in targets]
        result = Result(series, clients, argv, json.loads(json_path.read_text()), note, extras)
        self.results.append(result)
        errors = f", {result.errors} errors" if result.errors else ""
        print(f"    {result.per_second:,.0f}/s, p50 {result.latency_ms('p50'):.2f} ms, "
              f"p99 {result.latency_ms('p99'):.2f} ms, the machine's CPU {cpu_busy:.0%} busy"
              f"{errors}", flush=True)
        if flushing:
            print(f"    its MariaDB wrote back {flushing['pages_flushed_per_s']:,.0f} pages/s per "
                  f"server, redo log {flushing['redo_full']:.0%} full at the end", flush=True)
        return result

    # -- profiles ----------------------------------------------------------------------------

    def _profile_targets(self, cluster: Cluster) -> list[tuple[str, Node]]:
        """The leader and one follower, named for the files."""
        leader = cluster.leader()
        follower = cluster.followers()[0]
        return [(f"leader-n{leader.id}", leader), (f"follower-n{follower.id}", follower)]

    def _start_profiles(self, process: subprocess.Popen[bytes],
                        targets: list[tuple[str, Node]]) -> list[Recording]:
        """Once the run is PROFILE_AFTER seconds in, starts recording each target."""
        seconds = min(PROFILE_SECONDS, max(1.0, self.args.duration - 2 * PROFILE_AFTER))
        try:
            process.wait(timeout=PROFILE_AFTER)
            return []  # the run ended already: its exit code tells why
        except subprocess.TimeoutExpired:
            pass
        return [Recording(name, node.pid, seconds, self.work)
                for name, node in targets if node.pid is not None]

    def _save_profile(self, recording: Recording) -> None:
        path = self.args.out / f"perf-{recording.name}.txt"
        problem = recording.report(path)
        if problem:
            print(f"[bench] {problem}", flush=True)
            self.profiles[recording.name] = problem
        else:
            self.profiles[recording.name] = str(path)
            self.written.append(path.name)

    # -- the report --------------------------------------------------------------------------

    def report(self) -> None:
        out = self.args.out
        text = suite_table.table(self.results)
        print("\n" + text)
        (out / "table.txt").write_text(text + "\n")
        options = {"duration_s": self.args.duration, "clients": self.args.clients,
                   "reference_clients": self.reference, "seed_tasks": SEED_TASKS,
                   "ip_base": self.args.ip_base}
        doc = suite_table.document(self.results, options=options, settings=self.settings,
                                   micro=self.micro_output, profiles=self.profiles)
        (out / "bench.json").write_text(json.dumps(doc, indent=1) + "\n")
        suite_table.plot(self.results, out / "bench.png")
        self.written[:0] = ["table.txt", "bench.json (every figure)", "bench.png (throughput vs p99)"]
        print(f"\n[bench] written to {out}/: {', '.join(self.written)}; "
              f"runs/ holds each run's output and JSON", flush=True)


def _slug(series: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", series.lower()).strip("-")


def _apply_server_settings(server: MariaDB) -> None:
    server.query("; ".join(f"SET GLOBAL {name} = {value}" for name, value in SERVER_SETTINGS.items()))


def _describe_settings() -> str:
    return ", ".join(f"{name}={value >> 20} MiB" for name, value in SERVER_SETTINGS.items())


def _flush_setting(server: MariaDB) -> int:
    return int(server.query("SELECT @@GLOBAL.innodb_flush_log_at_trx_commit")[0][0])


def _client_counts(text: str) -> list[int]:
    try:
        counts = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        counts = []
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of client counts: {text!r}")
    return counts


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=float, help="seconds per run (default 10; --quick: 3)")
    ap.add_argument("--clients", type=_client_counts,
                    help="client counts, comma-separated (default 1,16,64,256; --quick: 1,64)")
    ap.add_argument("--out", type=Path, help="output folder (default BUILD/bench-results)")
    ap.add_argument("--quick", action="store_true", help="a smoke test: --duration 3 --clients 1,64")
    ap.add_argument("--build", type=Path, default=ROOT / "build",
                    help="where taskraftd, taskraft and bench/ are (default build)")
    ap.add_argument("--ip-base", type=int, default=150,
                    help="nodes on 127.0.0.(base+i), MariaDB on port 23100+base+i (default 150)")
    args = ap.parse_args(argv)
    if args.duration is None:
        args.duration = 3.0 if args.quick else 10.0
    if args.duration <= 0:
        ap.error("--duration must be positive")
    if args.clients is None:
        args.clients = [1, 64] if args.quick else [1, 16, 64, 256]
    args.build = args.build.resolve()
    args.out = (args.out or args.build / "bench-results").resolve()
    return args


def _executable(path: Path) -> Path:
    if not (path.is_file() and path.stat().st_mode & 0o111):
        raise RunFailed(f"{path} is missing: build it first (make build)")
    return path


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        taskraftd = _executable(args.build / "taskraftd")
        _executable(args.build / "taskraft")
        micro = [_executable(args.build / "bench" / "raft_core_bench")]
    except RunFailed as exc:
        print(f"[bench] {exc}", file=sys.stderr)
        return 1
    wal = [p for p in (args.build / "bench" / "wal_bench", args.build / "bench" / "wal" / "wal_bench")
           if p.is_file()]
    if wal:
        micro.append(wal[0])
    else:
        print("[bench] wal_bench is not built: skipped", flush=True)
    (args.out / "runs").mkdir(parents=True, exist_ok=True)
    for stale in [*(args.out / "runs").iterdir(), *args.out.glob("perf-*.txt")]:
        stale.unlink()  # the suite's own files of an earlier run
    failed = False
    with tempfile.TemporaryDirectory(prefix="taskraft-bench-") as tmp:
        suite = Suite(args, Path(tmp), micro)
        try:
            suite.micro_benchmarks()
            suite.side_by_side(taskraftd)
        except (RunFailed, HarnessError, WaitTimeout) as exc:
            print(f"\n[bench] a run could not happen: {exc}", file=sys.stderr, flush=True)
            failed = True
        except KeyboardInterrupt:
            print("\n[bench] interrupted; everything it started is stopped", file=sys.stderr)
            return 130
    if suite.results:
        suite.report()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
