"""`python -m taskraft_demo`: what `make demo` runs once scripts/bootstrap has run.

In order: takes the demo directory's lock (one demo per directory), checks every address it
will listen on and names each one that is taken (before building, so nobody waits for a build
to learn it), builds (`make build`, unless TASKRAFTD names a binary), starts one private MariaDB
per node (or uses TASKRAFT_MYSQL), three taskraftd nodes, the supervisor and the UI, waits until
every node answers /readyz, and prints the UI and API addresses and the admin login.
Guarantees:
- SIGINT (Ctrl-C), SIGTERM and SIGHUP (the terminal closed) stop everything it started, in
  this order: UI, supervisor, partitions healed, paused nodes resumed, nodes stopped with
  SIGTERM, MariaDB servers stopped.
  The same happens when starting fails. Exit code 0 after a signal, 1 on any failure.
- Data stays in the demo directory (.demo/ by default): a second run rejoins it and keeps the
  tasks, the cluster secret and the admin password. Logs: one file per process there.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, NoReturn

import httpx

from harness import REPO_ROOT, HarnessError, WaitTimeout

from .cluster import DemoCluster, MySQL
from .errors import DemoError
from .layout import LOOPBACK, Layout
from .mysql import PrivateMySQL, SharedMySQL
from .ports import Address, taken
from .supervisor import Supervisor
from .ui import UI

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
READY_TIMEOUT = 120.0
UI_TIMEOUT = 60.0


class Interrupted(Exception):
    pass


def say(message: str) -> None:
    """Prints a progress line; a closed terminal (SIGHUP) must not stop the clean-up."""
    try:
        print(f"[demo] {message}", flush=True)
    except OSError:
        pass


def parse(argv: list[str] | None) -> Layout:
    p = argparse.ArgumentParser(prog="make demo", description=__doc__.split("\n")[0])
    p.add_argument("--dir", type=Path, default=REPO_ROOT / ".demo",
                   help="where data, secrets and logs live (default .demo/)")
    p.add_argument("--ip-base", type=int, default=10,
                   help="node i listens on 127.0.0.(IP_BASE+i) (default 10)")
    p.add_argument("--mysql-port-base", type=int, default=23200,
                   help="node i's MariaDB listens on MYSQL_PORT_BASE+IP_BASE+i (default 23200)")
    p.add_argument("--supervisor-port", type=int, default=8090)
    p.add_argument("--ui-port", type=int, default=8501)
    a = p.parse_args(argv)
    return Layout(a.dir.resolve(), ip_base=a.ip_base, mysql_port_base=a.mysql_port_base,
                  supervisor_port=a.supervisor_port, ui_port=a.ui_port)


def take_lock(layout: Layout) -> IO[str]:
    lock = open(layout.directory / "demo.lock", "a+")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        raise DemoError(f"another demo already runs from {layout.directory} "
                        f"(pid {lock.read().strip() or '?'}); stop it first") from None
    lock.truncate(0)
    lock.write(f"{os.getpid()}\n")
    lock.flush()
    return lock


def mysqls_for(layout: Layout) -> dict[int, MySQL]:
    shared = os.environ.get("TASKRAFT_MYSQL")
    if shared:
        server = SharedMySQL(shared)
        return {i: server for i in layout.node_ids()}
    return {i: PrivateMySQL(layout.mysql_dir(i), layout.mysql_port(i)) for i in layout.node_ids()}


def addresses(layout: Layout, mysqls: dict[int, MySQL], with_ui: bool) -> list[Address]:
    wanted = []
    for i in layout.node_ids():
        ip = layout.node_ip(i)
        wanted += [Address(ip, layout.peer_port, f"node {i} peer"),
                   Address(ip, layout.http_port, f"node {i} HTTP API")]
        mysql = mysqls[i]
        if isinstance(mysql, PrivateMySQL):
            if mysql.running():
                say(f"node {i}'s MariaDB still runs from an earlier demo; reusing it")
            else:
                wanted.append(Address(LOOPBACK, mysql.port, f"node {i} MariaDB"))
    wanted.append(Address(LOOPBACK, layout.supervisor_port, "demo supervisor"))
    if with_ui:
        wanted.append(Address(LOOPBACK, layout.ui_port, "UI"))
    return wanted


def taskraftd() -> Path:
    given = os.environ.get("TASKRAFTD")
    if given:
        path = Path(given).resolve()
        say(f"using TASKRAFTD={path} (not building)")
    else:
        build = os.environ.get("BUILD") or "build"
        say(f"building into {build}/ (make build; ninja shows its progress)")
        done = subprocess.run(["make", "--no-print-directory", "-o", "bootstrap", "build",
                               f"BUILD={build}"], cwd=REPO_ROOT, check=False)
        if done.returncode != 0:
            raise DemoError("the build failed (its output is above)")
        path = REPO_ROOT / build / "taskraftd"
    if not (path.is_file() and os.access(path, os.X_OK)):
        raise DemoError(f"no taskraftd binary at {path}")
    return path


def leader_of(layout: Layout) -> str:
    for url in layout.node_urls():
        try:
            leader = httpx.get(f"{url}/readyz", timeout=2).headers.get("X-Raft-Leader")
        except httpx.HTTPError:
            continue
        if leader:
            return f"node {leader}"
    return "elected"


def shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def print_summary(layout: Layout, cluster: DemoCluster, ui_url: str | None,
                  elapsed: float) -> None:
    d = layout.directory
    logs = [shown(d / f"n{i}.log") for i in layout.node_ids()] + [shown(d / "supervisor.log")]
    if ui_url:
        logs.append(shown(d / "ui.log"))
    mysql_logs = [shown(m.directory / "mariadbd.err") for m in cluster.private_mysqls]
    print(f"""
