"""Self-tests of `Network`: iptables partitions really cut TCP between loopback addresses, and
leave no rule behind. Uses its own chain (TASKRAFT-E2E-SELF) and addresses 127.0.0.11-13."""

from __future__ import annotations

import os
import socket
import socketserver
import subprocess
import sys
import textwrap
import threading
from typing import Iterator

import pytest

from harness import REPO_ROOT, HarnessError, Network, check_node_ip, iptables_usable

CHAIN = "TASKRAFT-E2E-SELF"
A, B, C = "127.0.0.11", "127.0.0.12", "127.0.0.13"

pytestmark = pytest.mark.skipif(bool(iptables_usable()), reason=str(iptables_usable()))


class Echo(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        while data := self.request.recv(1024):
            self.request.sendall(data)


@pytest.fixture
def echo_on_a() -> Iterator[int]:
    server = socketserver.ThreadingTCPServer((A, 0), Echo)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def connect(src: str, dst: str, port: int, timeout: float = 1.0) -> socket.socket:
    s = socket.socket()
    s.settimeout(timeout)
    s.bind((src, 0))
    s.connect((dst, port))
    return s


def echoes(s: socket.socket) -> bool:
    try:
        s.sendall(b"ping")
        return s.recv(16) == b"ping"
    except (TimeoutError, OSError):
        return False


def reachable(src: str, dst: str, port: int) -> bool:
    try:
        with connect(src, dst, port) as s:
            return echoes(s)
    except (TimeoutError, OSError):
        return False


def filter_table() -> list[str]:
    done = subprocess.run(["iptables", "-w", "10", "-S"], capture_output=True, text=True,
                          check=True)
    return done.stdout.splitlines()


@pytest.fixture
def net() -> Iterator[Network]:
    before = filter_table()
    network = Network(CHAIN).open()
    yield network
    network.close()
    assert filter_table() == before, "the rest of the filter table is left exactly as it was"


def test_partition_blocks_tcp_and_heal_restores_it(net: Network, echo_on_a: int):
    assert reachable(B, A, echo_on_a)
    established = connect(B, A, echo_on_a)
    assert echoes(established)

    net.partition([A], [B])
    assert not reachable(B, A, echo_on_a), "a new connection cannot be made"
    assert not echoes(established), "an established connection stalls too"

    net.heal()
    assert net.rules() == []
    assert reachable(B, A, echo_on_a)
    established.close()


def test_isolate_cuts_one_node_from_the_others_only(net: Network, echo_on_a: int):
    net.isolate(A, [A, B, C])
    assert not reachable(B, A, echo_on_a)
    assert not reachable(C, A, echo_on_a)
    assert reachable("127.0.0.1", A, echo_on_a), "the test itself still reaches the node"
    with socketserver.ThreadingTCPServer((C, 0), Echo) as on_c:
        threading.Thread(target=on_c.serve_forever, args=(0.05,), daemon=True).start()
        assert reachable(B, C, on_c.server_address[1]), "B and C still talk"
        on_c.shutdown()


def test_one_way_drop_loses_packets_in_one_direction_only(net: Network):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as on_a, \
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as on_b:
        on_a.bind((A, 0))
        on_b.bind((B, 0))
        for s in (on_a, on_b):
            s.settimeout(0.5)
        net.drop(B, A)
        on_b.sendto(b"lost", on_a.getsockname())
        with pytest.raises(TimeoutError):
            on_a.recv(16)
        on_a.sendto(b"arrives", on_b.getsockname())
        assert on_b.recv(16) == b"arrives"
    assert net.rules() == [f"-A {CHAIN} -s {B}/32 -d {A}/32 -j DROP"]


def test_close_removes_the_chain_and_its_jump(net: Network):
    net.partition([A], [B, C])
    assert len(net.rules()) == 4
    assert any(line.startswith("-A INPUT") for line in net.installed_anywhere())
    net.close()
    assert net.installed_anywhere() == []
    net.close()


def run_python(code: str) -> None:
    subprocess.run([sys.executable, "-c", textwrap.dedent(code)], check=True, timeout=60,
                   cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": f"{REPO_ROOT}/tests/e2e:"
                                                                   f"{REPO_ROOT}/clients/python"})


def test_a_process_that_exits_without_closing_leaves_nothing(net: Network):
    net.close()
    run_python(f"""
        from harness import Network
        Network("{CHAIN}").open().partition(["{A}"], ["{B}"])
    """)
    assert net.installed_anywhere() == [], "atexit removed the chain"


def test_leftovers_of_a_killed_run_are_removed_by_the_next_open(net: Network):
    net.close()
    run_python(f"""
        import os
        from harness import Network
        Network("{CHAIN}").open().partition(["{A}"], ["{B}"])
        os._exit(0)
    """)
    assert len(net.installed_anywhere()) > 1, "os._exit skipped the cleanup"
    net.open()
    assert net.rules() == []
    assert len([line for line in net.installed_anywhere() if line.startswith("-A INPUT")]) == 1


@pytest.mark.parametrize("ip", ["127.0.0.1", "10.0.0.1", "192.168.1.10", "not-an-ip"])
def test_only_node_loopback_addresses_are_accepted(ip: str):
    with pytest.raises((HarnessError, ValueError)):
        check_node_ip(ip)


def test_rules_need_an_open_network():
    with pytest.raises(HarnessError, match="not open"):
        Network(CHAIN).drop(A, B)
