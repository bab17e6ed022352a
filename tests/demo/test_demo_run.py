"""The demo program end to end (on the stand-in binary): it prints its addresses and login, a
signal stops every process it started, and a second run comes back with the same login and
the same tasks."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from demo_setup import demo_process, process_layout
from harness import wait_until
from taskraft_demo.ports import taken
from taskraft_demo.run import addresses, mysqls_for


class Run:
    """One run of the demo program, its output in a file."""

    def __init__(self, directory: Path, number: int):
        self.out_path = directory.parent / f"run{number}.out"
        self._out = open(self.out_path, "w")
        self.process = demo_process(directory, self._out)

    @property
    def output(self) -> str:
        return self.out_path.read_text()

    def wait_up(self) -> str:
        def up() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"the demo exited ({self.process.returncode}):\n{self.output}")
            return "taskraft is up" in self.output

        wait_until(up, timeout=240, interval=0.3, what="the demo to print its addresses",
                   diagnostics=lambda: self.output)
        return self.output

    def stop(self, sig: signal.Signals) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=120)
        finally:
            self._out.close()


@pytest.fixture
def runs() -> Iterator[list[Run]]:
    """The runs a test starts; any still running at teardown is stopped with SIGTERM."""
    started: list[Run] = []
    yield started
    for run in started:
        run.stop(signal.SIGTERM)


def login(url: str, password: str) -> httpx.Client:
    """An httpx client of the node at `url`, logged in as admin."""
    token = httpx.post(f"{url}/v1/auth/login",
                       json={"username": "admin", "password": password}).json()["token"]
    return httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize("stop_with", [signal.SIGINT, signal.SIGHUP])
def test_a_second_run_keeps_the_login_and_the_tasks(tmp_path: Path, runs: list[Run],
                                                   stop_with: signal.Signals):
    directory = tmp_path / "demo"
    layout = process_layout(directory)
    runs.append(Run(directory, 1))
    out = runs[0].wait_up()
    password = (directory / "admin.pw").read_text().strip()
    for url in layout.node_urls():
        assert url in out
    assert f"user admin, password {password}" in out
    assert layout.supervisor_url in out
    assert (directory / "admin.pw").stat().st_mode & 0o077 == 0, "the password file is private"
    with login(layout.node_urls()[1], password) as api:
        created = api.post("/v1/tasks", json={"title": "kept across demo runs"})
        assert created.status_code == 201

    assert runs[0].stop(stop_with) == 0
    assert "stopped; data kept" in runs[0].output
    still = taken(addresses(layout, mysqls_for(layout), with_ui=True))
    assert still == [], "every address of the demo is free again"

    runs.append(Run(directory, 2))
    out = runs[1].wait_up()
    assert "restarting 3 nodes" in out
    assert f"password {password}" in out, "the same admin login"
    with login(layout.node_urls()[2], password) as api:
        titles = [t["title"] for t in api.get("/v1/tasks").json()["items"]]
    assert titles == ["kept across demo runs"]
    assert runs[1].stop(signal.SIGTERM) == 0
