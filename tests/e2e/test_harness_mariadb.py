"""Self-tests of `MariaDB` over scripts/mariadb-private (ports 23190-23192)."""

from __future__ import annotations

import socket

import pytest

from harness import HarnessError, MariaDB


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def server(tmp_path):
    m = MariaDB(tmp_path / "m", 23190)
    yield m
    m.stop()


def test_start_answers_queries_and_stop_closes_the_port(server: MariaDB):
    assert server.start() == "mysql://root@127.0.0.1:23190/"
    assert server.start() == "mysql://root@127.0.0.1:23190/", "start is idempotent"
    assert server.query("SELECT 1 + 1") == [["2"]]
    assert server.is_running()
    assert server.dsn("taskraft_n1") == "mysql://root@127.0.0.1:23190/taskraft_n1"
    server.stop()
    assert not server.is_running()
    assert not port_open(23190)
    server.stop()


def test_data_survives_restart_and_crash(server: MariaDB):
    server.start()
    server.query("CREATE DATABASE e2e_probe; CREATE TABLE e2e_probe.t (v INT) ENGINE=InnoDB;"
                 "INSERT INTO e2e_probe.t VALUES (7)")
    server.restart()
    assert server.query("SELECT v FROM e2e_probe.t") == [["7"]]
    server.query("INSERT INTO e2e_probe.t VALUES (8)")
    server.kill()
    assert not server.is_running()
    server.start()
    assert server.query("SELECT v FROM e2e_probe.t ORDER BY v") == [["7"], ["8"]]
    server.drop_database("e2e_probe")
    assert "e2e_probe" not in server.databases()


def test_each_node_server_fails_alone(tmp_path):
    a, b = MariaDB(tmp_path / "a", 23191), MariaDB(tmp_path / "b", 23192)
    try:
        a.start()
        b.start()
        a.stop()
        assert b.query("SELECT 1") == [["1"]]
        with pytest.raises(HarnessError, match="23191"):
            a.query("SELECT 1")
    finally:
        a.stop()
        b.stop()


def test_strange_database_names_are_refused(server: MariaDB):
    with pytest.raises(HarnessError):
        server.drop_database("x`; DROP DATABASE mysql; --")
