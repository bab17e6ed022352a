"""The end-to-end harness: real taskraftd processes, real MariaDB servers, real faults.

    MariaDB   one private server per node (scripts/mariadb-private): start/stop/kill/query
    Node      one taskraftd: start/stop(SIGTERM)/kill(SIGKILL)/pause/resume/wipe/restart,
              log file per node, waits on /healthz and /readyz
    Cluster   n nodes on 127.0.0.(10+i): secret and admin files, leader(), followers(),
              wait_for_leader(), tasks_on(node), wait_converged()
    private_cluster  a started Cluster with a MariaDB of its own per node, all stopped on exit
    Network   iptables partitions between node addresses in its own chain, always cleaned up
    WriteLoad threads writing through failover clients, recording every acknowledged write
    wait_until polling with a deadline (never a blind sleep)
"""

from . import procs
from .binaries import (REPO_ROOT, require_taskraft_cli, require_taskraftd, taskraft_cli_path,
                       taskraftd_path)
from .cluster import ADMIN, Cluster
from .load import WriteLoad
from .mariadb import MariaDB, start_all
from .network import Network, check_node_ip, iptables_usable
from .node import Node
from .private_cluster import mysql_port, private_cluster
from .waiting import HarnessError, WaitTimeout, wait_until

__all__ = [
    "ADMIN", "Cluster", "HarnessError", "MariaDB", "Network", "Node", "REPO_ROOT", "WaitTimeout",
    "WriteLoad", "check_node_ip", "iptables_usable", "mysql_port", "private_cluster",
    "require_taskraft_cli", "require_taskraftd", "taskraft_cli_path",
    "procs", "start_all", "taskraftd_path", "wait_until",
]
