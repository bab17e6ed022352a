"""The UI in a real browser (Playwright driving Debian's headless Chromium, /usr/bin/chromium)
against the demo exactly as `make demo` starts it: a real 3-node cluster, the demo supervisor
and `streamlit run ui/app.py` (scripts/taskraft_demo), on addresses of its own.

A person logs in, creates a task, finds it in the list and on the board, opens it, kills the
leader from the cluster page, and creates another task while the cluster elects a new leader;
both tasks are then in the cluster. Screenshots of each page go to $TASKRAFT_SCREENSHOTS (default
/tmp/taskraft-screenshots); the README's pictures are refreshed with
    TASKRAFT_SCREENSHOTS=docs/screenshots .venv/bin/python -m pytest tests/ui/test_ui_browser.py
so that an ordinary test run leaves the repository as it was.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from harness import REPO_ROOT, HarnessError, require_taskraftd, wait_until
from taskraft_client import Client

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(240)]

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(os.environ.get("TASKRAFT_SCREENSHOTS") or "/tmp/taskraft-screenshots")
# Addresses apart from `make demo` (10), the demo tests (70, 80) and the e2e clusters (10..):
# nodes on 127.0.0.91-93, their MariaDB on 24091-24093, supervisor :18290, UI :18691.
IP_BASE = int(os.environ.get("TASKRAFT_UI_DEMO_IP_BASE") or 90)
MYSQL_PORT_BASE, SUPERVISOR_PORT, UI_PORT = 24000, 18290, 18691


class Demo:
    def __init__(self, directory: Path):
        self.directory = directory
        self.nodes = [f"http://127.0.0.{IP_BASE + i}:8000" for i in (1, 2, 3)]
        self.ui = f"http://127.0.0.1:{UI_PORT}"
        self.supervisor = f"http://127.0.0.1:{SUPERVISOR_PORT}"
        self.log = directory / "demo.out"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        try:
            binary = require_taskraftd()
        except HarnessError as exc:
            pytest.fail(f"cannot run the browser test: {exc}", pytrace=False)
        env = {k: v for k, v in os.environ.items() if not k.startswith("TASKRAFT_")}
        env["TASKRAFTD"] = str(binary)
        env["PYTHONPATH"] = os.pathsep.join(str(REPO_ROOT / p) for p in
                                            ("scripts", "tests/e2e", "clients/python"))
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "taskraft_demo", "--dir", str(self.directory / "demo"),
                 "--ip-base", str(IP_BASE), "--mysql-port-base", str(MYSQL_PORT_BASE),
                 "--supervisor-port", str(SUPERVISOR_PORT),
                 "--ui-port", str(UI_PORT)],
                cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True)
        wait_until(self._up, timeout=150, interval=0.5, what="the demo to be up",
                   diagnostics=self.tail)

    def _up(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"the demo exited with {self.process.returncode}\n{self.tail()}")
        return "taskraft is up" in self.log.read_text(errors="replace")

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    @property
    def admin_password(self) -> str:
        return (self.directory / "demo" / "admin.pw").read_text().strip()

    def stop(self) -> None:
        """SIGTERM (the demo stops all it started); SIGKILL past two minutes, and then its
        MariaDB servers, which run detached, are stopped here."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            for mysql in sorted((self.directory / "demo").glob("mysql-n*")):
                subprocess.run([str(REPO_ROOT / "scripts" / "mariadb-private"), "stop",
                                str(mysql)], check=False, capture_output=True)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    running = Demo(tmp_path)
    try:
        running.start()
        yield running
    finally:
        running.stop()


def seed(client: Client) -> None:
    """A few tasks, so the screenshots show a task manager in use."""
    examples = [
        ("Write the release notes", "high", ["release", "docs"], "alice", "core"),
        ("Benchmark group commit", "medium", ["perf"], "bob", "core"),
        ("Rotate the cluster secret", "urgent", ["ops"], "carol", "ops"),
        ("Design learner promotion", "low", ["raft"], None, "core"),
        ("Polish the board view", "medium", ["ui"], "alice", "ui"),
    ]
    for i, (title, priority, tags, assignee, project) in enumerate(examples):
        task = client.create_task(title, priority=priority, tags=tags, assignee=assignee,
                                  project=project, due_at=f"2026-12-{10 + 3 * i:02d}T17:00:00Z",
                                  description=f"{title}, as discussed on Monday.")
        if i % 2:
            client.update_task(task.id, status="in_progress")