[demo] taskraft is up after {elapsed:.1f} s (leader: {leader_of(layout)})
  UI           {ui_url or 'not started (' + (UI.missing() or 'it did not answer') + ')'}
  REST API     {'  '.join(layout.node_urls())}
  admin login  user admin, password {cluster.admin_password}   (kept in {shown(cluster.admin_password_file)})
  supervisor   {layout.supervisor_url}/nodes   (faults for the UI's cluster page; docs/demo.md)
  logs         {' '.join(logs)}""" + (f"""
               {' '.join(mysql_logs)}""" if mysql_logs else "") + """
  Ctrl-C stops everything; `make demo` again keeps the tasks.
""", flush=True)


def on_signal(signum: int, _frame: object) -> NoReturn:
    raise Interrupted(signal.Signals(signum).name)


def while_stopping(signum: int, _frame: object) -> None:
    say(f"{signal.Signals(signum).name} received; still stopping, please wait")


def run(layout: Layout, began: float) -> None:
    layout.create()
    lock = take_lock(layout)
    mysqls = mysqls_for(layout)
    ui = UI(layout, layout.directory / "ui.log") if UI.missing() is None else None
    problems = taken(addresses(layout, mysqls, ui is not None))
    if problems:
        raise DemoError("cannot start: " + "; ".join(problems) + ". Stop what holds "
                        + ("it" if len(problems) == 1 else "them") + " and run make demo again")
    binary = taskraftd()
    cluster = DemoCluster(layout, mysqls, binary)
    supervisor: Supervisor | None = None
    supervisor_log = open(layout.directory / "supervisor.log", "a")
    try:
        first = cluster.first_start()
        if cluster.private_mysqls:
            say(f"starting {len(cluster.private_mysqls)} private MariaDB servers"
                + (" (installing them the first time)" if first else ""))
        cluster.start_mysql()
        say(("starting" if first else "restarting") + f" {len(cluster.nodes)} nodes on "
            + ", ".join(n.http_addr for n in cluster.nodes.values())
            + ("" if first else " from their data in " + shown(layout.directory)))
        cluster.start_nodes()
        supervisor = Supervisor(cluster, LOOPBACK, layout.supervisor_port,
                                log=supervisor_log).start()
        if ui is not None:
            ui.start()
        say("waiting for a leader (GET /readyz and the admin login on every node)")
        cluster.wait_ready(READY_TIMEOUT)
        ui_url = None
        if ui is not None:
            try:
                ui.wait_answering(UI_TIMEOUT)
                ui_url = layout.ui_url
            except (WaitTimeout, HarnessError) as exc:
                say(f"the UI does not answer ({str(exc).splitlines()[0]}); see {shown(ui.log_path)}")
        print_summary(layout, cluster, ui_url, time.monotonic() - began)
        while True:
            time.sleep(3600)
    finally:
        for sig in STOP_SIGNALS:
            signal.signal(sig, while_stopping)
        say("stopping: UI, supervisor, partitions, nodes (SIGTERM), MariaDB")
        if ui is not None:
            ui.stop()
        if supervisor is not None:
            supervisor.close()
        for problem in cluster.close():
            say(f"while stopping: {problem}")
        supervisor_log.close()
        lock.close()
        say("stopped; data kept in " + shown(layout.directory))


def main(argv: list[str] | None = None) -> int:
    began = time.monotonic()
    layout = parse(argv)
    for sig in STOP_SIGNALS:
        signal.signal(sig, on_signal)
    try:
        run(layout, began)
    except Interrupted:
        return 0
    except (DemoError, HarnessError, WaitTimeout) as exc:
        say(f"error: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