@contextmanager
def writing(api: Client, task_id: int) -> Iterator[None]:
    """Edits a task over and over in a thread while the block runs."""
    stop = threading.Event()

    def edit() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            api.update_task(task_id, description=f"edit {n}")

    thread = threading.Thread(target=edit, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)


def card(page, title: str):
    """The innermost bordered container showing `title` (a task row or a board card)."""
    return page.locator('[data-testid="stVerticalBlock"]').filter(
        has=page.get_by_text(title, exact=True)).last


def shoot(page, name: str, height: int = 1000) -> None:
    """Saves the window as SHOTS/<name>.png, `height` pixels tall (Streamlit scrolls
    inside the page, so a full-page capture would not show more)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1440, "height": height})
    page.wait_for_timeout(800)  # let charts and fonts settle after the last rerun
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_browser_session_survives_the_leader_being_killed(demo: Demo):
    from playwright.sync_api import sync_playwright

    with Client(demo.nodes, "admin", demo.admin_password) as api:
        seed(api)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--no-sandbox"])
            try:
                page = browser.new_page(viewport={"width": 1440, "height": 1000})
                page.set_default_timeout(30_000)
                run_session(page, demo, api)
            finally:
                browser.close()


def run_session(page, demo: Demo, api: Client) -> None:
    from playwright.sync_api import expect

    # Waits are for what a person would see, however loaded the machine: right after the kill,
    # the create rides out an election and the UI client's retries (ui/session.py DEADLINE),
    # which can take longer than Playwright's 5 s default.
    expect.set_options(timeout=30_000)
    page.goto(demo.ui)
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password", exact=True).fill(demo.admin_password)
    shoot(page, "login", 700)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Tasks")).to_be_visible()

    page.get_by_text("New task", exact=True).click()
    page.get_by_label("Title").fill("Demo the failover")
    page.get_by_label("Tags (comma-separated)").fill("demo")
    page.get_by_role("button", name="Create task").click()
    expect(page.get_by_text(re.compile(r"Created task #\d+ “Demo the failover”"))).to_be_visible()
    expect(card(page, "Demo the failover")).to_be_visible()
    first = next(api.iter_tasks(tag="demo"))
    assert first.title == "Demo the failover"
    expect(page.get_by_role("button", name="Create task")).to_be_hidden()  # form folded
    shoot(page, "tasks")

    page.get_by_role("link", name="Board").click()
    expect(page.get_by_role("heading", name=re.compile("To do"))).to_be_visible()
    board_card = card(page, "Demo the failover")
    expect(board_card).to_be_visible()
    board_card.get_by_role("button", name="Doing ▶").click()
    expect(page.get_by_text("is now In progress")).to_be_visible()
    assert api.get_task(first.id).status == "in_progress"
    shoot(page, "board")

    card(page, "Demo the failover").get_by_role("button", name="Open").click()
    expect(page.get_by_role("heading", name=f"#{first.id} · Demo the failover")).to_be_visible()
    expect(page.get_by_text("Raft log index", exact=False).first).to_be_visible()
    expect(page.get_by_text("v2 · update")).to_be_visible()
    shoot(page, "task")

    page.get_by_role("link", name="Cluster").click()
    kill = page.get_by_role("button", name=re.compile(r"Kill the leader \(node \d\)"))
    expect(kill).to_be_visible()
    old_leader = int(re.search(r"node (\d)", kill.inner_text()).group(1))
    with writing(api, first.id):  # some traffic for the charts, over a few samples
        page.wait_for_timeout(8000)
    shoot(page, "cluster", 1400)
    kill.click()
    expect(page.get_by_text(f"You asked: kill node {old_leader}.")).to_be_visible()

    page.get_by_role("link", name="Tasks").click()
    page.get_by_text("New task", exact=True).click()
    page.get_by_label("Title").fill("Created while the cluster recovers")
    page.get_by_role("button", name="Create task").click()
    expect(page.get_by_text(re.compile(r"Created task #\d+ “Created while the cluster "
                                       r"recovers”"))).to_be_visible()
    titles = {t.title for t in api.iter_tasks()}
    assert {"Demo the failover", "Created while the cluster recovers"} <= titles

    page.get_by_role("link", name="Cluster").click()
    expect(page.get_by_text(re.compile(r"Node \d is the leader in term \d+"))).to_be_visible()
    new_leader = api.cluster_status().leader_id
    assert new_leader not in (None, old_leader)
    page.wait_for_timeout(2500)
    shoot(page, "cluster-after-kill", 1400)
    status = httpx.get(f"{demo.supervisor}/nodes", timeout=5).json()
    assert [n["running"] for n in status["nodes"] if n["id"] == old_leader] == [False]
